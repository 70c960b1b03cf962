import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from '../../../db/client';
import { draftParties, drafts, memberships, sessions } from '../../../db/schema';
import { closeCodes } from '../../../server/sync/wire';
import { CollabClient, messages } from '../../../web/src/lib/collab/client';
import { createTestDb } from '../../support/db';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import {
	buildDraft,
	cookieWebSocket,
	rawSocket,
	startSyncServer,
	stockProvider,
	synced,
	waitFor,
	type SyncTestServer
} from '../../support/sync';

describe('sync access: party-private drafts, read-only, tokens, changes while connected', () => {
	let dbHandle: DbHandle;
	let server: SyncTestServer;
	let bodyId: string;
	let caseId: string;
	const cookies: Record<string, string> = {};
	const ids: Record<string, string> = {};
	const cleanup: (() => void)[] = [];

	const collab = (docName: string, who: string) => {
		const c = new CollabClient(docName, {
			serverUrl: server.wsUrl,
			WebSocketPolyfill: cookieWebSocket(cookies[who], server.origin)
		});
		cleanup.push(() => c.destroy());
		return c;
	};

	beforeAll(async () => {
		dbHandle = await createTestDb();
		server = await startSyncServer({ dbHandle });
		const db = dbHandle.db;
		bodyId = (await buildBody(db)).id;
		caseId = (await buildCase(db, bodyId)).id;
		const people = {
			secS: { role: 'secretary', party: 'S' },
			memS: { role: 'member', party: 'S' },
			secM: { role: 'secretary', party: 'M' },
			memM: { role: 'member', party: 'M' },
			observer: { role: 'observer' }
		} as const;
		for (const [key, p] of Object.entries(people)) {
			const u = await buildUser(db, { bodyId, role: p.role, party: 'party' in p ? p.party : undefined });
			ids[key] = u.id;
			cookies[key] = await server.login(u.email, u.password);
		}
	});

	afterAll(async () => {
		for (const f of cleanup) f();
		await server?.close();
		await dbHandle?.close();
	});

	const headers = (who: string) => ({ cookie: cookies[who], origin: server.origin });

	it("refuses another party's draft before a single byte of it is sent", async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		await server.deps.sync.writeDoc(docName, (doc) => doc.getText('title').insert(0, 'HEMLIGT S-yrkande'));
		for (const who of ['secM', 'memM', 'observer']) {
			const s = rawSocket(`${server.wsUrl}/${docName}`, headers(who));
			const { code } = await s.closed;
			expect(code).toBe(closeCodes.forbidden);
			expect(s.frames.length).toBe(0);
			expect(s.bytes).toBe(0);
		}
	});

	it('refuses unknown documents, bad names, missing sessions and cross-site handshakes', async () => {
		const cases: [string, Record<string, string>, number][] = [
			['draft.finnsinte', headers('secS'), closeCodes.forbidden],
			['case.finnsinte', headers('secS'), closeCodes.forbidden],
			['nagot.annat', headers('secS'), closeCodes.forbidden],
			[`case.${caseId}`, {}, closeCodes.unauthenticated],
			[`case.${caseId}`, { cookie: 'yrka_session=abcdefghijklmnopqrstuvwx' }, closeCodes.unauthenticated],
			[`case.${caseId}`, { cookie: cookies.secS, origin: 'https://evil.example' }, closeCodes.forbidden]
		];
		for (const [name, h, expected] of cases) {
			const s = rawSocket(`${server.wsUrl}/${name}`, h);
			expect((await s.closed).code, name).toBe(expected);
			expect(s.bytes).toBe(0);
		}
	});

	it('lets a party member read but never write: the edit is refused, reaches nobody, and the client is told', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		await server.deps.sync.writeDoc(docName, (doc) => doc.getText('title').insert(0, 'Yrkande'));
		const writer = stockProvider(server, docName, cookies.secS);
		cleanup.push(() => writer.provider.destroy());
		await synced(writer.provider);

		const reader = collab(docName, 'memS');
		await waitFor(() => reader.status === 'saved', 5000, 'reader synced');
		expect(reader.readOnly).toBe(true);
		expect(reader.doc.getText('title').toString()).toBe('Yrkande');

		const before = server.deps.sync.stats().rejectedUpdates;
		const oldDoc = reader.doc;
		oldDoc.getText('title').insert(0, 'OBEHÖRIG ');
		await waitFor(() => reader.error === messages.rejected, 5000, 'rejection reported');
		expect(server.deps.sync.stats().rejectedUpdates).toBe(before + 1);
		// The client starts over from the server's state instead of silently diverging.
		await waitFor(() => reader.doc !== oldDoc && reader.status === 'saved', 5000, 'reader reset');
		expect(reader.doc.getText('title').toString()).toBe('Yrkande');
		expect(reader.readOnly).toBe(true);

		writer.doc.getText('title').insert(7, ' angående budget');
		await waitFor(() => reader.doc.getText('title').toString() === 'Yrkande angående budget', 5000, 'reader follows');
		await server.deps.sync.flush();
		const stored = await server.deps.sync.readDoc(docName);
		expect(stored.getText('title').toString()).toBe('Yrkande angående budget');
		expect(writer.doc.getText('title').toString()).not.toContain('OBEHÖRIG');
	});

	it('a stock client that may only read gets its edit refused with the standard permission-denied message', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S', status: 'submitted' });
		await server.deps.sync.writeDoc(docName, (doc) => doc.getText('title').insert(0, 'Inlämnat'));
		const s = rawSocket(`${server.wsUrl}/${docName}`, headers('observer'));
		await s.opened;
		// A Yjs update of a foreign client, wrapped as y-websocket "sync update".
		const foreign = new Y.Doc();
		foreign.getText('title').insert(0, 'X');
		const update = Y.encodeStateAsUpdate(foreign);
		s.ws.send(new Uint8Array([0, 2, ...lengthPrefix(update)]));
		await waitFor(() => s.frames.some((f) => f[0] === 2 && f[1] === 0), 5000, 'permission denied');
		s.ws.close();
		const stored = await server.deps.sync.readDoc(docName);
		expect(stored.getText('title').toString()).toBe('Inlämnat');
	});

	it('issues short-lived tokens for clients without the cookie, for readable documents only', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		await server.deps.sync.writeDoc(docName, (doc) => doc.getText('title').insert(0, 'Via token'));
		const post = (who: string, doc: string) =>
			fetch(`${server.origin}/api/sync/token`, {
				method: 'POST',
				headers: { ...headers(who), 'content-type': 'application/json' },
				body: JSON.stringify({ doc })
			});
		expect((await post('secM', docName)).status).toBe(404);
		expect((await post('secS', 'draft.finnsinte')).status).toBe(404);
		const res = await post('secS', docName);
		expect(res.status).toBe(200);
		const { token } = (await res.json()) as { token: string };

		const doc = new Y.Doc();
		const { WebsocketProvider } = await import('y-websocket');
		const { WebSocket } = await import('ws');
		const p = new WebsocketProvider(server.wsUrl, docName, doc, {
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			params: { token },
			disableBc: true
		});
		cleanup.push(() => p.destroy());
		await synced(p);
		expect(doc.getText('title').toString()).toBe('Via token');

		const other = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const wrongDoc = rawSocket(`${server.wsUrl}/${other.docName}?token=${token}`);
		expect((await wrongDoc.closed).code).toBe(closeCodes.forbidden);
		const forged = rawSocket(`${server.wsUrl}/${docName}?token=${token.slice(0, -2)}xx`);
		expect((await forged.closed).code).toBe(closeCodes.unauthenticated);
		const bearer = rawSocket(`${server.wsUrl}/${docName}`, { authorization: `Bearer ${token}` });
		await waitFor(() => bearer.frames.length > 0, 5000, 'bearer token accepted');
		bearer.ws.close();
	});

	it('downgrades a writer to read-only within a second when the draft is submitted', async () => {
		const { id, docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const c = collab(docName, 'secS');
		await waitFor(() => c.status === 'saved', 5000, 'synced');
		expect(c.readOnly).toBe(false);
		await dbHandle.db.update(drafts).set({ status: 'submitted' }).where(eq(drafts.id, id));
		const t0 = Date.now();
		await server.deps.sync.notifyAccessChanged({ docName });
		await waitFor(() => c.readOnly, 1000, 'downgrade');
		expect(Date.now() - t0).toBeLessThan(1000);
	});

	it('closes a co-signer’s connection when its party is removed, and a member’s when the membership goes', async () => {
		const { docName, id } = await buildDraft(dbHandle.db, { caseId, owner: 'S', cosigners: ['M'], status: 'shared' });
		const m = collab(docName, 'secM');
		const s = collab(docName, 'memS');
		await waitFor(() => m.status === 'saved' && s.status === 'saved', 5000, 'synced');
		expect(m.readOnly).toBe(false);

		await dbHandle.db.delete(draftParties).where(and(eq(draftParties.draftId, id), eq(draftParties.partyId, 'M')));
		await server.deps.sync.notifyAccessChanged({ docName });
		await waitFor(() => m.error === messages.forbidden, 1000, 'co-signer closed');
		expect(m.status).toBe('offline');
		// The lookups shared by the sockets that opened a moment ago are not reused after the change.
		const again = rawSocket(`${server.wsUrl}/${docName}`, { cookie: cookies.secM, origin: server.origin });
		expect((await again.closed).code).toBe(closeCodes.forbidden);
		expect(again.bytes).toBe(0);

		await dbHandle.db.delete(memberships).where(eq(memberships.userId, ids.memS));
		await server.deps.sync.notifyAccessChanged({ userId: ids.memS });
		await waitFor(() => s.error === messages.forbidden, 1000, 'member closed');
		const later = rawSocket(`${server.wsUrl}/${docName}`, { cookie: cookies.memS, origin: server.origin });
		expect((await later.closed).code).toBe(closeCodes.forbidden);
	});
});

