import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from '../../../db/client';
import { initDraftDoc, projectDraft, type DraftContent } from '../../../server/domain/draft-doc';
import { GroupCommitter, type CommittedDoc } from '../../../server/sync/committer';
import { SyncStore } from '../../../server/sync/store';
import { CollabClient } from '../../../web/src/lib/collab/client';
import { createTestDb } from '../../support/db';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import {
	buildDraft,
	cookieWebSocket,
	startSyncServer,
	stockProvider,
	synced,
	waitFor,
	type SyncTestServer
} from '../../support/sync';

const textUpdate = (s: string) => {
	const d = new Y.Doc();
	d.getText('t').insert(0, s);
	return Y.encodeStateAsUpdate(d);
};

describe('sync persistence: group commit, saved status, restart, compaction, projection', () => {
	let dbHandle: DbHandle;
	let server: SyncTestServer;
	let caseId: string;
	let cookie: string;
	const cleanup: (() => void)[] = [];

	const collab = (docName: string, s = server) => {
		const c = new CollabClient(docName, { serverUrl: s.wsUrl, WebSocketPolyfill: cookieWebSocket(cookie, s.origin) });
		cleanup.push(() => c.destroy());
		return c;
	};

	beforeAll(async () => {
		dbHandle = await createTestDb();
		server = await startSyncServer({ dbHandle, sync: { compactEvery: 20 } });
		const bodyId = (await buildBody(dbHandle.db)).id;
		caseId = (await buildCase(dbHandle.db, bodyId)).id;
		const u = await buildUser(dbHandle.db, { bodyId, role: 'secretary', party: 'S' });
		cookie = await server.login(u.email, u.password);
	});

	afterAll(async () => {
		for (const f of cleanup) f();
		await server?.close();
		await dbHandle?.close();
	});

	it('commits updates that arrive during a transaction together, and reports nothing before the commit', async () => {
		const store = new SyncStore(dbHandle.db);
		let open!: () => void;
		const gate = new Promise<void>((r) => (open = r));
		const writes: number[] = [];
		const committed: CommittedDoc<string, null>[] = [];
		const c = new GroupCommitter<string, null>({
			nameOf: (r) => r,
			write: async (batch) => {
				writes.push(batch.length);
				await gate;
				return store.append(batch);
			},
			committed: (docs) => committed.push(...docs),
			log: () => {}
		});
		c.enqueue({ room: 'case.gc1', update: textUpdate('a'), origin: null });
		await new Promise((r) => setImmediate(r));
		// These arrive while the first transaction is open: they share the next one.
		c.enqueue({ room: 'case.gc1', update: textUpdate('b'), origin: null });
		c.enqueue({ room: 'case.gc2', update: textUpdate('c'), origin: null });
		c.enqueue({ room: 'case.gc1', update: textUpdate('d'), origin: null });
		const durable = c.whenDurable();
		let done = false;
		void durable.then(() => (done = true));
		await new Promise((r) => setTimeout(r, 30));
		expect(committed).toHaveLength(0);
		expect(done).toBe(false);
		open();
		await durable;
		expect(writes).toEqual([1, 2]);
		expect(committed.map((d) => [d.name, d.seq, d.items.length])).toEqual([
			['case.gc1', 1, 1],
			['case.gc1', 2, 2],
			['case.gc2', 1, 1]
		]);
		expect(c.totals).toMatchObject({ batches: 2, updates: 4 });
		expect((await store.logInfo('case.gc1')).logRows).toBe(2);
	});

	it('says "saved" only after the server confirmed, and what was saved survives a restart', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const c = collab(docName);
		await waitFor(() => c.status === 'saved', 5000, 'synced');
		const statuses = new Set<string>();
		const text = c.doc.getText('title');
		for (let i = 0; i < 60; i++) {
			text.insert(text.length, String.fromCharCode(65 + (i % 26)));
			statuses.add(c.status);
			if (i % 7 === 0) await new Promise((r) => setTimeout(r, 2));
		}
		expect(statuses.has('saving')).toBe(true);
		await waitFor(() => c.status === 'saved', 5000, 'saved');
		const typed = text.toString();
		c.destroy();

		await server.close();
		server = await startSyncServer({ dbHandle, sync: { compactEvery: 20 } });
		const again = collab(docName);
		await waitFor(() => again.status === 'saved', 5000, 'reloaded');
		expect(again.doc.getText('title').toString()).toBe(typed);
	});

	it('reports offline when the server cannot be reached, and saved once it can', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const port = Number(new URL(server.origin).port);
		await server.close();
		const c = collab(docName);
		await waitFor(() => c.status === 'offline', 5000, 'offline');
		c.doc.getText('title').insert(0, 'Skrivet utan server');
		expect(c.status).toBe('offline');
		server = await startSyncServer({ dbHandle, port, sync: { compactEvery: 20 } });
		await waitFor(() => c.status === 'saved', 10_000, 'saved after reconnect');
		const stored = await server.deps.sync.readDoc(docName);
		expect(stored.getText('title').toString()).toBe('Skrivet utan server');
	});

	it('many writers share transactions (group commit)', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const clients = Array.from({ length: 5 }, () => stockProvider(server, docName, cookie));
		for (const c of clients) cleanup.push(() => c.provider.destroy());
		await Promise.all(clients.map((c) => synced(c.provider)));
		const before = server.deps.sync.stats().commits;
		for (let round = 0; round < 40; round++) {
			for (const c of clients) c.doc.getText('body').insert(0, 'x');
			await new Promise((r) => setImmediate(r));
		}
		await waitFor(() => clients.every((c) => c.doc.getText('body').length === 200), 5000, 'converged');
		await server.deps.sync.flush();
		const after = server.deps.sync.stats().commits;
		const updates = after.updates - before.updates;
		const batches = after.batches - before.batches;
		expect(updates).toBe(200);
		expect(batches).toBeLessThan(updates);
		console.log(`group commit: ${updates} updates in ${batches} transactions`);
	});

	it('compacts the log into a snapshot in the background and loads the same state from it', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const c = collab(docName);
		await waitFor(() => c.status === 'saved', 5000, 'synced');
		const text = c.doc.getText('title');
		for (let i = 0; i < 90; i++) {
			text.insert(i % 3 === 0 ? 0 : text.length, String(i % 10));
			if (i % 5 === 4) text.delete(0, 1);
			await waitFor(() => c.status === 'saved', 5000, 'saved');
		}
		const store = new SyncStore(dbHandle.db);
		await waitFor(() => true);
		let info = await store.logInfo(docName);
		const t0 = Date.now();
		while ((info.snapshotSeq === null || info.logRows >= 20) && Date.now() - t0 < 5000) {
			await new Promise((r) => setTimeout(r, 50));
			info = await store.logInfo(docName);
		}
		expect(info.snapshotSeq).not.toBeNull();
		expect(info.seq).toBeGreaterThanOrEqual(90);
		expect(info.logRows).toBeLessThan(20);
		const expected = text.toString();
		const loadedBefore = server.deps.sync.stats().docs;
		c.destroy();
		await waitFor(() => server.deps.sync.stats().docs === loadedBefore - 1, 5000, 'unloaded');
		const loaded = await server.deps.sync.readDoc(docName);
		expect(loaded.getText('title').toString()).toBe(expected);
	});

	it('stores the projections of many documents in one upsert, each only where it is not older than the stored one', async () => {
		const store = new SyncStore(dbHandle.db);
		const names = ['draft.proj-a', 'draft.proj-b', 'draft.proj-c'];
		await store.saveProjections([
			{ name: names[0], seq: 5, content: { v: 'a5' }, text: 'a5' },
			{ name: names[1], seq: 3, content: { v: 'b3' }, text: 'b3' }
		]);
		// One row older than what is stored (another process projected further), two newer or new.
		await store.saveProjections([
			{ name: names[0], seq: 4, content: { v: 'a4' }, text: 'a4' },
			{ name: names[1], seq: 6, content: { v: 'b6' }, text: 'b6' },
			{ name: names[2], seq: 1, content: { v: 'c1' }, text: 'c1' }
		]);
		const stored = await store.readProjections(names);
		expect(names.map((n) => [stored.get(n)?.seq, stored.get(n)?.content, stored.get(n)?.text])).toEqual([
			[5, { v: 'a5' }, 'a5'],
			[6, { v: 'b6' }, 'b6'],
			[1, { v: 'c1' }, 'c1']
		]);
	});

	it('projects every document edited in the same period, and a listing of several stale ones at once', async () => {
		const drafts = await Promise.all([0, 1, 2].map(() => buildDraft(dbHandle.db, { caseId, owner: 'S' })));
		const clients = drafts.map(({ docName }) => {
			const c = stockProvider(server, docName, cookie);
			cleanup.push(() => c.provider.destroy());
			return c;
		});
		await Promise.all(clients.map((c) => synced(c.provider)));
		clients.forEach((c, i) => c.doc.getText('title').insert(0, `Projektion ${i}`));
		const names = drafts.map((d) => d.docName);
		const until = async (cond: () => Promise<boolean>, what: string) => {
			const start = Date.now();
			while (!(await cond())) {
				if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
				await new Promise((r) => setTimeout(r, 20));
			}
		};
		await until(
			async () =>
				(await Promise.all(names.map((n) => server.deps.sync.readDoc(n)))).every(
					(d, i) => d.getText('title').toString() === `Projektion ${i}`
				),
			'the edits reaching the server'
		);
		// Read at once, before the projection timer: every stale one is written first.
		const listed = await server.deps.sync.readProjections(names);
		for (const [i, n] of names.entries())
			expect((listed.get(n)?.content as DraftContent).title).toBe(`Projektion ${i}`);
		// Edited again and left to the timer: all of them are written by it.
		clients.forEach((c, i) => c.doc.getText('title').insert(0, `Igen ${i} `));
		const store = new SyncStore(dbHandle.db);
		await until(async () => {
			const stored = await store.readProjections(names);
			return names.every(
				(n, i) => (stored.get(n)?.content as DraftContent | undefined)?.title === `Igen ${i} Projektion ${i}`
			);
		}, 'the timer writing every stale projection');
	});

	it('writes server-side changes durably, broadcasts them, and keeps a projection for listings', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const watcher = stockProvider(server, docName, cookie);
		cleanup.push(() => watcher.provider.destroy());
		await synced(watcher.provider);
		await server.deps.sync.writeDoc(docName, (doc) =>
			initDraftDoc(doc, {
				kind: 'yrkande',
				title: 'Yrkande angående – Budget 2025 för kommunstyrelsen',
				points: [{ id: 'p1', level: 'ks', text: 'Kommunstyrelsen får i uppdrag att se över lokalkostnaderna.' }]
			})
		);
		await waitFor(() => watcher.doc.getText('title').length > 0, 5000, 'broadcast');
		const projection = await server.deps.sync.readProjection(docName);
		expect(projection).not.toBeNull();
		const content = projection!.content as DraftContent;
		expect(content).toEqual(projectDraft(watcher.doc));
		expect(content.points[0].text).toBe('Kommunstyrelsen får i uppdrag att se över lokalkostnaderna.');
		expect(projection!.text).toContain('lokalkostnaderna');

		// A case's shared space has no server-side shape: each top-level type is projected as what it is.
		const caseDoc = `case.${caseId}`;
		await server.deps.sync.writeDoc(caseDoc, (doc) => {
			doc.getMap('comments').set('c1', { item: 'mal-1', text: 'Vi yrkar avslag på punkt 2.' });
			doc.getText('note').insert(0, 'Gemensam anteckning');
		});
		const caseProjection = await server.deps.sync.readProjection(caseDoc);
		expect(caseProjection?.content).toEqual({
			comments: { c1: { item: 'mal-1', text: 'Vi yrkar avslag på punkt 2.' } },
			note: 'Gemensam anteckning'
		});
		expect(caseProjection?.text).toContain('Gemensam anteckning');

		const copy = await server.deps.sync.readDoc(docName);
		copy.getText('title').insert(0, 'ÄNDRAD KOPIA ');
		const again = await server.deps.sync.readDoc(docName);
		expect(again.getText('title').toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
	});
});
