/**
 * Sync benchmarks: our server (with auth and durable persistence, on PGlite and on Postgres) side by
 * side with @y/websocket-server (in memory) and @hocuspocus/server with its database extension, in
 * the same run and the same scenarios. The server runs in a child process pinned to one core once it
 * has started, the load generator in another pinned to the other; this process only conducts and
 * reads the figures. Other work on the machine still shares those cores: each run reports how much.
 *
 * The main figure is the server's CPU time per delivered update (an update reaching one client other
 * than its author). Figures are measured, never asserted.
 *
 * For a partial run while working on one part: SYNC_BENCH_SCENARIOS=fanout,join and/or
 * SYNC_BENCH_KINDS=yrka-pglite,yws (comma-separated prefixes); SYNC_BENCH_PROFILE=1 profiles ours in
 * quick mode too; SYNC_BENCH_SERVER_LOG=1 passes our server's log through. Profiles land in
 * bench-results/profiles/ (open them in Chrome DevTools). To look closer at one figure:
 * SYNC_BENCH_FANOUT=100,500 (observers), SYNC_BENCH_WINDOW_MS (measured window of the steady
 * scenarios), SYNC_BENCH_SAMPLE_US (profiler interval), SYNC_BENCH_NODE_FLAGS (node flags of the
 * servers, e.g. --no-wasm-dynamic-tiering).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { bigDraft } from './sync/docs';
import { Child } from './sync/ipc';
import { summarizeProfile, type ProfileSummary } from './sync/profile';
import type { ServerKind, Snapshot, StartArgs, Target } from './sync/server-process';
import type { SteadySpec } from './sync/generator';

type Figures = Record<string, unknown>;

const here = fileURLToPath(new URL('.', import.meta.url));
const SERVER = join(here, 'sync/server-process.ts');
const GENERATOR = join(here, 'sync/generator.ts');
const PROFILES = join(here, '../../bench-results/profiles');
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** Our per-connection limit (200 messages/s) exists to stop a runaway client; the trace is one on purpose. */
const TRACE_LIMITS = { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 };

interface Plan {
	warmMs: number;
	windowMs: number;
	profileMs: number;
	fanout: number[];
	/** the fan-out window: one writer at 20 updates/s gives few updates, so it is measured longer */
	fanoutWindowMs: number;
	writers: { n: number; each: number };
	docs: { docs: number; rate: number };
	join: { clients: number; bytes: number };
	idle: { connections: number; docs: number };
	presence: { clients: number; perDoc: number };
	trace: { edits: number; timeoutMs: number };
	/** one server per kind for every scenario (quick), or a fresh one per run (full) */
	reuseServers: boolean;
	profile: boolean;
}

const FULL: Plan = {
	warmMs: 700,
	windowMs: 2000,
	profileMs: 1500,
	fanout: [100, 500],
	fanoutWindowMs: 6000,
	writers: { n: 50, each: 5 },
	docs: { docs: 500, rate: 1000 },
	join: { clients: 150, bytes: 4 * 1024 * 1024 },
	idle: { connections: 2000, docs: 10 },
	presence: { clients: 300, perDoc: 10 },
	trace: { edits: 250_000, timeoutMs: 30_000 },
	reuseServers: false,
	profile: true
};

const QUICK: Plan = {
	warmMs: 300,
	windowMs: 1500,
	profileMs: 0,
	fanout: [100],
	fanoutWindowMs: 1500,
	writers: { n: 20, each: 5 },
	docs: { docs: 50, rate: 150 },
	join: { clients: 30, bytes: 1024 * 1024 },
	idle: { connections: 300, docs: 10 },
	presence: { clients: 50, perDoc: 10 },
	trace: { edits: 10_000, timeoutMs: 10_000 },
	reuseServers: true,
	profile: false
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : 0);
const cpuUs = (s: Snapshot) => s.cpuUserUs + s.cpuSystemUs;

// ---- the machine -------------------------------------------------------------------------------------

/** Busy time of the whole machine, µs: with ours and the generator's, it tells how much others used. */
function machineBusyUs(): number {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const [user, nice, system, , , irq, softirq, steal] = line;
	return ((user + nice + system + irq + softirq + steal) * 1e6) / 100;
}

