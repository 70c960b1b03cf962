/**
 * The load generator, in its own process on its own core: many light raw-protocol clients (a socket
 * and a few counters each, no Y.Doc, frames encoded before the clock starts) and a few real clients
 * (the stock WebsocketProvider, or a Y.Doc speaking Hocuspocus' framing) that check convergence.
 * Latency is attributed to each update: a writer's update is its Yjs client id and clock, which
 * every receiver reads back with Y.parseUpdateMeta and looks up in the writer's table of send times.
 */
import { createHistogram, monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { draftSeed, paragraphText, TRACE_CLIENT, typingTrace, type Trace } from './docs';
import { serve } from './ipc';
import {
	authFrame,
	awarenessEntries,
	awarenessFrame,
	encodeInsert,
	messageAwareness,
	messageSaved,
	messageSync,
	messageSyncReply,
	readFrame,
	readSavedBody,
	step1Frame,
	step2Frame,
	syncStep1,
	syncStep2,
	syncUpdate,
	updateFrame,
	type Dialect,
	type ItemId
} from './protocol';
import type { Target } from './server-process';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzåäö ';
const COLORS = ['#b91c1c', '#c2410c', '#15803d', '#1d4ed8', '#7e22ce', '#0f766e', '#a16207', '#be185d'];

const us = (ms: number) => Math.max(1, Math.round(ms * 1000));

/** Everything measured between two marks. */
const counters = { sent: 0, deliveries: 0, messagesIn: 0, bytesIn: 0, saved: 0, errors: 0, closedEarly: 0 };
let latency: RecordableHistogram = createHistogram();
let durable: RecordableHistogram = createHistogram();
let lastMark = performance.now();
let lastCpuUs = 0;

let target: Target | null = null;
let tracking: 'update' | 'awareness' | null = null;
let clients: LightClient[] = [];
const writers = new Map<number, LightClient>();
let checkers: Checker[] = [];
let traffic: NodeJS.Timeout | null = null;

function randomClientId(): number {
	// Yjs client ids are uint32; the seed and trace documents use 1–3.
	return 16 + Math.floor(Math.random() * 0xfffffff0);
}

function socketUrl(t: Target, doc: string): string {
	return t.docInPath ? `${t.base}${encodeURIComponent(doc)}${t.query}` : t.base;
}

/** One light client: a socket, its own clocks and send times, and what it has received from others. */
class LightClient {
	readonly ws: WebSocket;
	readonly id = randomClientId();
	readonly createdAt = performance.now();
	/** next Yjs clock of this client's own updates */
	clock = 0;
	/** send time of each own update, by clock */
	readonly sent: number[] = [];
	awarenessClock = 0;
	readonly sentAwareness: number[] = [];
	frames: Uint8Array[] = [];
	awarenessFrames: Uint8Array[] = [];
	/** our server's messageSaved: own clocks below this are durable */
	savedClock = 0;
	/** writer client id → clock received so far */
	readonly seen = new Map<number, number>();
	readonly seenAwareness = new Map<number, number>();
	isSynced = false;
	syncedAt = 0;
	readonly synced: Promise<number>;
	private resolveSynced!: (t: number) => void;
	private rejectSynced!: (e: Error) => void;
	private readonly step2: Uint8Array;
	closedByUs = false;

	constructor(
		readonly t: Target,
		readonly doc: string,
		headers: Record<string, string>,
		readonly anchor: ItemId
	) {
		this.synced = new Promise((resolve, reject) => {
			this.resolveSynced = resolve;
			this.rejectSynced = reject;
		});
		this.synced.catch(() => {});
		this.step2 = step2Frame(t.dialect, doc);
		this.ws = new WebSocket(socketUrl(t, doc), { headers, perMessageDeflate: false });
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('open', () => {
			if (t.dialect === 'hocus') this.ws.send(authFrame(doc, 'bench'));
			this.ws.send(step1Frame(t.dialect, doc));
		});
		this.ws.on('message', (data: Buffer) => this.receive(data));
		this.ws.on('error', (err) => {
			counters.errors++;
			this.rejectSynced(err);
		});
		this.ws.on('close', (code) => {
			if (!this.closedByUs) counters.closedEarly++;
			this.rejectSynced(new Error(`closed before sync (${code})`));
		});
	}

	get dialect(): Dialect {
		return this.t.dialect;
	}

	private receive(data: Buffer): void {
		counters.messagesIn++;
		counters.bytesIn += data.byteLength;
		const m = readFrame(this.dialect, data);
		if (m.type === messageSync || m.type === messageSyncReply) {
			if (m.sub === syncStep1) this.ws.send(this.step2);
			else if (m.sub === syncStep2) {
				if (!this.isSynced) {
					this.isSynced = true;
					this.syncedAt = performance.now();
					this.resolveSynced(this.syncedAt);
					// The initial state may hold earlier updates: remember them as seen, not as deliveries.
					if (tracking === 'update' && m.body && m.body.byteLength < 65_536) this.markSeen(m.body);
				} else if (tracking === 'update' && m.body) this.attribute(m.body);
			} else if (m.sub === syncUpdate && tracking === 'update' && m.body) this.attribute(m.body);
		} else if (m.type === messageAwareness && tracking === 'awareness' && m.body) {
			const now = performance.now();
			awarenessEntries(m.body, (client, clock) => {
				const w = writers.get(client);
				if (!w || w === this) return;
				if (clock <= (this.seenAwareness.get(client) ?? 0)) return;
				const t = w.sentAwareness[clock];
				if (t !== undefined) {
					latency.record(us(now - t));
					counters.deliveries++;
				}
				this.seenAwareness.set(client, clock);
			});
		} else if (m.type === messageSaved && m.body && this.clock > 0) {
			const to = readSavedBody(m.body).get(this.id) ?? 0;
			if (to > this.savedClock) {
				const now = performance.now();
				for (let k = this.savedClock; k < to; k++) {
					const t = this.sent[k];
					if (t !== undefined) {
						durable.record(us(now - t));
						counters.saved++;
					}
				}
				this.savedClock = to;
			}
		}
	}

	private markSeen(update: Uint8Array): void {
		const meta = Y.parseUpdateMeta(update);
		for (const [client, to] of meta.to) if (writers.has(client)) this.seen.set(client, to);
	}

	private attribute(update: Uint8Array): void {
		const meta = Y.parseUpdateMeta(update);
		if (meta.to.size === 0) return;
		const now = performance.now();
		for (const [client, to] of meta.to) {
			const w = writers.get(client);
			if (!w || w === this) continue;
			const prev = this.seen.get(client) ?? 0;
			if (to <= prev) continue;
			for (let k = Math.max(prev, meta.from.get(client) ?? 0); k < to; k++) {
				const t = w.sent[k];
				if (t !== undefined) {
					latency.record(us(now - t));
					counters.deliveries++;
				}
			}
			this.seen.set(client, to);
		}
	}

	private updateFrame(k: number): Uint8Array {
		const origin = k === 0 ? this.anchor : { client: this.id, clock: k - 1 };
		return updateFrame(this.dialect, this.doc, encodeInsert(this.id, k, origin, ALPHABET[k % ALPHABET.length]));
	}

	private awarenessFrame(clock: number): Uint8Array {
		const state = JSON.stringify({
			user: { name: `Ledamot ${this.id % 1000}`, color: COLORS[this.id % COLORS.length] },
			cursor: {
				anchor: { type: null, tname: null, item: { client: this.anchor.client, clock: clock % 40 }, assoc: 0 },
				head: { type: null, tname: null, item: { client: this.anchor.client, clock: clock % 40 }, assoc: 0 }
			}
		});
		return awarenessFrame(this.dialect, this.doc, this.id, clock, state);
	}

	/** Encodes the frames this client will send, before any clock runs. */
	prepare(updates: number, awareness: number): void {
		for (let k = 0; k < updates; k++) this.frames.push(this.updateFrame(k));
		for (let c = 1; c <= awareness; c++) this.awarenessFrames.push(this.awarenessFrame(c));
	}

	write(): void {
		if (this.ws.readyState !== WebSocket.OPEN) return;
		const k = this.clock;
		const frame = this.frames[k] ?? this.updateFrame(k);
		this.sent[k] = performance.now();
		this.clock = k + 1;
		this.ws.send(frame);
		counters.sent++;
	}

	presence(): void {
		if (this.ws.readyState !== WebSocket.OPEN) return;
		const c = ++this.awarenessClock;
		const frame = this.awarenessFrames[c - 1] ?? this.awarenessFrame(c);
		this.sentAwareness[c] = performance.now();
		this.ws.send(frame);
		counters.sent++;
	}

	close(): void {
		this.closedByUs = true;
		this.ws.terminate();
	}
}

/** A real client with a Y.Doc: checks that what the server made of all the traffic is one document. */
interface Checker {
	doc: Y.Doc;
	synced: Promise<void>;
	close(): void;
}

function headerSocket(headers: Record<string, string>): typeof WebSocket {
	// The stock provider constructs `new WS(url, protocols)`: the handshake headers ride in a subclass.
	class HeaderWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return HeaderWebSocket as unknown as typeof WebSocket;
}

function providerChecker(t: Target, doc: string, headers: Record<string, string>): Checker {
	const ydoc = new Y.Doc();
	const provider = new WebsocketProvider(t.providerBase, doc, ydoc, {
		WebSocketPolyfill: headerSocket(headers) as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', (s: boolean) => s && resolve());
	});
	return {
		doc: ydoc,
		synced,
		close: () => {
			provider.destroy();
			ydoc.destroy();
		}
	};
}

/** Hocuspocus' framing around the same sync protocol; @hocuspocus/provider is not installed. */
function hocusChecker(t: Target, doc: string): Checker {
	const ydoc = new Y.Doc();
	const ws = new WebSocket(t.base, { perMessageDeflate: false });
	const origin = Symbol('remote');
	let resolveSynced!: () => void;
	const synced = new Promise<void>((r) => (resolveSynced = r));
	ws.on('open', () => {
		ws.send(authFrame(doc, 'bench'));
		ws.send(step1Frame('hocus', doc, Y.encodeStateVector(ydoc)));
	});
	ws.on('error', () => counters.errors++);
	ws.on('message', (data: Buffer) => {
		const m = readFrame('hocus', data);
		if ((m.type !== messageSync && m.type !== messageSyncReply) || !m.body) return;
		if (m.sub === syncStep1) ws.send(step2Frame('hocus', doc, Y.encodeStateAsUpdate(ydoc, m.body)));
		else {
			Y.applyUpdate(ydoc, m.body, origin);
			if (m.sub === syncStep2) resolveSynced();
		}
	});
	ydoc.on('update', (u: Uint8Array, o: unknown) => {
		if (o !== origin && ws.readyState === WebSocket.OPEN) ws.send(updateFrame('hocus', doc, u));
	});
	return {
		doc: ydoc,
		synced,
		close: () => {
			ws.terminate();
			ydoc.destroy();
		}
	};
}

function makeChecker(t: Target, doc: string): Checker {
	return t.dialect === 'hocus' ? hocusChecker(t, doc) : providerChecker(t, doc, t.headers[0]);
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([
		p.finally(() => clearTimeout(timer)),
		new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))
	]);
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
	const end = performance.now() + ms;
	while (!cond()) {
		if (performance.now() > end) return false;
		await new Promise((r) => setTimeout(r, 20));
	}
	return true;
}

