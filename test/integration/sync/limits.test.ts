import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DbHandle } from '../../../db/client';
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

const MAX = 64 * 1024;

describe('sync limits: message size, malformed input, floods, slow readers, dead peers', () => {
	let dbHandle: DbHandle;
	let server: SyncTestServer;
	let caseId: string;
	let cookie: string;
	const cleanup: (() => void)[] = [];

	const headers = () => ({ cookie, origin: server.origin });
	const pair = async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const a = stockProvider(server, docName, cookie);
		const b = stockProvider(server, docName, cookie);
		cleanup.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		return { docName, a, b };
	};
	/** Time for an edit on one client to reach the other. */
	const roundTrip = async (p: Awaited<ReturnType<typeof pair>>, mark: string) => {
		const t0 = performance.now();
		p.a.doc.getText('t').insert(0, mark);
		await waitFor(() => p.b.doc.getText('t').toString().includes(mark), 5000, `round trip ${mark}`);
		return performance.now() - t0;
	};

	beforeAll(async () => {
		dbHandle = await createTestDb();
		server = await startSyncServer({
			dbHandle,
			sync: {
				maxMessageBytes: MAX,
				maxBufferedBytes: 256 * 1024,
				pingIntervalMs: 150,
				messagesPerSecond: 100,
				messageBurst: 100,
				bytesPerSecond: 64 * 1024 * 1024,
				byteBurst: 64 * 1024 * 1024
			}
		});
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

	it('closes a connection that sends an oversized frame with 1009, and only that one', async () => {
		const others = await pair();
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const s = rawSocket(`${server.wsUrl}/${docName}`, headers());
		await s.opened;
		s.ws.send(new Uint8Array(MAX + 1024));
		expect((await s.closed).code).toBe(closeCodes.tooBig);
		expect(await roundTrip(others, 'efter-stor')).toBeLessThan(1000);
		expect((await fetch(`${server.origin}/api/health`)).status).toBe(200);

		// Our wrapper tells the user and does not retry the same frame forever.
		const c = new CollabClient(docName, {
			serverUrl: server.wsUrl,
			WebSocketPolyfill: cookieWebSocket(cookie, server.origin)
		});
		cleanup.push(() => c.destroy());
		await waitFor(() => c.status === 'saved', 5000, 'synced');
		c.doc.getText('t').insert(0, 'x'.repeat(MAX * 2));
		await waitFor(() => c.error === messages.tooBig, 5000, 'too big reported');
		expect(c.status).toBe('offline');
	});

	it('closes a connection that sends malformed messages with 4400 and keeps the document working for others', async () => {
		const others = await pair();
		const garbage = [
			new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]),
			new Uint8Array([0, 2, 5, 9, 9, 9, 9, 9]),
			new Uint8Array([0, 0, 200]),
			new Uint8Array([1, 3, 1, 2])
		];
		for (const g of garbage) {
			const s = rawSocket(`${server.wsUrl}/${others.docName}`, headers());
			await s.opened;
			s.ws.send(g);
			expect((await s.closed).code).toBe(closeCodes.malformed);
		}
		expect(server.deps.sync.stats().malformedClosed).toBeGreaterThanOrEqual(garbage.length);
		expect(await roundTrip(others, 'efter-skräp')).toBeLessThan(1000);
		await server.deps.sync.flush();
		const stored = await server.deps.sync.readDoc(others.docName);
		expect(stored.getText('t').toString()).toBe(others.a.doc.getText('t').toString());
	});

	it('slows a flooding client down without slowing other documents', async () => {
		const others = await pair();
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const s = rawSocket(`${server.wsUrl}/${docName}`, headers());
		await s.opened;
		const queryAwareness = new Uint8Array([3]);
		const n = 400;
		const t0 = performance.now();
		for (let i = 0; i < n; i++) s.ws.send(queryAwareness);
		const latencies: number[] = [];
		for (let i = 0; i < 5; i++) latencies.push(await roundTrip(others, `under-flod-${i}`));
		// Each query is answered; at 100 messages per second after a burst of 100 that takes about 3 s.
		await waitFor(() => s.frames.filter((f) => f[0] === 1).length >= n, 10_000, 'flood answered');
		const floodMs = performance.now() - t0;
		expect(floodMs).toBeGreaterThan(2500);
		expect(Math.max(...latencies)).toBeLessThan(500);
		expect(s.ws.readyState).toBe(WebSocket.OPEN);
		console.log(
			`flood of ${n} messages took ${Math.round(floodMs)} ms; other document's round trips ${latencies.map(Math.round).join(', ')} ms`
		);
		s.ws.close();
	});

	it('drops a peer that stops reading instead of buffering for it', async () => {
		// Its own server without the per-connection rate limit: the writer must outrun the kernel's buffers.
		const fast = await startSyncServer({
			dbHandle,
			sync: { maxBufferedBytes: 256 * 1024, messagesPerSecond: 100_000, messageBurst: 100_000 }
		});
		try {
			const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
			const a = stockProvider(fast, docName, cookie);
			const b = stockProvider(fast, docName, cookie);
			cleanup.push(
				() => a.provider.destroy(),
				() => b.provider.destroy()
			);
			await Promise.all([synced(a.provider), synced(b.provider)]);
			const reader = rawSocket(`${fast.wsUrl}/${docName}`, { cookie, origin: fast.origin });
			await reader.opened;
			reader.ws.pause();
			// Presence is relayed at once (no database in between), so it fills a non-reader's buffers fastest.
			const blob = 'y'.repeat(60 * 1024);
			for (let i = 0; i < 2000 && fast.deps.sync.stats().slowReadersDropped === 0; i++) {
				a.provider.awareness.setLocalStateField('blob', `${i}${blob}`);
				if (i % 20 === 19) await new Promise((r) => setTimeout(r, 1));
			}
			await waitFor(() => fast.deps.sync.stats().slowReadersDropped > 0, 10_000, 'slow reader dropped');
			// Another document on the same server is not held up by what happened here.
			const other = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
			const c = stockProvider(fast, other.docName, cookie);
			const d = stockProvider(fast, other.docName, cookie);
			cleanup.push(
				() => c.provider.destroy(),
				() => d.provider.destroy()
			);
			await Promise.all([synced(c.provider), synced(d.provider)]);
			const t0 = performance.now();
			c.doc.getText('t').insert(0, 'efter-långsam');
			await waitFor(() => d.doc.getText('t').toString() === 'efter-långsam', 5000, 'others unaffected');
			expect(performance.now() - t0).toBeLessThan(1000);
			c.provider.destroy();
			d.provider.destroy();
			a.provider.destroy();
			b.provider.destroy();
		} finally {
			await fast.close();
		}
	});

	it('drops a peer that does not answer pings', async () => {
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const dead = new WebSocket(`${server.wsUrl}/${docName}`, { headers: headers(), autoPong: false });
		const alive = rawSocket(`${server.wsUrl}/${docName}`, headers());
		dead.on('error', () => {});
		const closed = new Promise<number>((r) => dead.on('close', (code) => r(code)));
		await alive.opened;
		const t0 = Date.now();
		await closed;
		expect(Date.now() - t0).toBeLessThan(2000);
		await new Promise((r) => setTimeout(r, 400));
		expect(alive.ws.readyState).toBe(WebSocket.OPEN);
		alive.ws.close();
	});
});