/** Which server code was measured: the commit, and whether the work tree differs from it. */
function treeState(): string {
	try {
		const git = (...args: string[]) => execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();
		const head = git('rev-parse', '--short', 'HEAD');
		const dirty = git('status', '--porcelain', '--', '../../server', '../../db').split('\n').filter(Boolean).length;
		return dirty ? `${head} with ${dirty} uncommitted files under server/ and db/` : head;
	} catch {
		return 'unknown';
	}
}

function loadAverage(): string {
	return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

// ---- Postgres ----------------------------------------------------------------------------------------

async function postgresReachable(): Promise<boolean> {
	const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 3 });
	try {
		await sql`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await sql.end({ timeout: 1 }).catch(() => {});
	}
}

async function adminQuery<T extends object>(query: string, params: (string | number)[] = []): Promise<T[]> {
	const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	try {
		return (await sql.unsafe(query, params)) as unknown as T[];
	} finally {
		await sql.end({ timeout: 2 });
	}
}

/** CPU time of the Postgres backends serving one database, µs (read from /proc, same machine). */
async function backendCpuUs(dbName: string): Promise<Map<number, number>> {
	const rows = await adminQuery<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
	const out = new Map<number, number>();
	for (const { pid } of rows) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(pid, ((Number(rest[11]) + Number(rest[12])) * 1e6) / 100);
		} catch {
			/* the backend ended */
		}
	}
	return out;
}

function backendDelta(a: Map<number, number>, b: Map<number, number>): number {
	let d = 0;
	for (const [pid, v] of b) d += v - (a.get(pid) ?? 0);
	return d;
}

// ---- servers -----------------------------------------------------------------------------------------

class ServerUnderTest {
	private constructor(
		readonly kind: ServerKind,
		readonly child: Child,
		readonly dbName: string | null
	) {}

	static async start(kind: ServerKind, sync?: StartArgs['sync']): Promise<ServerUnderTest> {
		let dbName: string | null = null;
		let databaseUrl: string | undefined;
		if (kind === 'yrka-postgres') {
			dbName = `yrka_bench_${randomBytes(5).toString('hex')}`;
			await adminQuery(`create database ${dbName}`);
			const u = new URL(ADMIN_URL);
			u.pathname = `/${dbName}`;
			databaseUrl = u.toString();
		}
		const child = new Child(SERVER, {
			label: `server ${kind}`,
			execArgv: ['--expose-gc', ...(process.env.SYNC_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)],
			env: { YPERSISTENCE: undefined, CALLBACK_URL: undefined, LOG_LEVEL: 'silent' }
		});
		const server = new ServerUnderTest(kind, child, dbName);
		const t = Date.now();
		try {
			await child.call('start', { kind, databaseUrl, sync } satisfies StartArgs);
			child.pin(1);
			process.stderr.write(`[sync]   ${kind} started in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
		} catch (err) {
			await server.stop();
			throw err;
		}
		return server;
	}

	call<T>(op: string, args: unknown = {}): Promise<T> {
		return this.child.call<T>(op, args);
	}

	async dbCpu(): Promise<Map<number, number> | null> {
		return this.dbName ? backendCpuUs(this.dbName) : null;
	}

	async stop(timeoutMs?: number): Promise<void> {
		await this.child.stop(timeoutMs);
		if (this.dbName) await adminQuery(`drop database if exists ${this.dbName} with (force)`).catch(() => {});
	}
}

// ---- the benchmark -----------------------------------------------------------------------------------

interface GenMark {
	seconds: number;
	cpuUs: number;
	sent: number;
	deliveries: number;
	messagesIn: number;
	bytesIn: number;
	saved: number;
	errors: number;
	closedEarly: number;
	latency: { count: number; p50: number; p99: number; max: number };
	durable: { count: number; p50: number; p99: number; max: number };
	loop: { p50: number; p99: number; max: number };
}

class Bench {
	private readonly servers = new Map<ServerKind, ServerUnderTest>();
	readonly profiles: Record<string, ProfileSummary> = {};

	constructor(
		readonly plan: Plan,
		readonly kinds: ServerKind[],
		readonly gen: Child
	) {}

	private big: Uint8Array | null = null;