describe('sync access: the periodic re-check', () => {
	it('closes a socket whose session was ended, without anyone calling notifyAccessChanged', async () => {
		const dbHandle = await createTestDb();
		const server = await startSyncServer({ dbHandle, sync: { accessRecheckMs: 200 } });
		try {
			const bodyId = (await buildBody(dbHandle.db)).id;
			const caseId = (await buildCase(dbHandle.db, bodyId)).id;
			const u = await buildUser(dbHandle.db, { bodyId, role: 'member', party: 'S' });
			const cookie = await server.login(u.email, u.password);
			const s = rawSocket(`${server.wsUrl}/case.${caseId}`, { cookie, origin: server.origin });
			await s.opened;
			await dbHandle.db.delete(sessions).where(eq(sessions.userId, u.id));
			const t0 = Date.now();
			expect((await s.closed).code).toBe(closeCodes.unauthenticated);
			expect(Date.now() - t0).toBeLessThan(1000);
		} finally {
			await server.close();
			await dbHandle.close();
		}
	});
});

describe('sync access: logging out', () => {
	it('closes the sockets of the ended session within a second, long before the periodic re-check', async () => {
		const dbHandle = await createTestDb();
		const server = await startSyncServer({ dbHandle, sync: { accessRecheckMs: 60_000 } });
		try {
			const bodyId = (await buildBody(dbHandle.db)).id;
			const caseId = (await buildCase(dbHandle.db, bodyId)).id;
			const u = await buildUser(dbHandle.db, { bodyId, role: 'member', party: 'S' });
			const cookie = await server.login(u.email, u.password);
			const s = rawSocket(`${server.wsUrl}/case.${caseId}`, { cookie, origin: server.origin });
			await s.opened;
			const t0 = Date.now();
			const res = await fetch(`${server.origin}/api/auth/logout`, {
				method: 'POST',
				headers: { cookie, origin: server.origin }
			});
			expect(res.status).toBe(200);
			expect((await s.closed).code).toBe(closeCodes.unauthenticated);
			expect(Date.now() - t0).toBeLessThan(1000);
			// The session lookup the first socket shared is not reused once the session has ended.
			const again = rawSocket(`${server.wsUrl}/case.${caseId}`, { cookie, origin: server.origin });
			expect((await again.closed).code).toBe(closeCodes.unauthenticated);
		} finally {
			await server.close();
			await dbHandle.close();
		}
	});
});

