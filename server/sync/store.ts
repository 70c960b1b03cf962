import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { rawRows } from '../../db/raw';
import { syncDocs, syncProjections, syncSnapshots, syncUpdates } from '../../db/schema';

/** The stored state of a document: the snapshot (if any) and the updates after it, in order. */
export interface StoredDoc {
	/** the snapshot first, then the log */
	updates: Uint8Array[];
	/** the highest sequence number contained */
	seq: number;
	/** updates in the log after the snapshot */
	logLength: number;
}

export interface StoredProjection {
	name: string;
	seq: number;
	content: unknown;
	text: string;
	updatedAt: Date;
}

/** The next sequence number of the document, and its update with it, in one statement. */
const APPEND_ONE = `
	with numbered as (
		insert into sync_docs (name, seq) values ($1, 1)
		on conflict (name) do update set seq = sync_docs.seq + 1, updated_at = now()
		returning seq
	)
	insert into sync_updates (name, seq, data) select $1, numbered.seq, $2::bytea from numbered
	returning name, seq`;

/** APPEND_ONE for n documents: parameters are name, data, name, data, … in name order. */
function appendMany(n: number): string {
	const input = Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2}::bytea)`).join(', ');
	return `
	with input (name, data) as (values ${input}),
	numbered as (
		insert into sync_docs (name, seq) select name, 1 from input
		on conflict (name) do update set seq = sync_docs.seq + 1, updated_at = now()
		returning name, seq
	)
	insert into sync_updates (name, seq, data)
	select numbered.name, numbered.seq, input.data from numbered join input on input.name = numbered.name
	returning name, seq`;
}

/** Rows per INSERT: keeps every statement far below the 65 535 parameters Postgres allows. */
const CHUNK = 500;

/**
 * Persistence of sync documents. Every read that combines the snapshot and the log runs in one
 * REPEATABLE READ transaction: a compaction committing between two separate reads could otherwise
 * delete log rows the first read had not yet seen covered by a snapshot.
 */
export class SyncStore {
	constructor(private readonly db: Db) {}

	/** Everything after `afterSeq`: the snapshot when it is newer, then the log rows after both. */
	async readSince(name: string, afterSeq = 0): Promise<StoredDoc> {
		return this.db.transaction(
			async (tx) => {
				const [snap] = await tx
					.select({ seq: syncSnapshots.seq, data: syncSnapshots.data })
					.from(syncSnapshots)
					.where(and(eq(syncSnapshots.name, name), gt(syncSnapshots.seq, afterSeq)))
					.limit(1);
				const from = Math.max(afterSeq, snap?.seq ?? 0);
				const rows = await tx
					.select({ seq: syncUpdates.seq, data: syncUpdates.data })
					.from(syncUpdates)
					.where(and(eq(syncUpdates.name, name), gt(syncUpdates.seq, from)))
					.orderBy(asc(syncUpdates.seq));
				const updates = [...(snap ? [snap.data] : []), ...rows.map((r) => r.data)];
				const seq = rows.length ? rows[rows.length - 1].seq : from;
				return { updates, seq, logLength: rows.length };
			},
			{ isolationLevel: 'repeatable read' }
		);
	}

	/**
	 * Appends one update per document in one transaction (the group commit) and returns the sequence
	 * number each document's update got. A batch that fits one statement is one round trip (a single
	 * statement is its own transaction); documents are locked in name order so two server processes
	 * committing overlapping batches cannot deadlock.
	 */
	async append(batch: { name: string; data: Uint8Array }[]): Promise<Map<string, number>> {
		const sorted = [...batch].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		if (sorted.length <= CHUNK) return this.appendPart(this.db, sorted);
		return this.db.transaction(async (tx) => {
			const seqs = new Map<string, number>();
			for (let i = 0; i < sorted.length; i += CHUNK) {
				for (const [k, v] of await this.appendPart(tx, sorted.slice(i, i + CHUNK))) seqs.set(k, v);
			}
			return seqs;
		});
	}

	private async appendPart(db: Db | Tx, part: { name: string; data: Uint8Array }[]): Promise<Map<string, number>> {
		const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
		// One document (the common case: one person typing) has a fixed statement, prepared once.
		const rows =
			part.length === 1
				? await rawRows<{ name: string; seq: number | string }>(db, APPEND_ONE, [part[0].name, bytes(part[0].data)])
				: await rawRows<{ name: string; seq: number | string }>(
						db,
						appendMany(part.length),
						part.flatMap((b) => [b.name, bytes(b.data)]),
						{ prepare: false }
					);
		return new Map(rows.map((r) => [r.name, Number(r.seq)]));
	}

	/**
	 * Replaces the log up to `seq` by a snapshot. A newer snapshot (another process compacted further)
	 * is kept; rows up to `seq` are covered either way.
	 */
	async compact(name: string, seq: number, data: Uint8Array): Promise<void> {
		await this.db.transaction(async (tx) => {
			await tx
				.insert(syncSnapshots)
				.values({ name, seq, data })
				.onConflictDoUpdate({
					target: syncSnapshots.name,
					set: { seq, data, createdAt: sql`now()` },
					setWhere: sql`${syncSnapshots.seq} < ${seq}`
				});
			await tx.delete(syncUpdates).where(and(eq(syncUpdates.name, name), lte(syncUpdates.seq, seq)));
		});
	}

	/** The last sequence number of each document that has one. */
	async currentSeqs(names: string[]): Promise<Map<string, number>> {
		const out = new Map<string, number>();
		for (let i = 0; i < names.length; i += CHUNK) {
			const rows = await this.db
				.select({ name: syncDocs.name, seq: syncDocs.seq })
				.from(syncDocs)
				.where(inArray(syncDocs.name, names.slice(i, i + CHUNK)));
			for (const r of rows) out.set(r.name, Number(r.seq));
		}
		return out;
	}

	/** Stores a projection unless a newer one is already there. */
	async saveProjection(name: string, seq: number, content: unknown, text: string): Promise<void> {
		await this.saveProjections([{ name, seq, content, text }]);
	}

	/**
	 * Stores many projections, one upsert statement per 500 (names must be distinct); each row is
	 * kept only where no newer projection is stored.
	 */
	async saveProjections(rows: { name: string; seq: number; content: unknown; text: string }[]): Promise<void> {
		for (let i = 0; i < rows.length; i += CHUNK) {
			await this.db
				.insert(syncProjections)
				.values(rows.slice(i, i + CHUNK).map(({ name, seq, content, text }) => ({ name, seq, content, text })))
				.onConflictDoUpdate({
					target: syncProjections.name,
					set: {
						seq: sql`excluded.seq`,
						content: sql`excluded.content`,
						text: sql`excluded.text`,
						updatedAt: sql`now()`
					},
					setWhere: sql`${syncProjections.seq} <= excluded.seq`
				});
		}
	}

	async readProjections(names: string[]): Promise<Map<string, StoredProjection>> {
		const out = new Map<string, StoredProjection>();
		for (let i = 0; i < names.length; i += CHUNK) {
			const rows = await this.db
				.select()
				.from(syncProjections)
				.where(inArray(syncProjections.name, names.slice(i, i + CHUNK)));
			for (const r of rows) out.set(r.name, { ...r, seq: Number(r.seq) });
		}
		return out;
	}

	/** Counts for tests and benchmarks: log rows and whether a snapshot exists. */
	async logInfo(name: string): Promise<{ logRows: number; snapshotSeq: number | null; seq: number }> {
		const [log] = await this.db
			.select({ n: sql<number>`count(*)::int` })
			.from(syncUpdates)
			.where(eq(syncUpdates.name, name));
		const [snap] = await this.db
			.select({ seq: syncSnapshots.seq })
			.from(syncSnapshots)
			.where(eq(syncSnapshots.name, name));
		const [doc] = await this.db.select({ seq: syncDocs.seq }).from(syncDocs).where(eq(syncDocs.name, name));
		return { logRows: Number(log?.n ?? 0), snapshotSeq: snap ? Number(snap.seq) : null, seq: Number(doc?.seq ?? 0) };
	}
}