	/** The join storm's document, built once for every server. */
	bigDoc(): Uint8Array {
		this.big ??= bigDraft(this.plan.join.bytes);
		return this.big;
	}

	/** Scenarios in a group share one server per kind; outside a group every run gets a fresh one. */
	private grouped = false;

	private async server(kind: ServerKind, sync?: StartArgs['sync']): Promise<ServerUnderTest> {
		if (this.plan.reuseServers || this.grouped) {
			let s = this.servers.get(kind);
			// Quick mode keeps one server per kind, so the trace's raised limit is set from the start.
			if (!s)
				this.servers.set(kind, (s = await ServerUnderTest.start(kind, this.plan.reuseServers ? TRACE_LIMITS : sync)));
			return s;
		}
		return ServerUnderTest.start(kind, sync);
	}

	private async release(s: ServerUnderTest): Promise<void> {
		if (this.servers.get(s.kind) !== s) await s.stop();
	}

	/**
	 * Runs scenarios that each use one document and leave nothing behind on one server per kind:
	 * starting a server costs seconds, and those seconds add up over a full run.
	 */
	async inGroup(fn: () => Promise<void>): Promise<void> {
		if (this.plan.reuseServers) return fn();
		this.grouped = true;
		try {
			await fn();
		} finally {
			this.grouped = false;
			await this.stopAll();
		}
	}

	/** Quick mode: every server started at once, before anything is measured. */
	async prestart(): Promise<void> {
		if (!this.plan.reuseServers) return;
		const started = await Promise.allSettled(this.kinds.map((k) => ServerUnderTest.start(k, TRACE_LIMITS)));
		started.forEach((r, i) => {
			if (r.status === 'fulfilled') this.servers.set(this.kinds[i], r.value);
		});
	}

	async stopAll(): Promise<void> {
		await Promise.all([...this.servers.values()].map((s) => s.stop()));
		this.servers.clear();
	}

	private async profile(s: ServerUnderTest, name: string, during: () => Promise<void>): Promise<void> {
		mkdirSync(PROFILES, { recursive: true });
		const file = join(PROFILES, `${name}-${s.kind}.cpuprofile`);
		await s.call('profileStart');
		await during();
		await s.child.callWithin(60_000, 'profileStop', { file });
		this.profiles[`${name} ${s.kind}`] = summarizeProfile(file);
	}