function pct(h: RecordableHistogram) {
	if (h.count === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
	return { count: h.count, p50: h.percentile(50) / 1000, p99: h.percentile(99) / 1000, max: h.max / 1000 };
}

/** Opens clients `concurrency` at a time; resolves when all have synced (or failed). */
async function openClients(
	t: Target,
	plan: { doc: string; i: number }[],
	concurrency: number,
	ms = 60_000
): Promise<{ opened: LightClient[]; failed: number }> {
	const anchor = draftSeed().anchor;
	const opened: LightClient[] = [];
	let failed = 0;
	let next = 0;
	const worker = async () => {
		while (next < plan.length) {
			const { doc, i } = plan[next++];
			const c = new LightClient(t, doc, t.headers[i % t.headers.length], anchor);
			clients.push(c);
			try {
				await timeout(c.synced, ms, 'sync');
				opened.push(c);
			} catch {
				failed++;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
	return { opened, failed };
}

function closeAll(): void {
	if (traffic) clearInterval(traffic);
	traffic = null;
	for (const c of clients) c.close();
	for (const c of checkers) c.close();
	clients = [];
	checkers = [];
	writers.clear();
	tracking = null;
}

export interface SteadySpec {
	docs: number;
	clientsPerDoc: number;
	/** the first this many clients of each document write */
	writersPerDoc: number;
	/** writes per second over all writers; each writer gets its turn in order */
	rate: number;
	action: 'update' | 'awareness';
	/** real clients on the first document */
	checkers: number;
	/** how long traffic will run: frames for that long are encoded up front */
	plannedSeconds: number;
}

let steady: { spec: SteadySpec; pool: LightClient[]; docClients: Map<string, LightClient[]>; markers: number } | null =
	null;

function delivered(): boolean {
	if (!steady) return true;
	for (const list of steady.docClients.values()) {
		const ws = list.slice(0, steady.spec.writersPerDoc);
		for (const c of list) {
			for (const w of ws) {
				if (w === c) continue;
				if (steady.spec.action === 'update' && (c.seen.get(w.id) ?? 0) < w.clock) return false;
				if (steady.spec.action === 'awareness' && (c.seenAwareness.get(w.id) ?? 0) < w.awarenessClock) return false;
			}
		}
	}
	return true;
}

function paragraphLength(doc: Y.Doc): number {
	return doc.getXmlFragment('body').length > 0 ? paragraphText(doc).length : -1;
}

let traceCache: Trace | null = null;

serve({
	async steady(args: { target: Target; spec: SteadySpec }) {
		closeAll();
		const t = (target = args.target);
		const { spec } = args;
		tracking = spec.action;
		const docs = t.docs.slice(0, spec.docs);
		// Interleaved by document, so the round robin of writers visits every document in turn.
		const plan: { doc: string; i: number }[] = [];
		for (let k = 0; k < spec.clientsPerDoc; k++) docs.forEach((doc, d) => plan.push({ doc, i: k * docs.length + d }));
		const started = performance.now();
		const { opened, failed } = await openClients(t, plan, 100);
		if (failed > 0) throw new Error(`${failed} of ${plan.length} clients could not connect to ${t.kind}`);
		const connectSeconds = (performance.now() - started) / 1000;
		const docClients = new Map<string, LightClient[]>();
		for (const c of opened) {
			const list = docClients.get(c.doc) ?? [];
			list.push(c);
			docClients.set(c.doc, list);
		}
		const pool: LightClient[] = [];
		for (let k = 0; k < spec.writersPerDoc; k++) for (const d of docs) pool.push(docClients.get(d)?.[k] as LightClient);
		const perWriter = Math.ceil((spec.rate / pool.length) * spec.plannedSeconds) + 5;
		for (const w of pool) {
			writers.set(w.id, w);
			if (spec.action === 'update') w.prepare(perWriter, 0);
			else w.prepare(0, perWriter);
		}
		let markers = 0;
		for (let i = 0; i < spec.checkers; i++) {
			const c = makeChecker(t, docs[0]);
			checkers.push(c);
			await timeout(c.synced, 30_000, 'checker sync');
			const marker = `[granskare ${i + 1}] `;
			paragraphText(c.doc).insert(0, marker);
			markers += marker.length;
		}
		steady = { spec, pool, docClients, markers };
		return { clients: opened.length, connectSeconds };
	},

	start() {
		if (!steady) throw new Error('no steady scenario set up');
		const { pool, spec } = steady;
		const t0 = performance.now();
		let done = 0;
		let rr = 0;
		traffic = setInterval(() => {
			const due = Math.floor(((performance.now() - t0) / 1000) * spec.rate) - done;
			for (let i = 0; i < due; i++) {
				const c = pool[rr];
				rr = (rr + 1) % pool.length;
				if (spec.action === 'update') c.write();
				else c.presence();
				done++;
			}
		}, 2);
		return true;
	},

	mark() {
		const now = performance.now();
		const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
		const cpu = process.cpuUsage();
		const out = {
			seconds: (now - lastMark) / 1000,
			cpuUs: cpu.user + cpu.system - lastCpuUs,
			...counters,
			latency: pct(latency),
			durable: pct(durable),
			loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) }
		};
		for (const k of Object.keys(counters) as (keyof typeof counters)[]) counters[k] = 0;
		latency = createHistogram();
		durable = createHistogram();
		loop.reset();
		lastMark = now;
		lastCpuUs = cpu.user + cpu.system;
		return out;
	},

	/** Stops traffic, waits until every client has everything, checks convergence, closes all. */
	async finish() {
		if (!steady || !target) throw new Error('no steady scenario set up');
		if (traffic) clearInterval(traffic);
		traffic = null;
		const t = target;
		const { spec, docClients, markers } = steady;
		const drainStart = performance.now();
		const drained = await waitUntil(delivered, 20_000);
		const drainMs = performance.now() - drainStart;
		const doc0 = t.docs[0];
		const written = (docClients.get(doc0) ?? []).slice(0, spec.writersPerDoc).reduce((n, w) => n + w.clock, 0);
		const expected = draftSeed().paragraphChars + markers + (spec.action === 'update' ? written : 0);
		let converged = false;
		let lateJoinMs = 0;
		if (checkers.length > 0) {
			const caughtUp = await waitUntil(() => checkers.every((c) => paragraphLength(c.doc) === expected), 15_000);
			const lateStart = performance.now();
			const late = makeChecker(t, doc0);
			checkers.push(late);
			await timeout(late.synced, 30_000, 'late checker sync').catch(() => {});
			const lateOk = await waitUntil(() => paragraphLength(late.doc) === expected, 15_000);
			lateJoinMs = performance.now() - lateStart;
			const texts = new Set(checkers.map((c) => (paragraphLength(c.doc) >= 0 ? paragraphText(c.doc).toString() : '')));
			converged = caughtUp && lateOk && texts.size === 1;
		}
		const result = {
			drained,
			drainMs,
			converged,
			expectedChars: expected,
			checkers: checkers.length,
			closedEarly: counters.closedEarly,
			errors: counters.errors,
			lateJoinMs
		};
		closeAll();
		steady = null;
		return result;
	},

	/** One synced client per document, kept open (the document stays loaded, as in a meeting). */
	async anchors(args: { target: Target; docs: string[] }) {
		closeAll();
		target = args.target;
		const { failed } = await openClients(
			args.target,
			args.docs.map((doc, i) => ({ doc, i })),
			50
		);
		if (failed > 0) throw new Error(`${failed} anchor clients could not connect`);
		return true;
	},

	/** `n` clients join one document at the same moment; each one's time until it has the whole document. */
	async storm(args: { target: Target; doc: string; n: number }) {
		const started = performance.now();
		const { opened, failed } = await openClients(
			args.target,
			Array.from({ length: args.n }, (_, i) => ({ doc: args.doc, i })),
			args.n,
			120_000
		);
		const h = createHistogram();
		for (const c of opened) h.record(us(c.syncedAt - c.createdAt));
		const totalSeconds = (performance.now() - started) / 1000;
		return { joined: opened.length, failed, sync: pct(h), totalSeconds };
	},

	/** `n` clients spread over `docs`, left open and idle. */
	async idle(args: { target: Target; docs: string[]; n: number }) {
		const started = performance.now();
		const plan = Array.from({ length: args.n }, (_, i) => ({ doc: args.docs[i % args.docs.length], i }));
		const { opened, failed } = await openClients(args.target, plan, 100);
		return { opened: opened.length, failed, seconds: (performance.now() - started) / 1000 };
	},

	closeAll() {
		closeAll();
		return true;
	},

	/** Builds the trace once; the time it takes is not part of any figure. */
	prepareTrace(args: { edits: number }) {
		const started = performance.now();
		if (!traceCache || traceCache.updates.length !== args.edits) traceCache = typingTrace(args.edits);
		return {
			edits: traceCache.updates.length,
			inserts: traceCache.inserts,
			deletes: traceCache.deletes,
			finalChars: traceCache.finalText.length,
			seconds: (performance.now() - started) / 1000
		};
	},

	/**
	 * Replays the trace through the server as fast as it takes it: one writer sends, held back only
	 * by its socket's buffer; a real client receives. Done when the receiver's text is the trace's.
	 */
	async trace(args: { target: Target; doc: string; timeoutMs: number; limit?: number }) {
		closeAll();
		const tr = traceCache;
		if (!tr) throw new Error('prepareTrace first');
		const t = (target = args.target);
		const updates = args.limit ? tr.updates.slice(0, args.limit) : tr.updates;
		let finalText = tr.finalText;
		let insertsTotal = tr.inserts;
		if (args.limit) {
			const d = new Y.Doc();
			Y.applyUpdate(d, draftSeed().update);
			for (const u of updates) Y.applyUpdate(d, u);
			finalText = paragraphText(d).toString();
			insertsTotal = Y.getState(d.store, TRACE_CLIENT);
			d.destroy();
		}
		const frames = updates.map((u) => updateFrame(t.dialect, args.doc, u));
		const { opened, failed } = await openClients(t, [{ doc: args.doc, i: 0 }], 1);
		if (failed) throw new Error('trace writer could not connect');
		const writer = opened[0];
		const checker = makeChecker(t, args.doc);
		checkers.push(checker);
		await timeout(checker.synced, 30_000, 'trace receiver sync');
		const text = paragraphText(checker.doc);
		const expectedLength = finalText.length;
		let finishedAt = 0;
		const done = new Promise<void>((resolve) => {
			checker.doc.on('update', () => {
				if (!finishedAt && text.length === expectedLength && text.toString() === finalText) {
					finishedAt = performance.now();
					resolve();
				}
			});
		});
		const started = performance.now();
		let i = 0;
		const deadline = started + args.timeoutMs;
		while (i < frames.length && performance.now() < deadline) {
			while (i < frames.length && writer.ws.bufferedAmount < 256 * 1024) writer.ws.send(frames[i++]);
			await new Promise((r) => setTimeout(r, 1));
		}
		const complete = await Promise.race([
			done.then(() => true),
			new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, deadline - performance.now())))
		]);
		const seconds = ((complete ? finishedAt : performance.now()) - started) / 1000;
		// Cut off by the time limit: the rate from how far the receiver got (its share of the inserts).
		const insertsSeen = Y.getState(checker.doc.store, TRACE_CLIENT);
		const progress = complete ? 1 : Math.min(1, insertsSeen / Math.max(1, insertsTotal));
		const result = {
			edits: updates.length,
			sent: i,
			complete,
			progress,
			seconds,
			updatesPerSecond: (progress * updates.length) / seconds,
			finalChars: text.length,
			expectedChars: expectedLength,
			finalDocBytes: Y.encodeStateAsUpdate(checker.doc).byteLength
		};
		closeAll();
		return result;
	},

	close() {
		closeAll();
		setImmediate(() => process.exit(0));
		return true;
	}
});
