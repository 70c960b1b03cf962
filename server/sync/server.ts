import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Db } from '../../db/client';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
import { loadPrincipal } from '../auth/principal';
import type { Principal } from '../policies';
import { accessMode, loadPrincipalById, loadThing, parseDocName, sessionValid, type DocRef } from './access';
import { RedisBus, type AccessFilter } from './bus';
import { GroupCommitter, type CommittedDoc } from './committer';
import { SocketLimits, socketLimitsFromEnv } from './limits';
import { defaultSyncOptions, type SyncOptions } from './options';
import { projectDoc } from './projection';
import { SyncStore, type StoredProjection } from './store';
import { loadTokenSecret, signToken, TOKEN_LIFETIME_MS, verifyToken } from './token';
import {
	accessReasons,
	closeCodes,
	encodeAccess,
	encodeSaved,
	EXTENSIONS_PARAM,
	messageAuth,
	messageAwareness,
	messageQueryAwareness,
	messageSync,
	type AccessMode
} from './wire';

/** Origins of Y.Doc transactions that are not a client's edit. */
const LOAD = Symbol('load');
const REMOTE = Symbol('remote');
const SERVER = Symbol('server-write');

/** How long a settled access lookup is shared by later upgrades of the same access epoch. */
const LOOKUP_TTL_MS = 2_000;
const MAX_KEPT_LOOKUPS = 10_000;

export interface SyncStats {
	/** documents in memory */
	docs: number;
	connections: number;
	/** accepted updates not yet committed */
	pendingUpdates: number;
	commits: { batches: number; updates: number; bytes: number; failures: number };
	/** connections dropped for not reading fast enough */
	slowReadersDropped: number;
	/** updates refused because the connection may only read */
	rejectedUpdates: number;
	/** connections closed for a malformed message */
	malformedClosed: number;
}

/** What the rest of the server uses; see the contract in the sync issue. */
export interface SyncService {
	/**
	 * Re-checks access of every affected connection (all when no filter) and downgrades or closes it.
	 * With Redis, every process does the same.
	 */
	notifyAccessChanged(filter?: AccessFilter): Promise<void>;
	/** A server-side change: applied in one transaction, durable when this resolves, broadcast to clients. */
	writeDoc(docName: string, change: (doc: Y.Doc) => void): Promise<void>;
	/** A copy of the current state (from memory when loaded, else from storage). */
	readDoc(docName: string): Promise<Y.Doc>;
	/** The stored plain projection (for a draft: projectDraft's JSON), without loading the document. */
	readProjection(docName: string): Promise<StoredProjection | null>;
	readProjections(docNames: string[]): Promise<Map<string, StoredProjection>>;
	stats(): SyncStats;
	/** Resolves when everything accepted so far is durable. */
	flush(): Promise<void>;
	/** Closes every socket, flushes, writes projections; the database stays open. */
	close(): Promise<void>;
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** A short-lived token that opens `docName` as this user (access is still decided when it is used). */
	issueToken(userId: string, docName: string): { token: string; expiresAt: number };
}

class TokenBucket {
	private tokens: number;
	private last = Date.now();
	constructor(
		private readonly rate: number,
		private readonly burst: number
	) {
		this.tokens = burst;
	}
	private refill(): void {
		const now = Date.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
	}
	/** Milliseconds until n tokens are there (a cost above the burst waits for a full bucket). */
	waitFor(n: number): number {
		this.refill();
		const need = Math.min(n, this.burst);
		return this.tokens >= need ? 0 : Math.ceil(((need - this.tokens) / this.rate) * 1000);
	}
	take(n: number): void {
		this.tokens -= Math.min(n, this.burst);
	}
}

interface Identity {
	principal: Principal;
	/** the session the socket was opened with; null for token clients */
	sessionId: string | null;
}

class Connection {
	mode: AccessMode;
	/** Initial messages sent; the connection receives broadcasts from now on. */
	open = false;
	alive = true;
	closed = false;
	/** Messages that arrived while the document was loading. */
	early: Uint8Array[] | null = [];
	readonly awarenessIds = new Set<number>();
	/** Yjs client ids this connection wrote for: the clocks its "saved" messages report. */
	readonly written = new Set<number>();
	/** Clients this connection brought new structs of, already reported to hooks.clientsSeen. */
	readonly claimed = new Set<number>();
	acks: { target: number; clocks: Map<number, number> }[] = [];
	/** Received, not yet handled (rate limit). */
	inbox: Uint8Array[] = [];
	throttled = false;

	constructor(
		readonly ws: WebSocket,
		/** the socket under `ws`: broadcasts write frames encoded once for all peers straight to it */
		readonly socket: Duplex,
		readonly room: Room,
		readonly identity: Identity,
		mode: AccessMode,
		/** the client understands messageSaved and messageAccess */
		readonly extensions: boolean,
		readonly msgBucket: TokenBucket,
		readonly byteBucket: TokenBucket
	) {
		this.mode = mode;
	}
}

class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly conns = new Set<Connection>();
	/** which local connection introduced each presence (Yjs clientID) */
	readonly awarenessOwners = new Map<number, Connection>();
	/** writeDoc/readDoc calls keeping the document in memory */
	holds = 0;
	/** every update up to this sequence number has been applied */
	lastSeq = 0;
	/** sequence numbers applied out of order, waiting for the gap before them */
	readonly ahead = new Set<number>();
	/** updates from Redis that arrived while loading */
	busBuffer: { seq: number; update: Uint8Array }[] | null = null;
	ready!: Promise<void>;
	loaded = false;
	/** accepted updates not yet committed */
	pending = 0;
	/** log rows after the snapshot (approximately: every sequence number seen) */
	logLength = 0;
	compacting = false;
	catchingUp = false;
	projectionDirty = false;
	/**
	 * The sync step-2 message for an empty state vector (the whole document), kept until the next
	 * change: every fresh client asks for exactly this, and a join storm on a large document would
	 * otherwise encode the document once per client.
	 */
	fullStep2: Buffer | null = null;
	unloadTimer: NodeJS.Timeout | null = null;
	unloading = false;

	constructor(readonly ref: DocRef) {
		this.awareness.setLocalState(null);
	}
	get name() {
		return this.ref.name;
	}
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, messageSync);
	syncProtocol.writeUpdate(e, update);
	return encoding.toUint8Array(e);
}