	/** A scenario of continuous traffic: warm up, measure a window, optionally profile, drain and check. */
	async steady(
		kind: ServerKind,
		name: string,
		spec: Omit<SteadySpec, 'plannedSeconds'>,
		opts: { profile?: boolean; durability?: boolean; windowMs?: number } = {}
	) {
		const profile = opts.profile ?? false;
		const { warmMs, profileMs } = this.plan;
		const windowMs = opts.windowMs ?? this.plan.windowMs;
		const s = await this.server(kind);
		try {
			const target = await s.call<Target>('prepare', { docs: spec.docs });
			const plannedSeconds = (warmMs + windowMs + (profile ? profileMs : 0)) / 1000 + 2;
			const setup = await this.gen.call<{ clients: number; connectSeconds: number }>('steady', {
				target,
				spec: { ...spec, plannedSeconds }
			});
			await this.gen.call('start');
			await sleep(warmMs);
			const s0 = await s.call<Snapshot>('snapshot');
			const db0 = await s.dbCpu();
			const busy0 = machineBusyUs();
			await this.gen.call<GenMark>('mark');
			await sleep(windowMs);
			const s1 = await s.call<Snapshot>('snapshot');
			const db1 = await s.dbCpu();
			const busy1 = machineBusyUs();
			const g = await this.gen.call<GenMark>('mark');
			if (profile && profileMs > 0) await this.profile(s, name, () => sleep(profileMs).then(() => {}));
			const fin = await this.gen.call<{
				drained: boolean;
				converged: boolean;
				checkers: number;
				drainMs: number;
				closedEarly: number;
			}>('finish');
			// Hocuspocus stores 2 to 10 s after a change: waiting for it is only worth it where durability is measured.
			const settle = opts.durability
				? await s.call<{ ms: number; complete: boolean }>('settle', { timeoutMs: 15_000 })
				: null;
			const s2 = await s.call<Snapshot>('snapshot');

			const seconds = windowMs / 1000;
			const cpu = cpuUs(s1) - cpuUs(s0);
			const dbCpu = db0 && db1 ? backendDelta(db0, db1) : 0;
			const out: Figures = {
				clients: setup.clients,
				connectSeconds: round(setup.connectSeconds),
				cpuUsPerDelivery: round(cpu / Math.max(1, g.deliveries), 3),
				deliveriesPerSecond: Math.round(g.deliveries / seconds),
				sentPerSecond: Math.round(g.sent / seconds),
				serverCpuPctOfCore: round((100 * cpu) / (seconds * 1e6), 1),
				serverKernelShareOfCpu: round((s1.cpuSystemUs - s0.cpuSystemUs) / Math.max(1, cpu)),
				latencyP50Ms: round(g.latency.p50),
				latencyP99Ms: round(g.latency.p99),
				latencyMaxMs: round(g.latency.max),
				serverLoopP99Ms: round(s1.loop.p99),
				serverLoopMaxMs: round(s1.loop.max),
				generatorLoopP99Ms: round(g.loop.p99),
				generatorCpuPctOfCore: round((100 * g.cpuUs) / (seconds * 1e6), 1),
				otherLoadPctOfMachine: round(
					(100 * Math.max(0, busy1 - busy0 - cpu - g.cpuUs - dbCpu)) / (seconds * 1e6 * cpus().length),
					1
				),
				serverRssMB: round(s1.rssBytes / 2 ** 20, 1),
				drained: fin.drained,
				converged: fin.checkers > 0 ? fin.converged : 'n/a (no edits)'
			};
			if (s.dbName) {
				out.dbCpuUsPerDelivery = round(dbCpu / Math.max(1, g.deliveries), 3);
				out.serverPlusDbCpuUsPerDelivery = round((cpu + dbCpu) / Math.max(1, g.deliveries), 3);
			}
			if (s1.sync && s0.sync && spec.action === 'update') {
				const updates = s1.sync.updates - s0.sync.updates;
				const batches = s1.sync.batches - s0.sync.batches;
				out.durableUpdatesPerSecond = Math.round(updates / seconds);
				// Failed group commits are retried; each retry writes (and counts) the batch again.
				if (s1.sync.failures > s0.sync.failures) out.commitFailures = s1.sync.failures - s0.sync.failures;
				out.updatesPerCommit = round(updates / Math.max(1, batches), 1);
				out.durableAckLagP50Ms = round(g.durable.p50);
				out.durableAckLagP99Ms = round(g.durable.p99);
				out.writeAmplification = round(
					(s1.dbWriteBytes - s0.dbWriteBytes) / Math.max(1, s1.receivedBytes - s0.receivedBytes)
				);
			}
			if (kind === 'hocuspocus' && settle) {
				// Its store is debounced (2 s, at most 10 s): durability is counted until everything is stored.
				// The larger p99 of the two periods bounds the p99 of both together from above.
				const samples = [s1.durable, s2.durable].filter((d) => d && d.count > 0);
				out.durableLagP99Ms = round(Math.max(0, ...samples.map((d) => d!.p99)));
				out.storedAllSeconds = settle.complete ? round(settle.ms / 1000, 1) : 'not within 15 s';
				out.writeAmplification = round(
					(s2.dbWriteBytes - s0.dbWriteBytes) / Math.max(1, s2.receivedBytes - s0.receivedBytes)
				);
			}
			if (g.closedEarly || fin.closedEarly) out.closedEarly = g.closedEarly + fin.closedEarly;
			return out;
		} finally {
			await this.gen.call('closeAll').catch(() => {});
			await this.release(s);
		}
	}

