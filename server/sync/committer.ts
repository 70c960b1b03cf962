import * as Y from 'yjs';

/** Updates merged at once; see mergeMany. */
const MERGE_FAN_IN = 64;

/**
 * Y.mergeUpdates of many small updates costs far more than linear time: 20,000 single-character
 * edits take 2.9 s in one call, while merging them 64 at a time and then the results (a tree) takes
 * 40 ms and gives the same bytes. A client that sends fast (a paste replayed as keystrokes, a burst
 * after a stall) fills one batch with thousands of updates; in one call the event loop would stop
 * for seconds and the next batch would be larger still.
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
	let level = updates;
	while (level.length > 1) {
		const next: Uint8Array[] = [];
		for (let i = 0; i < level.length; i += MERGE_FAN_IN) {
			const part = level.slice(i, i + MERGE_FAN_IN);
			next.push(part.length === 1 ? part[0] : Y.mergeUpdates(part));
		}
		level = next;
	}
	return level[0];
}

/** One accepted update waiting for its transaction. */
export interface PendingUpdate<R, O> {
	room: R;
	update: Uint8Array;
	/** the connection it came from, so it is not echoed back; null for server-side writes */
	origin: O | null;
}

export interface CommittedDoc<R, O> {
	room: R;
	name: string;
	seq: number;
	/** all of the document's updates in the batch merged: what the log and the other nodes get */
	merged: Uint8Array;
	items: PendingUpdate<R, O>[];
}

export interface GroupCommitterOptions<R, O> {
	nameOf(room: R): string;
	/** Writes the batch (one merged update per document) in one transaction; returns each one's seq. */
	write(batch: { name: string; data: Uint8Array }[]): Promise<Map<string, number>>;
	/** Called after the transaction committed: broadcast, acknowledge, publish. */
	committed(docs: CommittedDoc<R, O>[]): void;
	log(msg: string, err?: unknown): void;
}

/**
 * Group commit. Updates queue while a transaction is in flight and all go into the next one, so an
 * idle server commits each update at once and a busy one amortises one transaction over many
 * updates. Nothing is broadcast or acknowledged before its transaction has committed.
 *
 * Batches are numbered when they are cut. `target()` names the batch after which everything accepted
 * so far is durable; `whenDurable(target)` resolves then.
 */
export class GroupCommitter<R, O> {
	private pending: PendingUpdate<R, O>[] = [];
	private pendingBytes = 0;
	private lastCut = 0;
	private committedId = 0;
	private running = false;
	private waiters: { target: number; resolve: () => void }[] = [];
	/** Totals for stats and benchmarks. */
	readonly totals = { batches: 0, updates: 0, bytes: 0, failures: 0 };

	constructor(private readonly opts: GroupCommitterOptions<R, O>) {}

	get pendingCount(): number {
		return this.pending.length;
	}
	get idle(): boolean {
		return !this.running && this.pending.length === 0;
	}
	get durableId(): number {
		return this.committedId;
	}

	enqueue(item: PendingUpdate<R, O>): void {
		this.pending.push(item);
		this.pendingBytes += item.update.byteLength;
		if (!this.running) {
			this.running = true;
			// One macrotask of delay lets the updates of the same tick (several sockets) share a transaction.
			setImmediate(() => void this.run());
		}
	}

	/** The batch that makes everything accepted so far durable. */
	target(): number {
		return this.pending.length ? this.lastCut + 1 : this.lastCut;
	}

	whenDurable(target = this.target()): Promise<void> {
		if (target <= this.committedId) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push({ target, resolve }));
	}

	private async run(): Promise<void> {
		try {
			while (this.pending.length) {
				const batch = this.pending;
				const bytes = this.pendingBytes;
				this.pending = [];
				this.pendingBytes = 0;
				const id = ++this.lastCut;
				const docs = this.group(batch);
				const seqs = await this.writeWithRetry(docs);
				for (const d of docs) d.seq = seqs.get(d.name) ?? 0;
				this.committedId = id;
				this.totals.batches++;
				this.totals.updates += batch.length;
				this.totals.bytes += bytes;
				try {
					this.opts.committed(docs);
				} catch (err) {
					this.opts.log('sync: after-commit handling failed', err);
				}
				const ready = this.waiters.filter((w) => w.target <= id);
				this.waiters = this.waiters.filter((w) => w.target > id);
				for (const w of ready) w.resolve();
			}
		} finally {
			this.running = false;
		}
	}

	private group(batch: PendingUpdate<R, O>[]): CommittedDoc<R, O>[] {
		const byRoom = new Map<R, PendingUpdate<R, O>[]>();
		for (const item of batch) {
			const list = byRoom.get(item.room);
			if (list) list.push(item);
			else byRoom.set(item.room, [item]);
		}
		return [...byRoom].map(([room, items]) => ({
			room,
			name: this.opts.nameOf(room),
			seq: 0,
			merged: mergeMany(items.map((i) => i.update)),
			items
		}));
	}

	/**
	 * A failed transaction is retried until it succeeds: the updates are already in memory and
	 * acknowledged to nobody, so waiting (clients show "Sparar…") is the honest answer to a database
	 * that is briefly away.
	 */
	private async writeWithRetry(docs: CommittedDoc<R, O>[]): Promise<Map<string, number>> {
		let delay = 50;
		for (;;) {
			try {
				return await this.opts.write(docs.map((d) => ({ name: d.name, data: d.merged })));
			} catch (err) {
				this.totals.failures++;
				this.opts.log('sync: group commit failed, retrying', err);
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(delay * 2, 5000);
			}
		}
	}
}