describe('sync access: edits made offline by a writer who may only read when back', () => {
	it('are not silently kept: the client starts over from the stored text and says why', async () => {
		const dbHandle = await createTestDb();
		let server = await startSyncServer({ dbHandle });
		const cleanup: (() => unknown)[] = [() => dbHandle.close()];
		try {
			const bodyId = (await buildBody(dbHandle.db)).id;
			const caseId = (await buildCase(dbHandle.db, bodyId)).id;
			const u = await buildUser(dbHandle.db, { bodyId, role: 'secretary', party: 'S' });
			const cookie = await server.login(u.email, u.password);
			const { id, docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
			const c = new CollabClient(docName, {
				serverUrl: server.wsUrl,
				WebSocketPolyfill: cookieWebSocket(cookie, server.origin)
			});
			cleanup.unshift(() => c.destroy());
			await waitFor(() => c.status === 'saved', 5000, 'synced');
			c.doc.getText('title').insert(0, 'Sparat');
			await waitFor(() => c.status === 'saved', 5000, 'saved');

			const port = Number(new URL(server.origin).port);
			await server.close();
			await waitFor(() => c.status === 'offline', 5000, 'offline');
			c.doc.getText('title').insert(6, ' och osparat');
			await dbHandle.db.update(drafts).set({ status: 'submitted' }).where(eq(drafts.id, id));
			server = await startSyncServer({ dbHandle, port });
			cleanup.unshift(() => server.close());

			await waitFor(() => c.error === messages.rejected, 8000, 'told');
			await waitFor(() => c.status === 'saved', 5000, 'in sync again');
			expect(c.readOnly).toBe(true);
			expect(c.doc.getText('title').toString()).toBe('Sparat');
		} finally {
			for (const f of cleanup) await f();
		}
	});
});

function lengthPrefix(bytes: Uint8Array): number[] {
	const out: number[] = [];
	let n = bytes.length;
	while (n > 127) {
		out.push(128 | (n & 127));
		n >>>= 7;
	}
	out.push(n);
	return [...out, ...bytes];
}
