/**
 * Retention benchmark: storage of a draft's history after many small updates, with the sync server's
 * compaction and automatic named versions, against the raw update log kept forever. Then every named
 * version is restored onto the compacted document, to show compaction never made one unrestorable.
 *
 * 100,000 small edits (10,000 with --quick), typed into 20 drafts at once and committed the way the
 * group commit does: one update per document per transaction. Both stores are measured in their own
 * database (PGlite in memory, or Postgres when DATABASE_URL is set). Figures are measured, never asserted.
 */
import { isDeepStrictEqual } from 'node:util';
import { inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db, DbHandle } from '../../db/client';
import { draftSnapshots, syncSnapshots, syncUpdates } from '../../db/schema';
import { loadVersion, takeAutomaticVersion } from '../../server/commands/versions';
import { appendBlocks, bodyFragment, initDraftDoc, paragraphs, projectDraft } from '../../server/domain/draft-doc';
import { randomClientId, revertUpdate } from '../../server/domain/versions';
import { defaultSyncOptions } from '../../server/sync/options';
import { SyncStore } from '../../server/sync/store';
import { createTestDb } from '../support/db';
import { buildBody, buildCase, buildParty } from '../support/factories';
import { buildDraft } from '../support/sync';

type Figures = Record<string, unknown>;

const DOCS = 20;
/** Named versions per document over the run (hourly and idle ones of a long day's work). */
const VERSIONS_PER_DOC = 5;
/** Points at which the growth of each store is recorded. */
const CHECKPOINTS = 5;
const WORDS = 'kommunstyrelsen får i uppdrag att se över avgifterna för 2025 och redovisa förslag till beslut'.split(
	' '
);

function rng(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
}

/** A writer's small edits of one draft, each as the update the browser would send. */
function* typing(seed: number, n: number): Generator<Uint8Array> {
	const random = rng(seed);
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	initDraftDoc(doc, { kind: 'yrkande', title: `Yrkande ${seed}`, body: paragraphs('Inledning.') });
	yield Y.mergeUpdates(updates.splice(0));
	for (let i = 1; i < n; i++) {
		const body = bodyFragment(doc);
		const r = random();
		if (r < 0.02) {
			appendBlocks(body, paragraphs('Nytt stycke.'));
		} else {
			const para = body.get(Math.floor(random() * body.length)) as Y.XmlElement;
			const text = para.get(0) as Y.XmlText;
			if (r < 0.15 && text.length > 5) {
				text.delete(Math.floor(random() * (text.length - 3)), 1 + Math.floor(random() * 3));
			} else {
				const word = WORDS[Math.floor(random() * WORDS.length)];
				// Mostly typing at the end of a paragraph, sometimes in the middle, a character or a word at a time.
				const at = random() < 0.8 ? text.length : Math.floor(random() * (text.length + 1));
				text.insert(at, random() < 0.7 ? word[Math.floor(random() * word.length)] : `${word} `);
			}
		}
		yield updates.splice(0)[0];
	}
	doc.destroy();
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
	const res = (await db.execute(query)) as unknown as T[] | { rows: T[] };
	return Array.isArray(res) ? res : res.rows;
}

async function relationBytes(db: Db, table: string): Promise<number> {
	const [r] = await rows<{ n: string | number }>(db, sql.raw(`select pg_total_relation_size('${table}') as n`));
	return Number(r.n);
}

async function setup(handle: DbHandle) {
	const body = await buildBody(handle.db);
	const c = await buildCase(handle.db, body.id);
	await buildParty(handle.db, 'SD');
	const drafts: { id: string; docName: string }[] = [];
	for (let i = 0; i < DOCS; i++) drafts.push(await buildDraft(handle.db, { caseId: c.id, owner: 'SD' }));
	return drafts;
}