	/** Many clients join one large, open document at the same moment. */
	async join(kind: ServerKind, profile = false): Promise<Figures> {
		const { clients } = this.plan.join;
		const s = await this.server(kind);
		try {
			const target = await s.call<Target>('prepare', { docs: 1, update: this.bigDoc() });
			await this.gen.call('anchors', { target, docs: target.docs });
			await s.call('memory');
			const before = await s.call<Snapshot>('snapshot');
			await s.call('resetPeak');
			const r = await this.gen.call<{
				joined: number;
				failed: number;
				totalSeconds: number;
				sync: { p50: number; p99: number; max: number };
			}>('storm', { target, doc: target.docs[0], n: clients });
			const after = await s.call<Snapshot>('snapshot');
			await this.gen.call('closeAll');
			if (profile && this.plan.profile) {
				// A second, smaller storm under the profiler, so the measured one above ran without it.
				await this.gen.call('anchors', { target, docs: target.docs });
				await this.profile(s, 'join', async () => {
					await this.gen.call<unknown>('storm', { target, doc: target.docs[0], n: Math.ceil(clients / 5) });
				});
			}
			return {
				clients,
				docMB: round(this.bigDoc().byteLength / 2 ** 20, 2),
				joined: r.joined,
				failed: r.failed,
				syncP50Ms: round(r.sync.p50),
				syncP99Ms: round(r.sync.p99),
				syncMaxMs: round(r.sync.max),
				peakRssMB: round(after.peakRssBytes / 2 ** 20, 1),
				peakRssIncreaseMB: round((after.peakRssBytes - before.rssBytes) / 2 ** 20, 1),
				serverCpuMs: round((cpuUs(after) - cpuUs(before)) / 1000, 0),
				serverLoopMaxMs: round(after.loop.max)
			};
		} finally {
			await this.gen.call('closeAll').catch(() => {});
			await this.release(s);
		}
	}

	/** Idle connections: what each one costs in memory once open. */
	async idle(kind: ServerKind, profile = false): Promise<Figures> {
		const { connections, docs } = this.plan.idle;
		const s = await this.server(kind);
		try {
			const target = await s.call<Target>('prepare', { docs });
			// One client per document first: the documents' own memory is not the connections'.
			await this.gen.call('anchors', { target, docs: target.docs });
			await sleep(300);
			const m0 = await s.call<{ rss: number; heap: number; external: number }>('memory');
			const r = await this.gen.call<{ opened: number; failed: number; seconds: number }>('idle', {
				target,
				docs: target.docs,
				n: connections - docs
			});
			await sleep(500);
			const m1 = await s.call<{ rss: number; heap: number; external: number }>('memory');
			const n = Math.max(1, r.opened);
			if (profile && this.plan.profile) {
				// The cost of opening a socket (authentication, access, the first messages): 300 more under the profiler.
				await this.profile(s, 'connect', async () => {
					await this.gen.call('idle', { target, docs: target.docs, n: 300 });
				});
			}
			return {
				connections: r.opened + docs,
				failed: r.failed,
				connectPerSecond: Math.round(r.opened / r.seconds),
				// JS heap and buffers after full collections: what the server holds for each socket.
				heapKBPerConnection: round((m1.heap + m1.external - m0.heap - m0.external) / n / 1024, 1),
				// Resident memory also moves with the allocator and PGlite's heap: noisier, shown beside.
				rssKBPerConnection: round((m1.rss - m0.rss) / n / 1024, 1)
			};
		} finally {
			await this.gen.call('closeAll').catch(() => {});
			await this.release(s);
		}
	}

