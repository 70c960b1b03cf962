import type { Db } from '../../db/client';
import { syncClientUsers } from '../../db/schema';
import type { SyncHooks, SyncService } from '../sync';
import { takeAutomaticVersion } from './versions';

/** When automatic versions are taken. */
export interface VersionPolicy {
	/** An editing session that has been quiet this long gets a version. */
	idleMs: number;
	/** While a draft is being edited, a version at least this often. */
	intervalMs: number;
}

export const defaultVersionPolicy: VersionPolicy = { idleMs: 5 * 60_000, intervalMs: 60 * 60_000 };

/** What the recorder knows about a draft being edited in this process. */
interface Session {
	draftId: string;
	/** edits since the last version */
	dirty: boolean;
	/** who made them */
	editors: Set<string>;
	/** when the last version was taken, or the session began */
	since: number;
	/** the last edit */
	lastEdit: number;
	idleTimer: NodeJS.Timeout | null;
	/** a version being written; the next one waits for it */
	writing: Promise<unknown> | null;
}

const DRAFT_DOC = /^draft\.([A-Za-z0-9_-]{1,64})$/;

/**
 * Takes the automatic versions of drafts and records which user wrote as which Yjs client. It
 * listens to the sync server (hooks) and never stands in its way: everything happens after the fact,
 * failures are logged. With several server processes each takes versions of the edits it committed;
 * a version that reads exactly like the previous one is not stored, so they do not pile up.
 */
export class VersionRecorder {
	private sync: Pick<SyncService, 'readDoc'> | null = null;
	private readonly sessions = new Map<string, Session>();
	private readonly inflight = new Set<Promise<unknown>>();
	/** client ids already stored, so a reconnecting writer is not inserted again */
	private readonly known = new Set<string>();
	private closed = false;
	readonly policy: VersionPolicy;

	constructor(
		private readonly db: Db,
		private readonly log: (msg: string, extra?: unknown) => void,
		policy: Partial<VersionPolicy> = {}
	) {
		this.policy = { ...defaultVersionPolicy, ...policy };
	}

	/** The sync server exists only after its hooks were handed to it. */
	attach(sync: Pick<SyncService, 'readDoc'>): void {
		this.sync = sync;
	}

	readonly hooks: SyncHooks = {
		clientsSeen: (docName, userId, clients) => this.clientsSeen(docName, userId, clients),
		committed: (docName, userIds) => this.committed(docName, userIds),
		unloaded: (docName) => this.unloaded(docName)
	};

	private clientsSeen(docName: string, userId: string, clients: number[]): Promise<void> | void {
		const fresh = clients.filter((c) => !this.known.has(`${docName}\u0000${c}\u0000${userId}`));
		if (fresh.length === 0) return;
		// Every browser session brings a new client id: forget now and then; the insert ignores repeats.
		if (this.known.size > 100_000) this.known.clear();
		for (const c of fresh) this.known.add(`${docName}\u0000${c}\u0000${userId}`);
		return this.db
			.insert(syncClientUsers)
			.values(fresh.map((clientId) => ({ docName, clientId, userId })))
			.onConflictDoNothing()
			.then(
				() => undefined,
				(err) => {
					for (const c of fresh) this.known.delete(`${docName}\u0000${c}\u0000${userId}`);
					throw err;
				}
			);
	}

	private committed(docName: string, userIds: string[]): void {
		// Server writes (a restore, a new draft's first text) are not an editing session.
		if (this.closed || userIds.length === 0) return;
		const m = DRAFT_DOC.exec(docName);
		if (!m) return;
		const now = Date.now();
		let s = this.sessions.get(docName);
		if (!s) {
			s = {
				draftId: m[1],
				dirty: false,
				editors: new Set(),
				since: now,
				lastEdit: now,
				idleTimer: null,
				writing: null
			};
			this.sessions.set(docName, s);
		}
		s.dirty = true;
		for (const u of userIds) s.editors.add(u);
		s.lastEdit = now;
		// One timer per session, not one per update: when it fires early it waits for the rest.
		if (!s.idleTimer) this.armIdle(docName, s, this.policy.idleMs);
		if (now - s.since >= this.policy.intervalMs) this.take(docName, 'hourly');
	}

	private armIdle(docName: string, s: Session, ms: number): void {
		s.idleTimer = setTimeout(() => {
			s.idleTimer = null;
			const quiet = Date.now() - s.lastEdit;
			if (quiet >= this.policy.idleMs) this.take(docName, 'idle');
			else this.armIdle(docName, s, this.policy.idleMs - quiet);
		}, ms);
		s.idleTimer.unref();
	}

	private unloaded(docName: string): void {
		// Everybody left: the session is over.
		if (this.sessions.get(docName)?.dirty) this.take(docName, 'idle');
		const s = this.sessions.get(docName);
		if (s && !s.dirty && !s.writing) this.forget(docName, s);
	}

	private forget(docName: string, s: Session): void {
		if (s.idleTimer) clearTimeout(s.idleTimer);
		if (this.sessions.get(docName) === s) this.sessions.delete(docName);
	}

	private take(docName: string, kind: 'idle' | 'hourly'): void {
		const s = this.sessions.get(docName);
		if (this.closed || !s || !s.dirty || !this.sync) return;
		const sync = this.sync;
		s.dirty = false;
		s.since = Date.now();
		if (s.idleTimer) {
			clearTimeout(s.idleTimer);
			s.idleTimer = null;
		}
		const editors = [...s.editors];
		s.editors.clear();
		const previous = s.writing ?? Promise.resolve();
		const p = previous
			.then(() => takeAutomaticVersion(this.db, sync, s.draftId, kind, editors))
			.catch((err) => {
				this.log(`versions: taking the ${kind} version of ${docName} failed`, err);
				// Not lost: the next quiet moment tries again.
				s.dirty = true;
				for (const e of editors) s.editors.add(e);
			})
			.finally(() => {
				this.inflight.delete(p);
				if (s.writing === p) s.writing = null;
				if (!s.dirty && !s.idleTimer && !s.writing) this.forget(docName, s);
			});
		s.writing = p;
		this.inflight.add(p);
	}

	/** Resolves when the versions being written now are stored (tests, shutdown). */
	async settled(): Promise<void> {
		while (this.inflight.size) await Promise.allSettled([...this.inflight]);
	}

	/**
	 * Takes the version of every session with unsaved edits (a shutdown ends them too), then stops.
	 * Call before the sync server closes: it reads the documents through it.
	 */
	async close(): Promise<void> {
		if (this.closed) return;
		for (const [docName, s] of this.sessions) if (s.dirty) this.take(docName, 'idle');
		this.closed = true;
		for (const s of this.sessions.values()) if (s.idleTimer) clearTimeout(s.idleTimer);
		await this.settled();
		this.sessions.clear();
	}
}
