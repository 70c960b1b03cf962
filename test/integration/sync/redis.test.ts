import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { DbHandle } from '../../../db/client';
import { draftParties } from '../../../db/schema';
import { CollabClient, messages } from '../../../web/src/lib/collab/client';
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

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('sync scale-out: several server processes through Redis', () => {
	let dbHandle: DbHandle;
	let a: SyncTestServer;
	let b: SyncTestServer;
	let caseId: string;
	const cookies: Record<string, string> = {};
	const cleanup: (() => void)[] = [];
	const node = () => startSyncServer({ dbHandle, sync: { redisUrl, seqCheckMs: 200 } });

	const client = (server: SyncTestServer, docName: string, who = 'secS') => {
		const c = stockProvider(server, docName, cookies[who]);
		cleanup.push(() => c.provider.destroy());
		return c;
	};
	const text = (c: { doc: Y.Doc }) => c.doc.getText('t').toString();

	beforeAll(async () => {
		dbHandle = await createTestDb();
		[a, b] = await Promise.all([node(), node()]);
		const bodyId = (await buildBody(dbHandle.db)).id;
		caseId = (await buildCase(dbHandle.db, bodyId)).id;
		for (const [who, party] of [
			['secS', 'S'],
			['secM', 'M']
		] as const) {
			const u = await buildUser(dbHandle.db, { bodyId, role: 'secretary', party });
			cookies[who] = await a.login(u.email, u.password);
		}
	});

	afterAll(async () => {
		for (const f of cleanup) f();
		await Promise.all([a?.close(), b?.close()]);
		await dbHandle?.close();
	});

	it('clients on different nodes converge, presence included', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const clients = [client(a, docName), client(a, docName), client(b, docName), client(b, docName)];
		await Promise.all(clients.map((c) => synced(c.provider)));
		for (let round = 0; round < 30; round++) {
			clients.forEach((c, i) => c.doc.getText('t').insert(round % 2 ? 0 : c.doc.getText('t').length, String(i)));
			await new Promise((r) => setTimeout(r, 3));
		}
		await waitFor(() => new Set(clients.map(text)).size === 1 && text(clients[0]).length === 120, 5000, 'converged');
		clients[0].provider.awareness.setLocalStateField('user', { name: 'Anna på A' });
		await waitFor(
			() => clients[3].provider.awareness.getStates().get(clients[0].doc.clientID)?.user?.name === 'Anna på A',
			5000,
			'presence across nodes'
		);
		clients[0].provider.destroy();
		await waitFor(
			() => !clients[3].provider.awareness.getStates().has(clients[0].doc.clientID),
			5000,
			'presence removed'
		);
	});

	it('a node that missed an update notices and reads it from the database', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const onA = client(a, docName);
		await synced(onA.provider);
		// A process without Redis writes: nothing is published, only the sequence in the database moves.
		const silent = await startSyncServer({ dbHandle });
		try {
			await silent.deps.sync.writeDoc(docName, (doc) => doc.getText('t').insert(0, 'skrivet tyst'));
		} finally {
			await silent.close();
		}
		await waitFor(() => text(onA) === 'skrivet tyst', 3000, 'caught up');
		onA.doc.getText('t').insert(0, '> ');
		const onB = client(b, docName);
		await synced(onB.provider);
		await waitFor(() => text(onB) === '> skrivet tyst', 3000, 'B sees both');
	});

	it('an access change on one node closes the connection on another within a second', async () => {
		const { docName, id } = await buildDraft(dbHandle.db, { caseId, owner: 'S', cosigners: ['M'], status: 'shared' });
		const m = new CollabClient(docName, {
			serverUrl: b.wsUrl,
			WebSocketPolyfill: cookieWebSocket(cookies.secM, b.origin)
		});
		cleanup.push(() => m.destroy());
		await waitFor(() => m.status === 'saved', 5000, 'synced');
		await dbHandle.db.delete(draftParties).where(and(eq(draftParties.draftId, id), eq(draftParties.partyId, 'M')));
		const t0 = Date.now();
		await a.deps.sync.notifyAccessChanged({ docName });
		await waitFor(() => m.error === messages.forbidden, 1000, 'closed on the other node');
		expect(Date.now() - t0).toBeLessThan(1000);
	});

	it('a node stopped mid-edit and started again catches up, and its clients converge', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const onA = client(a, docName);
		const onB = client(b, docName);
		await Promise.all([synced(onA.provider), synced(onB.provider)]);
		onA.doc.getText('t').insert(0, 'före ');
		await waitFor(() => text(onB) === 'före ', 3000, 'before');
		const port = Number(new URL(b.origin).port);
		await b.close();
		// Editing goes on on both sides while B is away; B's client keeps its edits offline.
		onA.doc.getText('t').insert(text(onA).length, 'under-A ');
		onB.doc.getText('t').insert(0, 'offline-B ');
		await new Promise((r) => setTimeout(r, 100));
		b = await startSyncServer({ dbHandle, port, sync: { redisUrl, seqCheckMs: 200 } });
		await waitFor(() => (onB.provider as WebsocketProvider).synced, 10_000, 'B reconnected');
		onA.doc.getText('t').insert(0, 'efter ');
		await waitFor(() => text(onA) === text(onB) && text(onA).includes('efter'), 5000, 'converged after restart');
		for (const part of ['före', 'under-A', 'offline-B', 'efter']) expect(text(onA)).toContain(part);
	});
});