	/** The typing trace, replayed through the server as fast as it goes. */
	async trace(kind: ServerKind, profile = false): Promise<Figures> {
		const { timeoutMs } = this.plan.trace;
		const s = await this.server(kind, kind.startsWith('yrka') ? TRACE_LIMITS : undefined);
		let stuck = false;
		try {
			const target = await s.call<Target>('prepare', { docs: 1 });
			const s0 = await s.call<Snapshot>('snapshot');
			const r = await this.gen.call<{
				edits: number;
				complete: boolean;
				seconds: number;
				updatesPerSecond: number;
				finalChars: number;
				expectedChars: number;
				finalDocBytes: number;
				sent: number;
				progress: number;
			}>('trace', { target, doc: target.docs[0], timeoutMs });
			// A server that fell behind may stay busy for minutes: what it owes is then missing, not waited for.
			const s1 = await s.child.callWithin<Snapshot>(20_000, 'snapshot').catch(() => null);
			const stored = r.complete
				? await s.child
						.callWithin<{ complete: boolean }>(15_000, 'settle', { timeoutMs: 10_000 })
						.then((x) =>
							x.complete ? s.child.callWithin<number | null>(10_000, 'storedBytes', { doc: target.docs[0] }) : undefined
						)
						.catch(() => undefined)
				: undefined;
			stuck = !r.complete || stored === undefined;
			if (profile && this.plan.profile) await this.profileTrace(kind, stuck ? null : s);
			return {
				edits: r.edits,
				complete: r.complete,
				seconds: round(r.seconds),
				updatesPerSecond: Math.round(r.updatesPerSecond),
				...(r.complete ? {} : { progressAtTimeLimit: round(r.progress, 3), sentBeforeTimeLimit: r.sent }),
				finalChars: r.finalChars,
				finalDocKB: round(r.finalDocBytes / 1024, 1),
				storedKB:
					stored === undefined
						? 'n/a (not all durable in time)'
						: stored === null
							? 'n/a (in memory)'
							: round(stored / 1024, 1),
				serverCpuUsPerUpdate: s1 ? round((cpuUs(s1) - cpuUs(s0)) / r.edits, 2) : 'n/a (server busy)',
				serverLoopMaxMs: s1 ? round(s1.loop.max) : 'n/a (server busy)'
			};
		} finally {
			await this.gen.call('closeAll').catch(() => {});
			if (stuck && !this.plan.reuseServers) await s.stop(1000);
			else await this.release(s);
		}
	}

	/**
	 * The first 10,000 edits of the trace under the profiler, into a new document: on the same server
	 * when it kept up, else on a fresh one (a server that fell behind is still busy).
	 */
	private async profileTrace(kind: ServerKind, server: ServerUnderTest | null): Promise<void> {
		const s = server ?? (await ServerUnderTest.start(kind, TRACE_LIMITS));
		try {
			const target = await s.call<Target>('prepare', { docs: 1 });
			await this.profile(s, 'trace', async () => {
				await this.gen.call<unknown>('trace', { target, doc: target.docs[0], timeoutMs: 15_000, limit: 10_000 });
			});
		} finally {
			await this.gen.call('closeAll').catch(() => {});
			if (!server) await s.stop(1000);
		}
	}
}

/** ours / reference for one figure, per pair present in the results. */
function ratios(byKind: Record<string, Figures>, figure: string): Figures {
	const out: Figures = {};
	const value = (k: string) => {
		const v = byKind[k]?.[figure];
		return typeof v === 'number' && v > 0 ? v : null;
	};
	for (const ours of ['yrka-pglite', 'yrka-postgres']) {
		for (const ref of ['yws', 'hocuspocus']) {
			const a = value(ours);
			const b = value(ref);
			if (a !== null && b !== null) out[`${ours}/${ref}`] = round(a / b, 2);
		}
	}
	return out;
}

function printMatrix(results: Record<string, Record<string, Figures>>, kinds: string[]): void {
	const rows: string[][] = [['scenario.figure', ...kinds]];
	for (const [scenario, byKind] of Object.entries(results)) {
		const figures = new Set<string>();
		for (const k of kinds) for (const f of Object.keys(byKind[k] ?? {})) figures.add(f);
		for (const f of figures) rows.push([`${scenario}.${f}`, ...kinds.map((k) => String(byKind[k]?.[f] ?? '–'))]);
	}
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
	process.stderr.write(`\n[sync] side by side\n${lines.join('\n')}\n`);
}

