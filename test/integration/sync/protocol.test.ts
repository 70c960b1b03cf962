import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DbHandle } from '../../../db/client';
import { createTestDb } from '../../support/db';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import {
	buildDraft,
	rawSocket,
	startSyncServer,
	stockProvider,
	synced,
	waitFor,
	type SyncTestServer
} from '../../support/sync';

/** A small seeded PRNG (mulberry32): the same edits on every run. */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('sync protocol with stock y-websocket clients', () => {
	let dbHandle: DbHandle;
	let server: SyncTestServer;
	let cookie: string;
	let otherCookie: string;
	let caseId: string;
	const open: { provider: WebsocketProvider; doc: Y.Doc }[] = [];

	const client = (docName: string) => {
		const c = stockProvider(server, docName, cookie);
		open.push(c);
		return c;
	};

	beforeAll(async () => {
		dbHandle = await createTestDb();
		server = await startSyncServer({ dbHandle });
		const body = await buildBody(dbHandle.db);
		caseId = (await buildCase(dbHandle.db, body.id)).id;
		const sec = await buildUser(dbHandle.db, { bodyId: body.id, role: 'secretary', party: 'S' });
		cookie = await server.login(sec.email, sec.password);
		const member = await buildUser(dbHandle.db, { bodyId: body.id, role: 'member', party: 'S' });
		otherCookie = await server.login(member.email, member.password);
	});

	afterAll(async () => {
		for (const c of open) c.provider.destroy();
		await server?.close();
		await dbHandle?.close();
	});

	it('two to five clients converge on the same text', async () => {
		for (const n of [2, 3, 5]) {
			const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
			const clients = Array.from({ length: n }, () => client(docName));
			await Promise.all(clients.map((c) => synced(c.provider)));
			clients.forEach((c, i) => c.doc.getText('title').insert(0, `klient ${i}; `));
			await waitFor(
				() =>
					clients.every((c) => c.doc.getText('title').length === clients[0].doc.getText('title').length) &&
					clients[0].doc.getText('title').toString().split(';').length === n + 1,
				5000,
				`${n} clients converging`
			);
			const texts = new Set(clients.map((c) => c.doc.getText('title').toString()));
			expect(texts.size).toBe(1);
			for (let i = 0; i < n; i++) expect([...texts][0]).toContain(`klient ${i}`);
			for (const c of clients) c.provider.destroy();
		}
	});

	it('converges under random concurrent edits with disconnects and reconnects midway (seed 4711)', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const rnd = prng(4711);
		const clients = Array.from({ length: 4 }, () => client(docName));
		await Promise.all(clients.map((c) => synced(c.provider)));
		for (let step = 0; step < 400; step++) {
			const c = clients[Math.floor(rnd() * clients.length)];
			const text = c.doc.getText('body');
			const r = rnd();
			if (r < 0.6 || text.length === 0) {
				text.insert(Math.floor(rnd() * (text.length + 1)), String.fromCharCode(97 + Math.floor(rnd() * 26)));
			} else if (r < 0.85) {
				const at = Math.floor(rnd() * text.length);
				text.delete(at, Math.min(1 + Math.floor(rnd() * 3), text.length - at));
			} else {
				c.doc.getMap('meta').set(`k${Math.floor(rnd() * 5)}`, step);
			}
			if (step % 40 === 20) {
				// A forced disconnect: the client keeps editing offline and resyncs later.
				const victim = clients[Math.floor(rnd() * clients.length)];
				if (victim.provider.wsconnected) victim.provider.disconnect();
			}
			if (step % 40 === 35) for (const x of clients) if (!x.provider.shouldConnect) x.provider.connect();
			if (step % 10 === 0) await new Promise((r) => setTimeout(r, 5));
		}
		for (const x of clients) if (!x.provider.shouldConnect) x.provider.connect();
		await Promise.all(clients.map((c) => synced(c.provider)));
		// Map keys sorted: each replica lists them in its own insertion order.
		const state = () =>
			clients.map((c) =>
				JSON.stringify({ b: c.doc.getText('body').toString(), m: Object.entries(c.doc.getMap('meta').toJSON()).sort() })
			);
		await waitFor(() => new Set(state()).size === 1, 10_000, 'convergence');
		await server.deps.sync.flush();
		const stored = await server.deps.sync.readDoc(docName);
		expect(stored.getText('body').toString()).toBe(clients[0].doc.getText('body').toString());
		expect(stored.getMap('meta').toJSON()).toEqual(clients[0].doc.getMap('meta').toJSON());
		expect(clients[0].doc.getText('body').length).toBeGreaterThan(20);
		for (const c of clients) c.provider.destroy();
	});

	it('relays awareness, answers a query, and removes a client’s presence when it disconnects', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const a = client(docName);
		const b = client(docName);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		a.provider.awareness.setLocalStateField('user', { name: 'Anna' });
		await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Anna', 5000, 'awareness');
		a.provider.destroy();
		await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'awareness removal');
		b.provider.destroy();
	});

	it("does not let one user overwrite or remove another user's presence", async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const a = client(docName);
		const watcher = client(docName);
		await Promise.all([synced(a.provider), synced(watcher.provider)]);
		a.provider.awareness.setLocalStateField('user', { name: 'Anna' });
		await waitFor(
			() => watcher.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Anna',
			5000,
			'presence'
		);

		const s = rawSocket(`${server.wsUrl}/${docName}`, { cookie: otherCookie, origin: server.origin });
		await s.opened;
		for (const state of ['null', JSON.stringify({ user: { name: 'Förfalskad' } })]) {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, a.doc.clientID);
			encoding.writeVarUint(e, 1_000_000);
			encoding.writeVarString(e, state);
			const msg = encoding.createEncoder();
			encoding.writeVarUint(msg, 1);
			encoding.writeVarUint8Array(msg, encoding.toUint8Array(e));
			s.ws.send(encoding.toUint8Array(msg));
		}
		await new Promise((r) => setTimeout(r, 200));
		expect(watcher.provider.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Anna');
		expect(s.ws.readyState).toBe(s.ws.OPEN);
		s.ws.close();
		a.provider.destroy();
		watcher.provider.destroy();
	});

	it('gives a client joining after an update the new content, though an earlier joiner had the whole document', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		// A writer and a first fresh joiner: the server answers the empty state vector with the whole document.
		const writer = client(docName);
		await synced(writer.provider);
		const first = client(docName);
		await synced(first.provider);
		expect(first.doc.getText('title').toString()).toBe(writer.doc.getText('title').toString());
		const second = client(docName);
		await synced(second.provider);
		for (const [round, text] of ['Första ändringen', 'Andra ändringen'].entries()) {
			writer.doc.getText('title').insert(0, `${text} `);
			await waitFor(
				() => first.doc.getText('title').toString().startsWith(`${text} `),
				5000,
				`round ${round}: the change reaching an open client`
			);
			// A client that joins now must get the document with the change, not the whole document as it was.
			const late = client(docName);
			await synced(late.provider);
			expect(late.doc.getText('title').toString()).toBe(writer.doc.getText('title').toString());
			// And two fresh joiners in a row with no change between them get the same document.
			const later = client(docName);
			await synced(later.provider);
			expect(later.doc.getText('title').toString()).toBe(writer.doc.getText('title').toString());
			late.provider.destroy();
			later.provider.destroy();
		}
		// A server-side write is a change too.
		await server.deps.sync.writeDoc(docName, (doc) => doc.getText('title').insert(0, 'Från servern '));
		const last = client(docName);
		await synced(last.provider);
		expect(last.doc.getText('title').toString()).toMatch(/^Från servern Andra ändringen Första ändringen /);
		for (const c of [writer, first, second, last]) c.provider.destroy();
	});

	it('unloads a document from memory once its last client has left and all is durable', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		// Documents of earlier tests leave memory first (their clients are gone).
		await waitFor(() => server.deps.sync.stats().docs === 0, 5000, 'earlier documents unloaded');
		const before = 0;
		const a = client(docName);
		await synced(a.provider);
		a.doc.getText('title').insert(0, 'Att spara');
		expect(server.deps.sync.stats().docs).toBe(before + 1);
		a.provider.destroy();
		await waitFor(() => server.deps.sync.stats().docs === before, 5000, 'unload');
		const stored = await server.deps.sync.readDoc(docName);
		expect(stored.getText('title').toString()).toBe('Att spara');
	});
});