/**
 * What the client lacks after `sv`. For an empty state vector the caller keeps it in Room.fullStep2
 * until the next update (docUpdated clears it), so it never holds less than the document.
 */
function step2Message(doc: Y.Doc, sv?: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, messageSync);
	syncProtocol.writeSyncStep2(e, doc, sv);
	return encoding.toUint8Array(e);
}

/**
 * A message as one binary WebSocket frame from server to client (final, unmasked, no extension): the
 * same bytes for every peer, so a broadcast encodes it once (RFC 6455 section 5.2).
 */
export function binaryFrame(payload: Uint8Array): Buffer {
	const n = payload.byteLength;
	const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
	const frame = Buffer.allocUnsafe(head + n);
	frame[0] = 0x82;
	if (n < 126) frame[1] = n;
	else if (n < 65_536) {
		frame[1] = 126;
		frame.writeUInt16BE(n, 2);
	} else {
		frame[1] = 127;
		frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
		frame.writeUInt32BE(n >>> 0, 6);
	}
	frame.set(payload, head);
	return frame;
}

function awarenessMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, messageAwareness);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Whether applying `update` would change `doc`: new structs, or deletions of content not yet deleted.
 * A read-only client's update that changes nothing (e.g. an empty sync step 2) is harmless; any
 * other is refused.
 */
export function updateChangesDoc(doc: Y.Doc, update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	for (const s of structs) {
		if (s instanceof Y.Skip) continue;
		if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return true;
	}
	if (ds.clients.size === 0) return false;
	const known = Y.createDeleteSetFromStructStore(doc.store);
	for (const [client, items] of ds.clients) {
		const have = known.clients.get(client) ?? [];
		for (const it of items) {
			if (it.len === 0) continue;
			const covered = have.some((h) => h.clock <= it.clock && it.clock + it.len <= h.clock + h.len);
			if (!covered) return true;
		}
	}
	return false;
}