export async function run({ quick }: { quick: boolean }): Promise<Figures> {
	const plan = quick ? QUICK : FULL;
	if (process.env.SYNC_BENCH_PROFILE === '1') Object.assign(plan, { profile: true, profileMs: 2000 });
	if (process.env.SYNC_BENCH_FANOUT) plan.fanout = process.env.SYNC_BENCH_FANOUT.split(',').map(Number);
	if (process.env.SYNC_BENCH_WINDOW_MS) plan.windowMs = plan.fanoutWindowMs = Number(process.env.SYNC_BENCH_WINDOW_MS);
	const started = Date.now();
	const pg = await postgresReachable();
	const pick = (env: string | undefined, name: string) =>
		!env || env.split(',').some((p) => p.trim() && name.startsWith(p.trim()));
	const kinds = (
		['yrka-pglite', ...(pg ? (['yrka-postgres'] as const) : []), 'yws', 'hocuspocus'] as ServerKind[]
	).filter((k) => pick(process.env.SYNC_BENCH_KINDS, k));
	const gen = new Child(GENERATOR, { cpu: 0, label: 'generator' });
	const bench = new Bench(plan, kinds, gen);
	const results: Record<string, Record<string, Figures>> = {};
	const errors: Record<string, string> = {};
	const load0 = loadAverage();
	const tree = treeState();
	const log = (msg: string) => process.stderr.write(`[sync] ${msg}\n`);

	const each = async (
		scenario: string,
		fn: (kind: ServerKind) => Promise<Figures>,
		only: (kind: ServerKind) => boolean = () => true
	) => {
		if (!pick(process.env.SYNC_BENCH_SCENARIOS, scenario)) return;
		results[scenario] = {};
		for (const kind of kinds.filter(only)) {
			const t = Date.now();
			try {
				results[scenario][kind] = await fn(kind);
			} catch (err) {
				errors[`${scenario}.${kind}`] = err instanceof Error ? err.message.split('\n')[0] : String(err);
				results[scenario][kind] = { error: errors[`${scenario}.${kind}`] };
			}
			log(`${scenario} ${kind} ${((Date.now() - t) / 1000).toFixed(1)} s`);
		}
	};

	let trace: { edits: number; inserts: number; deletes: number; finalChars: number; seconds: number } | null = null;
	try {
		const t0 = Date.now();
		await bench.prestart();
		if (plan.reuseServers) log(`servers started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		await bench.inGroup(async () => {
			for (const observers of plan.fanout) {
				await each(`fanout${observers}`, (kind) =>
					bench.steady(
						kind,
						`fanout${observers}`,
						{ docs: 1, clientsPerDoc: observers + 1, writersPerDoc: 1, rate: 20, action: 'update', checkers: 2 },
						{
							profile: observers === Math.max(...plan.fanout) && kind === 'yrka-pglite',
							windowMs: plan.fanoutWindowMs
						}
					)
				);
			}
			await each(`writers${plan.writers.n}`, (kind) =>
				bench.steady(kind, 'writers', {
					docs: 1,
					clientsPerDoc: plan.writers.n,
					writersPerDoc: plan.writers.n,
					rate: plan.writers.n * plan.writers.each,
					action: 'update',
					checkers: 2
				})
			);
		});
		await each(`docs${plan.docs.docs}x3`, (kind) =>
			bench.steady(
				kind,
				'docs',
				{
					docs: plan.docs.docs,
					clientsPerDoc: 3,
					writersPerDoc: 3,
					rate: plan.docs.rate,
					action: 'update',
					checkers: 2
				},
				{ profile: kind.startsWith('yrka'), durability: true }
			)
		);
		// Where the database is not on the path (a loaded document, open sockets, presence), ours runs on
		// PGlite only: the same code, and a full run stays within its time.
		const notPostgres = (kind: ServerKind) => kind !== 'yrka-postgres';
		await each(`join${plan.join.clients}`, (kind) => bench.join(kind, kind === 'yrka-pglite'), notPostgres);
		await each(`idle${plan.idle.connections}`, (kind) => bench.idle(kind, kind === 'yrka-pglite'), notPostgres);
		await each(
			`presence${plan.presence.clients}`,
			(kind) =>
				bench.steady(kind, 'presence', {
					docs: plan.presence.clients / plan.presence.perDoc,
					clientsPerDoc: plan.presence.perDoc,
					writersPerDoc: plan.presence.perDoc,
					rate: plan.presence.clients,
					action: 'awareness',
					checkers: 0
				}),
			notPostgres
		);
		if (pick(process.env.SYNC_BENCH_SCENARIOS, 'trace')) {
			trace = await gen.call('prepareTrace', { edits: plan.trace.edits });
			await each('trace', (kind) => bench.trace(kind, kind === 'yrka-pglite'));
		}
	} finally {
		await bench.stopAll();
		await gen.stop();
	}

	const fanoutMax = `fanout${Math.max(...plan.fanout)}`;
	const withRatios: Figures = {};
	const mainFigure: Record<string, string> = {};
	for (const scenario of Object.keys(results)) {
		const main = scenario.startsWith('join')
			? 'syncP99Ms'
			: scenario.startsWith('idle')
				? 'heapKBPerConnection'
				: scenario.startsWith('presence')
					? 'serverCpuPctOfCore'
					: scenario === 'trace'
						? 'updatesPerSecond'
						: 'cpuUsPerDelivery';
		mainFigure[scenario] = main;
		withRatios[scenario] = { ...results[scenario], [`ratio ${main}`]: ratios(results[scenario], main) };
	}
	printMatrix(results, kinds);

	/** The worse of our two servers for a figure, so a target is met by both drivers or by neither. */
	const worst = (scenario: string, figure: string, higherIsBetter = false): number | string => {
		const v = ['yrka-pglite', 'yrka-postgres']
			.map((k) => results[scenario]?.[k]?.[figure])
			.filter((x): x is number => typeof x === 'number');
		if (v.length === 0) return 'n/a';
		return higherIsBetter ? Math.min(...v) : Math.max(...v);
	};
	const fanoutRatio = ratios(results[fanoutMax] ?? {}, 'cpuUsPerDelivery');
	return {
		setup: {
			mode: quick
				? 'quick: sizes scaled down (fan-out 100, 20 writers, 50 docs × 3 at 150/s, join 30 × 1 MB, 300 idle, presence 50, trace 10,000 edits, 1.5 s windows), one server process per kind reused for all scenarios: indicative only'
				: 'full: a fresh server process per scenario and kind; fan-out and writers share one per kind',
			kinds: kinds.join(', ') + (pg ? '' : ' (no Postgres reachable: yrka-postgres skipped)'),
			cores: 'server pinned to cpu 1, generator to cpu 0 (taskset); Postgres unpinned',
			windowSeconds: plan.windowMs / 1000,
			fanoutWindowSeconds: plan.fanoutWindowMs / 1000,
			presenceShape: `${plan.presence.clients / plan.presence.perDoc} documents × ${plan.presence.perDoc} clients, 1 Hz each`,
			trace: trace
				? `synthetic typing of the fixture: ${trace.edits} edits (${trace.inserts} inserts, ${trace.deletes} deletes), ${trace.finalChars} chars at the end; our per-connection message limit raised for it`
				: 'not run',
			loadAverageBeforeAfter: `${load0} → ${loadAverage()}`,
			serverCode: tree,
			minutes: round((Date.now() - started) / 60_000, 1)
		},
		...withRatios,
		targets: {
			'fan-out CPU per update per observer, ours/reference ≤ 1.0': Object.entries(fanoutRatio)
				.map(([k, v]) => `${k} ${v}`)
				.join(', '),
			'propagation p99 ≤ 30 ms at the largest fan-out (worse of ours, ms)': worst(fanoutMax, 'latencyP99Ms'),
			'join storm sync p99 ≤ 1500 ms (worse of ours, ms)': worst(`join${plan.join.clients}`, 'syncP99Ms'),
			'≤ 10 KB per idle connection (worse of ours, heap KB)': worst(
				`idle${plan.idle.connections}`,
				'heapKBPerConnection'
			),
			'presence ≤ 30 % of a core (worse of ours, %)': worst(`presence${plan.presence.clients}`, 'serverCpuPctOfCore'),
			'trace replay ≥ 10,000 updates/s (worse of ours)': worst('trace', 'updatesPerSecond', true)
		},
		profiles: Object.fromEntries(
			Object.entries(bench.profiles).map(([k, p]) => [
				k,
				{
					busyMs: Math.round(p.busyMs),
					self: Object.fromEntries(p.self.slice(0, 8).map((f, i) => [`${i + 1}`, `${f.pct.toFixed(1)} % ${f.frame}`])),
					total: Object.fromEntries(
						p.total.slice(0, 8).map((f, i) => [`${i + 1}`, `${f.pct.toFixed(1)} % ${f.frame}`])
					),
					areas: Object.fromEntries(p.areas.map((a) => [a.area, `${a.pct.toFixed(1)} %`]))
				}
			])
		),
		...(Object.keys(errors).length ? { errors } : {})
	};
}