export async function run({ quick }: { quick: boolean }): Promise<Figures> {
	const total = quick ? 10_000 : 100_000;
	const perDoc = total / DOCS;
	const compactEvery = defaultSyncOptions().compactEvery;
	const versionEvery = perDoc / VERSIONS_PER_DOC;
	const raw = await createTestDb();
	const kept = await createTestDb();
	try {
		const rawDrafts = await setup(raw);
		const keptDrafts = await setup(kept);
		const rawStore = new SyncStore(raw.db);
		const keptStore = new SyncStore(kept.db);
		// The server's copy of each compacted document, as a room holds it.
		const rooms = keptDrafts.map(() => new Y.Doc({ gc: true }));
		const logRows = keptDrafts.map(() => 0);
		const writers = keptDrafts.map((_, i) => typing(1000 + i, perDoc));
		const docsFor = (i: number) => ({
			readDoc: async () => {
				const copy = new Y.Doc();
				Y.applyUpdate(copy, Y.encodeStateAsUpdate(rooms[i]));
				return copy;
			}
		});

		let updateBytes = 0;
		let rawMs = 0;
		let keptMs = 0;
		let compactMs = 0;
		let versionMs = 0;
		let compactions = 0;
		// Data bytes as stored, followed in memory for the growth curve (the totals are read back below).
		const snapBytes = keptDrafts.map(() => 0);
		const logBytes = keptDrafts.map(() => 0);
		let versionBytes = 0;
		const growth: Figures = {};
		for (let step = 0; step < perDoc; step++) {
			const batch = writers.map((w) => w.next().value as Uint8Array);
			for (const u of batch) updateBytes += u.byteLength;

			let t = performance.now();
			await rawStore.append(batch.map((data, i) => ({ name: rawDrafts[i].docName, data })));
			rawMs += performance.now() - t;

			t = performance.now();
			const seqs = await keptStore.append(batch.map((data, i) => ({ name: keptDrafts[i].docName, data })));
			keptMs += performance.now() - t;
			for (let i = 0; i < DOCS; i++) {
				Y.applyUpdate(rooms[i], batch[i]);
				logBytes[i] += batch[i].byteLength;
				if (++logRows[i] >= compactEvery) {
					t = performance.now();
					const state = Y.encodeStateAsUpdate(rooms[i]);
					await keptStore.compact(keptDrafts[i].docName, seqs.get(keptDrafts[i].docName)!, state);
					compactMs += performance.now() - t;
					snapBytes[i] = state.byteLength;
					logBytes[i] = 0;
					logRows[i] = 0;
					compactions++;
				}
				if ((step + 1) % versionEvery === 0) {
					t = performance.now();
					const id = await takeAutomaticVersion(kept.db, docsFor(i), keptDrafts[i].id, 'hourly', []);
					versionMs += performance.now() - t;
					if (id) versionBytes += Y.encodeStateAsUpdate(rooms[i]).byteLength;
				}
			}
			if ((step + 1) % (perDoc / CHECKPOINTS) === 0) {
				const compacted = snapBytes.reduce((a, b) => a + b, 0) + logBytes.reduce((a, b) => a + b, 0);
				growth[`at${(step + 1) * DOCS}`] = {
					rawKiB: Math.round(updateBytes / 102.4) / 10,
					compactedKiB: Math.round(compacted / 102.4) / 10,
					versionStatesKiB: Math.round(versionBytes / 102.4) / 10
				};
			}
		}

		const rawNames = rawDrafts.map((d) => d.docName);
		const keptNames = keptDrafts.map((d) => d.docName);
		const sum = async (db: Db, q: ReturnType<typeof sql>) =>
			Number((await rows<{ n: string | number | null }>(db, q))[0]?.n ?? 0);
		const rawLog = await sum(
			raw.db,
			sql`select coalesce(sum(octet_length(${syncUpdates.data})), 0) as n from ${syncUpdates} where ${inArray(syncUpdates.name, rawNames)}`
		);
		const rawRows = await sum(raw.db, sql`select count(*) as n from ${syncUpdates}`);
		const keptLog = await sum(
			kept.db,
			sql`select coalesce(sum(octet_length(${syncUpdates.data})), 0) as n from ${syncUpdates} where ${inArray(syncUpdates.name, keptNames)}`
		);
		const keptRows = await sum(kept.db, sql`select count(*) as n from ${syncUpdates}`);
		const snapshots = await sum(
			kept.db,
			sql`select coalesce(sum(octet_length(${syncSnapshots.data})), 0) as n from ${syncSnapshots}`
		);
		const versionStates = await sum(
			kept.db,
			sql`select coalesce(sum(octet_length(${draftSnapshots.state})), 0) as n from ${draftSnapshots}`
		);
		const versionContent = await sum(
			kept.db,
			sql`select coalesce(sum(pg_column_size(${draftSnapshots.content})), 0) as n from ${draftSnapshots}`
		);
		const versions = await kept.db
			.select({ id: draftSnapshots.id, draftId: draftSnapshots.draftId })
			.from(draftSnapshots);

		// Every named version restored onto its compacted document, from storage as the server would read it.
		let restorable = 0;
		let restoreMs = 0;
		for (const v of versions) {
			const i = keptDrafts.findIndex((d) => d.id === v.draftId);
			const stored = await keptStore.readSince(keptDrafts[i].docName, 0);
			const doc = new Y.Doc();
			for (const u of stored.updates) Y.applyUpdate(doc, u);
			const version = await loadVersion(kept.db, v.draftId, v.id);
			const t = performance.now();
			Y.applyUpdate(doc, revertUpdate(doc, version.state, randomClientId()));
			restoreMs += performance.now() - t;
			// Deep equality: jsonb gives the stored projection back with its keys in its own order.
			if (isDeepStrictEqual(projectDraft(doc), version.content)) restorable++;
			doc.destroy();
		}
		const stateBytes = rooms.reduce((n, d) => n + Y.encodeStateAsUpdate(d).byteLength, 0);
		const textChars = rooms.reduce((n, d) => n + bodyFragment(d).toString().length, 0);
		const tables = async () =>
			Promise.all([
				relationBytes(raw.db, 'sync_updates'),
				relationBytes(kept.db, 'sync_updates'),
				relationBytes(kept.db, 'sync_snapshots'),
				relationBytes(kept.db, 'draft_snapshots')
			]);
		// On disk as left (deleted rows wait for vacuum), and as rewritten by VACUUM FULL: what the data needs.
		const [keptUpdatesLeft, keptSnapshotsLeft] = (await tables()).slice(1, 3);
		await raw.db.execute(sql.raw('vacuum full sync_updates'));
		await kept.db.execute(sql.raw('vacuum full sync_updates, sync_snapshots, draft_snapshots'));
		const [rawTable, keptUpdatesTable, keptSnapshotsTable, versionsTable] = await tables();
		const kib = (n: number) => Math.round(n / 102.4) / 10;
		const keptTotal = keptLog + snapshots;
		return {
			driver: raw.driver,
			updates: total,
			documents: DOCS,
			compactEvery,
			versionEvery,
			avgUpdateBytes: Math.round((updateBytes / total) * 10) / 10,
			rawLog: { rows: rawRows, dataKiB: kib(rawLog), tableKiB: kib(rawTable) },
			compacted: {
				logRows: keptRows,
				logKiB: kib(keptLog),
				snapshotsKiB: kib(snapshots),
				dataKiB: kib(keptTotal),
				tableKiB: kib(keptUpdatesTable + keptSnapshotsTable),
				tableBeforeVacuumKiB: kib(keptUpdatesLeft + keptSnapshotsLeft),
				compactions
			},
			namedVersions: {
				count: versions.length,
				stateKiB: kib(versionStates),
				projectionKiB: kib(versionContent),
				tableKiB: kib(versionsTable),
				restorable: `${restorable}/${versions.length}`,
				restoreMsAvg: versions.length ? Math.round((restoreMs / versions.length) * 100) / 100 : 0
			},
			liveState: { kiB: kib(stateBytes), textChars },
			growth,
			ratio: {
				rawToCompactedData: Math.round((rawLog / keptTotal) * 10) / 10,
				rawToCompactedWithVersions: Math.round((rawLog / (keptTotal + versionStates + versionContent)) * 10) / 10,
				rawTableToCompactedTables:
					Math.round((rawTable / (keptUpdatesTable + keptSnapshotsTable + versionsTable)) * 10) / 10
			},
			ms: {
				rawAppendPerUpdate: Math.round((rawMs / total) * 1000) / 1000,
				compactedAppendPerUpdate: Math.round((keptMs / total) * 1000) / 1000,
				compactionAvg: compactions ? Math.round((compactMs / compactions) * 100) / 100 : 0,
				versionAvg: versions.length ? Math.round((versionMs / versions.length) * 100) / 100 : 0
			}
		};
	} finally {
		await raw.close();
		await kept.close();
	}
}
