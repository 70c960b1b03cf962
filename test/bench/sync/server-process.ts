/**
 * The server under test, in its own process (pinned to its own core by the benchmark): ours with
 * auth and durable persistence on PGlite or Postgres, or a reference server. The benchmark reads this
 * process's CPU time, memory and event-loop delay over IPC, so they cover the server alone. Each kind
 * is imported only when started, so a reference server does not carry our modules in its memory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from './ipc';
import type { Dialect } from './protocol';
import type { PrepareArgs, ServerCounters, ServerImpl, ServerKind, StartArgs } from './servers/types';

export type { ServerKind, StartArgs } from './servers/types';

/** Where and how the load generator reaches the server. */
export interface Target {
	kind: ServerKind;
	dialect: Dialect;
	/** light clients connect to `${base}${doc}${query}` (or just `${base}` when docInPath is false) */
	base: string;
	docInPath: boolean;
	query: string;
	/** the `serverUrl` a stock WebsocketProvider is given */
	providerBase: string;
	/** handshake headers, one set per user; clients take them in turn */
	headers: Record<string, string>[];
	docs: string[];
}

export interface Snapshot extends ServerCounters {
	cpuUserUs: number;
	cpuSystemUs: number;
	/** event-loop delay since the previous snapshot, ms */
	loop: { p50: number; p99: number; max: number };
	rssBytes: number;
	/** peak resident memory since the last resetPeak (VmHWM) */
	peakRssBytes: number;
	heapUsedBytes: number;
	externalBytes: number;
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

let kind: ServerKind;
let impl: ServerImpl | null = null;
let profiler: Session | null = null;

function running(): ServerImpl {
	if (!impl) throw new Error('server not started');
	return impl;
}

function target(docs: string[]): Target {
	const s = running();
	const host = `127.0.0.1:${s.port}`;
	const common = { kind, headers: s.headers, docs };
	if (kind === 'yrka-pglite' || kind === 'yrka-postgres') {
		return {
			...common,
			dialect: 'y',
			base: `ws://${host}/sync/`,
			docInPath: true,
			// The browser wrapper asks for durability acknowledgements; the light clients do too.
			query: '?yrka=1',
			providerBase: `ws://${host}/sync`
		};
	}
	if (kind === 'yws') {
		return { ...common, dialect: 'y', base: `ws://${host}/`, docInPath: true, query: '', providerBase: `ws://${host}` };
	}
	return {
		...common,
		dialect: 'hocus',
		base: `ws://${host}/`,
		docInPath: false,
		query: '',
		providerBase: `ws://${host}`
	};
}

function peakRss(): number {
	const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	return m ? Number(m[1]) * 1024 : 0;
}

serve({
	async start(args: StartArgs) {
		kind = args.kind;
		if (kind === 'yrka-pglite' || kind === 'yrka-postgres')
			impl = await (await import('./servers/ours')).startOurs(args);
		else if (kind === 'yws') impl = await (await import('./servers/yws')).startYws();
		else impl = await (await import('./servers/hocuspocus')).startHocuspocus();
		return { port: impl.port, pid: process.pid };
	},

	async prepare(args: PrepareArgs): Promise<Target> {
		const names = await running().prepare(args);
		return target(names);
	},

	snapshot(): Snapshot {
		const cpu = process.cpuUsage();
		const mem = process.memoryUsage();
		const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
		const out: Snapshot = {
			cpuUserUs: cpu.user,
			cpuSystemUs: cpu.system,
			loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
			rssBytes: mem.rss,
			peakRssBytes: peakRss(),
			heapUsedBytes: mem.heapUsed,
			externalBytes: mem.external + mem.arrayBuffers,
			...running().counters()
		};
		loop.reset();
		return out;
	},

	settle(args: { timeoutMs?: number }) {
		return running().settle(args.timeoutMs ?? 15_000);
	},

	storedBytes(args: { doc: string }) {
		return running().storedBytes(args.doc);
	},

	/** Starts a new peak-memory measurement (Linux resets VmHWM to the current RSS). */
	resetPeak() {
		writeFileSync('/proc/self/clear_refs', '5');
		return peakRss();
	},

	/** Memory after full collections: what live connections and documents hold. */
	memory() {
		const gc = (globalThis as { gc?: () => void }).gc;
		if (gc) for (let i = 0; i < 3; i++) gc();
		const m = process.memoryUsage();
		return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers, collected: !!gc };
	},

	async profileStart() {
		profiler = new Session();
		profiler.connect();
		await profiler.post('Profiler.enable');
		// Finer sampling for a short window: SYNC_BENCH_SAMPLE_US (V8's default is 1,000 µs).
		const interval = Number(process.env.SYNC_BENCH_SAMPLE_US);
		if (interval > 0) await profiler.post('Profiler.setSamplingInterval', { interval });
		await profiler.post('Profiler.start');
		return true;
	},

	async profileStop(args: { file: string }) {
		if (!profiler) throw new Error('no profile running');
		const { profile } = await profiler.post('Profiler.stop');
		profiler.disconnect();
		profiler = null;
		writeFileSync(args.file, JSON.stringify(profile));
		return args.file;
	},

	async close() {
		setTimeout(() => process.exit(0), 10_000).unref();
		await impl?.close();
		impl = null;
		setImmediate(() => process.exit(0));
		return true;
	}
});