/** Resolves when p does, or after ms (p keeps running). */
function withTimeout<T>(p: Promise<T> | undefined, ms: number): Promise<T | undefined> {
	if (!p) return Promise.resolve(undefined);
	let timer: NodeJS.Timeout;
	const timeout = new Promise<undefined>((resolve) => {
		timer = setTimeout(() => resolve(undefined), ms);
		timer.unref();
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
	}
	return undefined;
}

type Decision =
	{ ok: true; ref: DocRef; identity: Identity; mode: AccessMode } | { ok: false; code: number; reason: string };

/**
 * Optional observers for the rest of the server (version history, attribution). They are called after
 * the fact and never awaited on the way of an update; a promise they return is waited for by close().
 */
export interface SyncHooks {
	/**
	 * A writer's update brought structs of these Yjs clients, new on its connection: the user wrote as
	 * them. Called when the update is accepted, before its group commit.
	 */
	clientsSeen?(docName: string, userId: string, clients: number[]): void | Promise<void>;
	/** Updates of the document were committed; the users whose edits they were (none for server writes). */
	committed?(docName: string, userIds: string[]): void | Promise<void>;
	/** The document left memory: nobody used it for unloadDelayMs and all of it is durable. */
	unloaded?(docName: string): void | Promise<void>;
}

export interface CreateSyncServerOptions {
	db: Db;
	log: (msg: string, extra?: unknown) => void;
	options?: Partial<SyncOptions>;
	hooks?: SyncHooks;
}

/**
 * The y-websocket protocol server: rooms of documents in memory, access on upgrade and on change,
 * durable group commit before anything is broadcast or acknowledged, compaction, projections,
 * scale-out through Redis, and limits that keep one bad client from hurting the others.
 */
export async function createSyncServer(opts: CreateSyncServerOptions): Promise<SyncService> {
	const server = new SyncServer(opts.db, opts.log, defaultSyncOptions(opts.options), opts.hooks ?? {});
	await server.start();
	return server;
}

class SyncServer implements SyncService {
	private readonly store: SyncStore;
	private readonly rooms = new Map<string, Room>();
	private readonly conns = new Set<Connection>();
	private readonly committer: GroupCommitter<Room, Connection>;
	private readonly wss: WebSocketServer;
	private readonly nodeId = randomBytes(8).toString('hex');
	private bus: RedisBus | null = null;
	private tokenSecret = '';
	private timers: NodeJS.Timeout[] = [];
	private closing = false;
	/** Counts access re-checks, so a socket authorized across one is checked again. */
	private accessEpoch = 0;
	private readonly background = new Set<Promise<unknown>>();
	/** access lookups in flight or just settled, of the epoch lookupEpoch; see shared() */
	private readonly lookups = new Map<string, { result: Promise<unknown>; until: number }>();
	private lookupEpoch = 0;
	/** Rooms whose stored projection is stale, written together by one timer. */
	private readonly projectionQueue = new Set<Room>();
	private projectionTimer: NodeJS.Timeout | null = null;
	private counters = { slowReadersDropped: 0, rejectedUpdates: 0, malformedClosed: 0 };
	private readonly limits: SocketLimits;

	constructor(
		private readonly db: Db,
		private readonly log: (msg: string, extra?: unknown) => void,
		private readonly opts: SyncOptions,
		private readonly hooks: SyncHooks = {}
	) {
		this.store = new SyncStore(db);
		this.limits = new SocketLimits(socketLimitsFromEnv(process.env, opts.trustProxy));
		this.committer = new GroupCommitter<Room, Connection>({
			nameOf: (room) => room.name,
			write: (batch) => this.store.append(batch),
			committed: (docs) => this.committed(docs),
			log
		});
		this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes, perMessageDeflate: false });
	}

	async start(): Promise<void> {
		this.tokenSecret = await loadTokenSecret(this.db, this.opts.tokenSecret);
		if (this.opts.redisUrl) {
			this.bus = new RedisBus(
				this.opts.redisUrl,
				this.nodeId,
				{
					update: (name, seq, update) => this.remoteUpdate(name, seq, update),
					awareness: (name, update) => this.remoteAwareness(name, update),
					awarenessQuery: (name) => this.answerAwarenessQuery(name),
					access: (filter) => void this.recheck(filter),
					reconnected: () => this.checkSeqs()
				},
				this.log
			);
			await this.bus.connect();
			this.every(this.opts.seqCheckMs, () => this.checkSeqs());
		}
		this.every(this.opts.pingIntervalMs, () => this.ping());
		this.every(this.opts.accessRecheckMs, () => void this.recheck({}));
	}

	private every(ms: number, fn: () => void) {
		const t = setInterval(fn, ms);
		t.unref();
		this.timers.push(t);
	}

	issueToken(userId: string, docName: string): { token: string; expiresAt: number } {
		const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
		return { token: signToken(this.tokenSecret, { userId, docName, expiresAt }), expiresAt };
	}

	// ---- upgrade and access ------------------------------------------------------------------------

	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => socket.destroy());
		if (this.closing) {
			socket.destroy();
			return;
		}
		const epoch = this.accessEpoch;
		// Sockets per address and per user are capped (limits.ts); a refusal is a close frame like any other.
		const full = this.limits.admitAddress(req, socket);
		void (full ? Promise.resolve<Decision>(full) : this.authorize(req))
			.catch((err): Decision => {
				this.log('sync: authorizing a socket failed', err);
				return { ok: false, code: closeCodes.unavailable, reason: 'unavailable' };
			})
			.then((authorized) => {
				if (socket.destroyed || this.closing) {
					socket.destroy();
					return;
				}
				const decision = this.limits.admitUser(authorized, socket);
				this.wss.handleUpgrade(req, socket, head, (ws) => {
					// A refusal is the 101 and a close frame: not one byte of the document.
					if (!decision.ok) ws.close(decision.code, decision.reason);
					else this.accept(ws, socket, req, decision, epoch);
				});
			});
	}

	private async authorize(req: IncomingMessage): Promise<Decision> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		let name: string;
		try {
			name = decodeURIComponent(url.pathname.replace(/^\/sync\//, ''));
		} catch {
			name = '';
		}
		const identity = await this.authenticate(req, url, name);
		if (!identity) return { ok: false, code: closeCodes.unauthenticated, reason: 'unauthenticated' };
		if (identity === 'forbidden') return { ok: false, code: closeCodes.forbidden, reason: 'forbidden' };
		const ref = parseDocName(name);
		if (!ref) return { ok: false, code: closeCodes.forbidden, reason: 'forbidden' };
		const mode = accessMode(
			identity.principal,
			await this.shared(`thing\u0000${ref.name}`, () => loadThing(this.db, ref))
		);
		if (!mode) return { ok: false, code: closeCodes.forbidden, reason: 'forbidden' };
		return { ok: true, ref, identity, mode };
	}

	/** A token (query `token` or a bearer header) or the session cookie; 'forbidden' for a cross-site socket. */
	private async authenticate(req: IncomingMessage, url: URL, name: string): Promise<Identity | 'forbidden' | null> {
		const auth = req.headers.authorization;
		const token = url.searchParams.get('token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : null);
		if (token) {
			const claims = verifyToken(this.tokenSecret, token);
			if (!claims) return null;
			if (claims.docName !== name) return 'forbidden';
			const principal = await this.shared(`user\u0000${claims.userId}`, () =>
				loadPrincipalById(this.db, claims.userId)
			);
			return principal ? { principal, sessionId: null } : null;
		}
		const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
		if (!cookie) return null;
		// Browsers send cookies with cross-site socket handshakes too; the Origin tells them apart.
		const origin = req.headers.origin;
		if (origin) {
			const host =
				(this.opts.trustProxy && (req.headers['x-forwarded-host'] as string | undefined)) || req.headers.host || '';
			let originHost = '';
			try {
				originHost = new URL(origin).host;
			} catch {
				/* not a URL: treated as foreign */
			}
			if (originHost !== host) return 'forbidden';
		}
		const found = await this.shared(`session\u0000${cookie}`, async () => {
			const session = await validateSessionToken(this.db, cookie);
			return session ? { principal: await loadPrincipal(this.db, session.user), sessionId: session.session.id } : null;
		});
		// A fresh object per socket: a re-check replaces its principal.
		return found && { principal: found.principal, sessionId: found.sessionId };
	}

	/**
	 * A lookup shared by the upgrades that need the same rows (a join storm: a whole board opening one
	 * document, many tabs of one session), in flight and for LOOKUP_TTL_MS after it settles. Only within
	 * one access epoch: every access change this process hears of (a draft's status or parties, a
	 * membership, a logout, the periodic re-check) starts a new epoch and drops every kept lookup, so a
	 * socket is never let in on rows older than the last change the open sockets were re-checked for.
	 * A failed lookup is not kept. A socket authorized across a change is checked again in accept.
	 */
	private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
		if (this.lookupEpoch !== this.accessEpoch) {
			this.lookups.clear();
			this.lookupEpoch = this.accessEpoch;
		}
		const now = Date.now();
		const kept = this.lookups.get(key);
		if (kept && kept.until > now) return kept.result as Promise<T>;
		if (this.lookups.size >= MAX_KEPT_LOOKUPS) {
			for (const [k, v] of this.lookups) if (v.until <= now) this.lookups.delete(k);
			if (this.lookups.size >= MAX_KEPT_LOOKUPS) this.lookups.clear();
		}
		const entry = { result: load() as Promise<unknown>, until: Infinity };
		this.lookups.set(key, entry);
		entry.result.then(
			() => (entry.until = Date.now() + LOOKUP_TTL_MS),
			() => {
				if (this.lookups.get(key) === entry) this.lookups.delete(key);
			}
		);
		return entry.result as Promise<T>;
	}

	private accept(
		ws: WebSocket,
		socket: Duplex,
		req: IncomingMessage,
		d: Extract<Decision, { ok: true }>,
		epoch: number
	): void {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const room = this.getRoom(d.ref);
		const conn = new Connection(
			ws,
			socket,
			room,
			d.identity,
			d.mode,
			url.searchParams.get(EXTENSIONS_PARAM) === '1',
			new TokenBucket(this.opts.messagesPerSecond, this.opts.messageBurst),
			new TokenBucket(this.opts.bytesPerSecond, this.opts.byteBurst)
		);
		this.conns.add(conn);
		room.conns.add(conn);
		ws.on('error', () => {});
		ws.on('pong', () => (conn.alive = true));
		ws.on('close', () => this.drop(conn));
		ws.on('message', (data) => this.receive(conn, toBytes(data)));
		// Access changed while this socket was being authorized: decide again before sending anything.
		const recheck =
			this.accessEpoch === epoch ? undefined : this.recheck({ docName: room.name, userId: d.identity.principal.id });
		Promise.all([room.ready, recheck]).then(
			() => this.openConnection(conn),
			() => this.closeConn(conn, closeCodes.unavailable, 'unavailable')
		);
	}

	private openConnection(conn: Connection): void {
		if (conn.closed) return;
		const { room } = conn;
		if (conn.extensions) this.send(conn, encodeAccess(conn.mode, conn.mode === 'read' ? accessReasons.readOnly : ''));
		// Only a writer is asked for what it has: a reader's extra content would be refused anyway.
		if (conn.mode === 'edit') {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, messageSync);
			syncProtocol.writeSyncStep1(e, room.doc);
			this.send(conn, encoding.toUint8Array(e));
		}
		const states = room.awareness.getStates();
		if (states.size > 0) {
			this.send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()])));
		}
		conn.open = true;
		const early = conn.early ?? [];
		conn.early = null;
		for (const m of early) this.handle(conn, m);
	}

	/**
	 * Re-decides access for the matching connections from fresh rows: a user who lost access is
	 * disconnected, one who may now only read is told so and refused from then on.
	 */
	private async recheck(filter: AccessFilter): Promise<void> {
		this.accessEpoch++;
		const targets = [...this.conns].filter(
			(c) =>
				!c.closed &&
				(!filter.docName || c.room.name === filter.docName) &&
				(!filter.userId || c.identity.principal.id === filter.userId)
		);
		if (targets.length === 0) return;
		const principals = new Map<string, Promise<Principal | null>>();
		const things = new Map<string, ReturnType<typeof loadThing>>();
		const sessions = new Map<string, Promise<boolean>>();
		await Promise.all(
			targets.map(async (conn) => {
				const userId = conn.identity.principal.id;
				if (!principals.has(userId)) principals.set(userId, loadPrincipalById(this.db, userId));
				if (!things.has(conn.room.name)) things.set(conn.room.name, loadThing(this.db, conn.room.ref));
				const sid = conn.identity.sessionId;
				if (sid && !sessions.has(sid)) sessions.set(sid, sessionValid(this.db, sid, userId));
				try {
					const principal = await principals.get(userId);
					const thing = await things.get(conn.room.name);
					if (sid && !(await sessions.get(sid))) {
						this.closeConn(conn, closeCodes.unauthenticated, 'unauthenticated');
						return;
					}
					const mode = accessMode(principal ?? null, thing ?? null);
					if (!mode) {
						this.closeConn(conn, closeCodes.forbidden, 'forbidden');
						return;
					}
					if (principal) conn.identity.principal = principal;
					if (mode !== conn.mode) {
						conn.mode = mode;
						if (conn.extensions && conn.open) {
							this.send(conn, encodeAccess(mode, mode === 'read' ? accessReasons.readOnly : ''));
						}
					}
				} catch (err) {
					this.log('sync: access re-check failed', err);
				}
			})
		);
	}

	async notifyAccessChanged(filter: AccessFilter = {}): Promise<void> {
		await Promise.all([
			this.recheck(filter),
			// Redis being away must not hold up the caller (a drafts request); the other processes' periodic
			// re-check still catches the change.
			withTimeout(this.bus?.publishAccess(filter), 1000).catch((err) =>
				this.log('sync: publishing an access change failed', err)
			)
		]);
	}

	// ---- messages ------------------------------------------------------------------------------------

	private receive(conn: Connection, data: Uint8Array): void {
		if (conn.closed) return;
		conn.alive = true;
		conn.inbox.push(data);
		if (!conn.throttled) this.drain(conn);
	}

	/**
	 * Handles queued messages as far as the connection's rate allows. Over the limit, the socket is
	 * paused: TCP pushes back on the client, the queue holds at most what was already read, and other
	 * documents are not slowed.
	 */
	private drain(conn: Connection): void {
		conn.throttled = false;
		while (conn.inbox.length > 0 && !conn.closed) {
			const data = conn.inbox[0];
			const wait = Math.max(conn.msgBucket.waitFor(1), conn.byteBucket.waitFor(data.byteLength));
			if (wait > 0) {
				conn.throttled = true;
				if (!conn.ws.isPaused) conn.ws.pause();
				setTimeout(() => this.drain(conn), wait).unref();
				return;
			}
			conn.msgBucket.take(1);
			conn.byteBucket.take(data.byteLength);
			conn.inbox.shift();
			if (conn.early) conn.early.push(data);
			else this.handle(conn, data);
		}
		if (conn.ws.isPaused && !conn.closed) conn.ws.resume();
	}

	private handle(conn: Connection, data: Uint8Array): void {
		if (conn.closed) return;
		const { room } = conn;
		try {
			const d = decoding.createDecoder(data);
			const type = decoding.readVarUint(d);
			switch (type) {
				case messageSync: {
					const sub = decoding.readVarUint(d);
					if (sub === syncProtocol.messageYjsSyncStep1) this.answerStep1(conn, decoding.readVarUint8Array(d));
					else if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate)
						this.receiveUpdate(conn, decoding.readVarUint8Array(d));
					else throw new Error(`unknown sync message ${sub}`);
					break;
				}
				case messageAwareness:
					this.receiveAwareness(conn, decoding.readVarUint8Array(d));
					break;
				case messageQueryAwareness:
					this.send(
						conn,
						awarenessMessage(
							awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()])
						)
					);
					break;
				case messageAuth:
					break;
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (err) {
			this.counters.malformedClosed++;
			this.log('sync: malformed message, closing the connection', err instanceof Error ? err.message : err);
			this.closeConn(conn, closeCodes.malformed, 'malformed message');
		}
	}

	/**
	 * The reply to a client's state vector. It is computed now but sent only once everything accepted
	 * so far is durable, so no client ever receives content that a crash could take back.
	 */
	private answerStep1(conn: Connection, sv: Uint8Array): void {
		const { room } = conn;
		const { doc } = room;
		const clientClocks = Y.decodeStateVector(sv);
		// A fresh client's reply is kept as a ready WebSocket frame, shared by every fresh client until the next update.
		const full = clientClocks.size === 0 ? (room.fullStep2 ??= binaryFrame(step2Message(doc))) : null;
		const reply = full ? null : step2Message(doc, sv);
		let saved: Uint8Array | null = null;
		if (conn.extensions) {
			// What the server holds of every client the peer knows, its own included: after a reconnect
			// it learns at once which of its earlier edits are stored.
			const clocks = new Map<number, number>();
			for (const client of clientClocks.keys()) clocks.set(client, Y.getState(doc.store, client));
			saved = encodeSaved(clocks);
		}
		void this.committer.whenDurable().then(() => {
			if (full) this.sendFrame(conn, full);
			else if (reply) this.send(conn, reply);
			if (saved) this.send(conn, saved);
		});
	}

	private receiveUpdate(conn: Connection, update: Uint8Array): void {
		const { doc } = conn.room;
		if (conn.mode !== 'edit') {
			if (updateChangesDoc(doc, update)) {
				this.counters.rejectedUpdates++;
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, messageAuth);
				authProtocol.writePermissionDenied(e, accessReasons.readOnly);
				this.send(conn, encoding.toUint8Array(e));
			}
			return;
		}
		const meta = Y.parseUpdateMeta(update);
		const unclaimed = this.hooks.clientsSeen
			? [...meta.to.keys()].filter((c) => !conn.claimed.has(c)).map((c) => [c, Y.getState(doc.store, c)] as const)
			: [];
		// The doc's update event queues the effective change for the group commit (see getRoom).
		Y.applyUpdate(doc, update, conn);
		for (const client of meta.to.keys()) conn.written.add(client);
		// Only clients whose structs this update actually added: relaying others' known text claims nothing.
		const claimed = unclaimed.filter(([c, before]) => Y.getState(doc.store, c) > before).map(([c]) => c);
		if (claimed.length) {
			for (const c of claimed) conn.claimed.add(c);
			const userId = conn.identity.principal.id;
			this.callHook(() => this.hooks.clientsSeen?.(conn.room.name, userId, claimed));
		}
		if (conn.extensions && conn.written.size > 0) {
			const clocks = new Map<number, number>();
			for (const client of conn.written) clocks.set(client, Y.getState(doc.store, client));
			const target = this.committer.target();
			// One entry and one wait per batch, not per update: a fast writer puts thousands of updates into
			// one batch while a transaction is in flight (the clocks only grow, so the last ones cover the rest).
			const last = conn.acks[conn.acks.length - 1];
			if (last && last.target === target) last.clocks = clocks;
			else {
				conn.acks.push({ target, clocks });
				void this.committer.whenDurable(target).then(() => this.sendAcks(conn));
			}
		}
	}

	private sendAcks(conn: Connection): void {
		const durable = this.committer.durableId;
		// Targets only grow: the durable ones are at the front.
		let n = 0;
		while (n < conn.acks.length && conn.acks[n].target <= durable) n++;
		if (n === 0) return;
		const ready = conn.acks.splice(0, n);
		const merged = new Map<number, number>();
		for (const a of ready) for (const [c, k] of a.clocks) merged.set(c, Math.max(k, merged.get(c) ?? 0));
		this.send(conn, encodeSaved(merged));
	}

	/** Whether the connection can take more: a peer that does not read is dropped instead. */
	private writable(conn: Connection): boolean {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return false;
		// What ws and the socket hold unsent (bufferedAmount less ws' compression queue, which is off).
		if (conn.socket.writableLength > this.opts.maxBufferedBytes) {
			// A peer that does not read would make us hold every update for it; drop it instead.
			this.counters.slowReadersDropped++;
			conn.closed = true;
			conn.ws.terminate();
			return false;
		}
		return true;
	}

	private send(conn: Connection, data: Uint8Array): void {
		if (this.writable(conn)) conn.ws.send(data);
	}

	/**
	 * Sends a frame made by binaryFrame: one write of bytes shared by every recipient, instead of ws
	 * building a header and corking the socket for each. Safe beside ws' own writes (pings, close,
	 * send) because without permessage-deflate ws writes each of its frames whole and at once.
	 */
	private sendFrame(conn: Connection, frame: Buffer): void {
		if (this.writable(conn)) conn.socket.write(frame);
	}

	private closeConn(conn: Connection, code: number, reason: string): void {
		if (conn.closed) return;
		conn.closed = true;
		if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING)
			conn.ws.close(code, reason);
		this.drop(conn);
	}

	private drop(conn: Connection): void {
		conn.closed = true;
		if (!this.conns.delete(conn)) return;
		const { room } = conn;
		room.conns.delete(conn);
		if (conn.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], null);
		}
		this.maybeUnload(room);
	}

	private ping(): void {
		for (const conn of this.conns) {
			// A connection we paused for its rate cannot read our pong: it is evidently alive.
			if (!conn.alive && !conn.throttled) {
				conn.ws.terminate();
				this.drop(conn);
				continue;
			}
			conn.alive = false;
			if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping();
		}
	}

	// ---- rooms -----------------------------------------------------------------------------------------

	private getRoom(ref: DocRef): Room {
		let room = this.rooms.get(ref.name);
		if (!room) {
			const r = new Room(ref);
			room = r;
			this.rooms.set(ref.name, r);
			r.doc.on('update', (update: Uint8Array, origin: unknown) => this.docUpdated(r, update, origin));
			r.awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
				this.awarenessUpdated(r, changes, origin)
			);
			r.ready = this.load(r);
			r.ready.catch((err) => {
				this.log(`sync: loading ${r.name} failed`, err);
				if (this.rooms.get(r.name) === r) this.rooms.delete(r.name);
				void this.bus?.unsubscribe(r.name);
				r.awareness.destroy();
				r.doc.destroy();
			});
		}
		if (room.unloadTimer) {
			clearTimeout(room.unloadTimer);
			room.unloadTimer = null;
		}
		return room;
	}

	private async load(room: Room): Promise<void> {
		if (this.bus) {
			// Subscribe before reading, so nothing committed in between is missed.
			room.busBuffer = [];
			// Redis being away must not keep the document closed: without the subscription, the periodic
			// sequence check brings in other processes' updates.
			await withTimeout(this.bus.subscribe(room.name), 2000).catch((err) =>
				this.log(`sync: subscribing to ${room.name} failed`, err)
			);
			this.bus.publishAwarenessQuery(room.name);
		}
		const [stored, projections] = await Promise.all([
			this.store.readSince(room.name, 0),
			this.store.readProjections([room.name])
		]);
		Y.transact(
			room.doc,
			() => {
				for (const u of stored.updates) Y.applyUpdate(room.doc, u);
			},
			LOAD
		);
		room.lastSeq = stored.seq;
		room.logLength = stored.logLength;
		const buffered = room.busBuffer ?? [];
		room.busBuffer = null;
		room.loaded = true;
		for (const b of buffered) this.remoteUpdate(room.name, b.seq, b.update);
		if ((projections.get(room.name)?.seq ?? -1) < room.lastSeq) this.scheduleProjection(room);
		this.maybeCompact(room);
	}

	private docUpdated(room: Room, update: Uint8Array, origin: unknown): void {
		room.fullStep2 = null;
		if (origin === LOAD) return;
		this.scheduleProjection(room);
		if (origin === REMOTE) {
			// Already durable (committed by another process): straight to the local clients.
			const frame = binaryFrame(syncUpdateMessage(update));
			for (const c of room.conns) if (c.open) this.sendFrame(c, frame);
			return;
		}
		room.pending++;
		this.committer.enqueue({ room, update, origin: origin instanceof Connection ? origin : null });
	}

	private committed(docs: CommittedDoc<Room, Connection>[]): void {
		for (const d of docs) {
			const { room } = d;
			room.pending -= d.items.length;
			const origins = new Set(d.items.map((i) => i.origin));
			const parts = origins.size === 1 ? [{ update: d.merged, origin: d.items[0].origin }] : d.items;
			for (const part of parts) {
				const frame = binaryFrame(syncUpdateMessage(part.update));
				for (const c of room.conns) if (c.open && c !== part.origin) this.sendFrame(c, frame);
			}
			this.bus?.publishUpdate(room.name, d.seq, d.merged);
			this.advanceSeq(room, d.seq);
			if (this.hooks.committed) {
				const userIds = [...new Set(d.items.flatMap((i) => (i.origin ? [i.origin.identity.principal.id] : [])))];
				this.callHook(() => this.hooks.committed?.(room.name, userIds));
			}
			this.maybeCompact(room);
			this.maybeUnload(room);
		}
	}

	private advanceSeq(room: Room, seq: number): void {
		if (seq <= room.lastSeq || room.ahead.has(seq)) return;
		room.logLength++;
		if (seq !== room.lastSeq + 1) {
			room.ahead.add(seq);
			this.track(this.catchUp(room));
			return;
		}
		room.lastSeq = seq;
		while (room.ahead.delete(room.lastSeq + 1)) room.lastSeq++;
	}

	/** Reads what this process missed (a lost Redis message, a gap) from the database. */
	private async catchUp(room: Room): Promise<void> {
		if (room.catchingUp || !room.loaded) return;
		room.catchingUp = true;
		try {
			const since = await this.store.readSince(room.name, room.lastSeq);
			if (this.rooms.get(room.name) !== room) return;
			Y.transact(
				room.doc,
				() => {
					for (const u of since.updates) Y.applyUpdate(room.doc, u);
				},
				REMOTE
			);
			if (since.seq > room.lastSeq) room.lastSeq = since.seq;
			for (const s of [...room.ahead]) if (s <= room.lastSeq) room.ahead.delete(s);
			while (room.ahead.delete(room.lastSeq + 1)) room.lastSeq++;
		} catch (err) {
			this.log(`sync: catching up ${room.name} failed`, err);
		} finally {
			room.catchingUp = false;
		}
	}

	private remoteUpdate(name: string, seq: number, update: Uint8Array): void {
		const room = this.rooms.get(name);
		if (!room) return;
		if (room.busBuffer) {
			room.busBuffer.push({ seq, update });
			return;
		}
		if (!room.loaded || seq <= room.lastSeq || room.ahead.has(seq)) return;
		try {
			Y.applyUpdate(room.doc, update, REMOTE);
		} catch (err) {
			this.log(`sync: bad update from another process for ${name}`, err);
			return;
		}
		this.advanceSeq(room, seq);
	}

	private checkSeqs(): void {
		if (this.closing) return;
		const rooms = [...this.rooms.values()].filter((r) => r.loaded);
		if (rooms.length === 0) return;
		const check = this.store
			.currentSeqs(rooms.map((r) => r.name))
			.then((seqs) => {
				for (const r of rooms) if ((seqs.get(r.name) ?? 0) > r.lastSeq) this.track(this.catchUp(r));
			})
			.catch((err) => this.log('sync: sequence check failed', err));
		this.track(check);
	}

	/**
	 * A connection may set the presence of clients it introduced, or that the same user introduced on
	 * an earlier connection (a reconnect keeps its Yjs clientID); another user's presence it cannot touch.
	 */
	private receiveAwareness(conn: Connection, update: Uint8Array): void {
		const { room } = conn;
		const d = decoding.createDecoder(update);
		const n = decoding.readVarUint(d);
		for (let i = 0; i < n; i++) {
			const client = decoding.readVarUint(d);
			decoding.readVarUint(d);
			decoding.readVarString(d);
			const owner = room.awarenessOwners.get(client);
			if (owner && owner !== conn && owner.identity.principal.id !== conn.identity.principal.id) return;
		}
		awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
	}

	private awarenessUpdated(room: Room, changes: AwarenessChanges, origin: unknown): void {
		const changed = [...changes.added, ...changes.updated, ...changes.removed];
		if (origin instanceof Connection) {
			for (const id of [...changes.added, ...changes.updated]) {
				const previous = room.awarenessOwners.get(id);
				if (previous && previous !== origin) previous.awarenessIds.delete(id);
				origin.awarenessIds.add(id);
				room.awarenessOwners.set(id, origin);
			}
		}
		for (const id of changes.removed) {
			const owner = room.awarenessOwners.get(id);
			owner?.awarenessIds.delete(id);
			room.awarenessOwners.delete(id);
		}
		const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed);
		const frame = binaryFrame(awarenessMessage(update));
		for (const c of room.conns) if (c.open && c !== origin) this.sendFrame(c, frame);
		if (origin !== REMOTE) this.bus?.publishAwareness(room.name, update);
	}

	private remoteAwareness(name: string, update: Uint8Array): void {
		const room = this.rooms.get(name);
		if (!room) return;
		try {
			awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
		} catch (err) {
			this.log(`sync: bad awareness from another process for ${name}`, err);
		}
	}

	private answerAwarenessQuery(name: string): void {
		const room = this.rooms.get(name);
		if (!room || !this.bus) return;
		const ids = [...room.conns].flatMap((c) => [...c.awarenessIds]);
		if (ids.length) this.bus.publishAwareness(name, awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids));
	}

	private maybeCompact(room: Room): void {
		if (room.compacting || !room.loaded || room.logLength < this.opts.compactEvery) return;
		room.compacting = true;
		// In the background: encoding is one synchronous step, the transaction does not block editing.
		setImmediate(() => {
			if (this.closing || this.rooms.get(room.name) !== room) {
				room.compacting = false;
				return;
			}
			const seq = room.lastSeq;
			const covered = room.logLength;
			const data = Y.encodeStateAsUpdate(room.doc);
			this.track(
				this.store
					.compact(room.name, seq, data)
					.then(() => {
						room.logLength = Math.max(0, room.logLength - covered);
					})
					.catch((err) => this.log(`sync: compacting ${room.name} failed`, err))
					.finally(() => {
						room.compacting = false;
					})
			);
		});
	}

	/** Runs an observer: its failure is logged, never thrown into the sync path; its promise is tracked. */
	private callHook(fn: () => void | Promise<void> | undefined): void {
		try {
			const p = fn();
			if (p) this.track(p.catch((err) => this.log('sync: a hook failed', err)));
		} catch (err) {
			this.log('sync: a hook failed', err);
		}
	}

	/** Background work that close() waits for before the database goes away. */
	private track(p: Promise<unknown>): void {
		this.background.add(p);
		void p.finally(() => this.background.delete(p));
	}

	/**
	 * Marks the room's projection stale. One timer serves every room: when it fires, all stale
	 * projections are written in one statement, however many documents changed meanwhile.
	 */
	private scheduleProjection(room: Room): void {
		room.projectionDirty = true;
		this.projectionQueue.add(room);
		if (this.projectionTimer) return;
		this.projectionTimer = setTimeout(() => this.track(this.writeProjections()), this.opts.projectionDelayMs);
		this.projectionTimer.unref();
	}

	/** Writes the stale projections of `only` (default: every queued room) in one upsert. */
	private async writeProjections(only?: Room[]): Promise<void> {
		if (!only && this.projectionTimer) {
			clearTimeout(this.projectionTimer);
			this.projectionTimer = null;
		}
		const rooms = only ?? [...this.projectionQueue];
		const rows = new Map<string, { room: Room; name: string; seq: number; content: unknown; text: string }>();
		for (const room of rooms) {
			if (!room.projectionDirty || !room.loaded) continue;
			this.projectionQueue.delete(room);
			room.projectionDirty = false;
			try {
				const { content, text } = projectDoc(room.ref, room.doc);
				const prev = rows.get(room.name);
				if (!prev || prev.seq <= room.lastSeq)
					rows.set(room.name, { room, name: room.name, seq: room.lastSeq, content, text });
			} catch (err) {
				// Stays stale; the next change (or read) tries again.
				room.projectionDirty = true;
				this.projectionQueue.add(room);
				this.log(`sync: projecting ${room.name} failed`, err);
			}
		}
		if (rows.size === 0) return;
		try {
			await this.store.saveProjections([...rows.values()]);
		} catch (err) {
			for (const { room } of rows.values()) {
				room.projectionDirty = true;
				this.projectionQueue.add(room);
			}
			this.log(`sync: writing ${rows.size} projections failed`, err);
		}
	}

	private maybeUnload(room: Room): void {
		if (room.conns.size > 0 || room.holds > 0 || room.unloadTimer || room.unloading) return;
		room.unloadTimer = setTimeout(() => void this.unload(room), this.opts.unloadDelayMs);
		room.unloadTimer.unref();
	}

	/** Leaves memory once nobody uses the document and all of it is durable. */
	private async unload(room: Room): Promise<void> {
		room.unloadTimer = null;
		const idle = () => room.conns.size === 0 && room.holds === 0 && this.rooms.get(room.name) === room;
		if (!idle() || room.unloading) return;
		room.unloading = true;
		try {
			await room.ready.catch(() => {});
			if (room.pending > 0) await this.committer.whenDurable();
			if (room.projectionDirty) await this.writeProjections([room]);
			if (!idle() || room.pending > 0) return;
			this.rooms.delete(room.name);
			void this.bus?.unsubscribe(room.name);
			this.projectionQueue.delete(room);
			room.awareness.destroy();
			room.doc.destroy();
			this.callHook(() => this.hooks.unloaded?.(room.name));
		} finally {
			room.unloading = false;
			if (this.rooms.get(room.name) === room) this.maybeUnload(room);
		}
	}

	private async hold<T>(name: string, fn: (room: Room) => Promise<T> | T): Promise<T> {
		const ref = parseDocName(name);
		if (!ref) throw new Error(`not a sync document name: ${name}`);
		const room = this.getRoom(ref);
		room.holds++;
		try {
			await room.ready;
			return await fn(room);
		} finally {
			room.holds--;
			this.maybeUnload(room);
		}
	}

	// ---- the service -------------------------------------------------------------------------------------

	async writeDoc(docName: string, change: (doc: Y.Doc) => void): Promise<void> {
		await this.hold(docName, async (room) => {
			Y.transact(room.doc, () => change(room.doc), SERVER);
			await this.committer.whenDurable();
		});
	}

	async readDoc(docName: string): Promise<Y.Doc> {
		const ref = parseDocName(docName);
		if (!ref) throw new Error(`not a sync document name: ${docName}`);
		const copy = new Y.Doc();
		const room = this.rooms.get(docName);
		if (room) {
			await room.ready;
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
			return copy;
		}
		const stored = await this.store.readSince(docName, 0);
		Y.transact(copy, () => {
			for (const u of stored.updates) Y.applyUpdate(copy, u);
		});
		return copy;
	}

	async readProjection(docName: string): Promise<StoredProjection | null> {
		return (await this.readProjections([docName])).get(docName) ?? null;
	}

	async readProjections(docNames: string[]): Promise<Map<string, StoredProjection>> {
		// A document being edited right now is projected first, so a listing never lags a second behind.
		const stale = docNames.flatMap((n) => {
			const room = this.rooms.get(n);
			return room?.projectionDirty ? [room] : [];
		});
		if (stale.length) await this.writeProjections(stale);
		return this.store.readProjections(docNames);
	}

	stats(): SyncStats {
		return {
			docs: this.rooms.size,
			connections: this.conns.size,
			pendingUpdates: this.committer.pendingCount,
			commits: { ...this.committer.totals },
			...this.counters
		};
	}

	flush(): Promise<void> {
		return this.committer.whenDurable();
	}

	async close(): Promise<void> {
		if (this.closing) return;
		this.closing = true;
		for (const t of this.timers) clearInterval(t);
		for (const conn of [...this.conns]) this.closeConn(conn, closeCodes.goingAway, 'server closing');
		await this.flush();
		await Promise.allSettled([...this.background]);
		if (this.projectionTimer) clearTimeout(this.projectionTimer);
		this.projectionTimer = null;
		await this.writeProjections([...this.rooms.values()]);
		this.projectionQueue.clear();
		for (const room of [...this.rooms.values()]) {
			if (room.unloadTimer) clearTimeout(room.unloadTimer);
			room.awareness.destroy();
			room.doc.destroy();
		}
		this.rooms.clear();
		// A peer that does not answer the close handshake is not waited for.
		for (const ws of this.wss.clients) ws.terminate();
		this.wss.close();
		await this.bus?.close();
	}
}

interface AwarenessChanges {
	added: number[];
	updated: number[];
	removed: number[];
}
