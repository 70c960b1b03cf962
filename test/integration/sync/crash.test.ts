import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDb } from '../../../db/client';
import { CollabClient } from '../../../web/src/lib/collab/client';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import { buildDraft, cookieWebSocket, stockProvider, synced, waitFor } from '../../support/sync';
import { exited, freePort, prepareStorage, startProcess, waitHealthy } from '../../support/sync-process';

/**
 * The server as its own process, killed with SIGKILL while clients type: whatever a client was told
 * is saved, and whatever any client received from another, must be there after a restart. Runs on the
 * driver of this test run: the embedded PGlite in a data folder, or Postgres when DATABASE_URL is set.
 */

const pgUrl = process.env.DATABASE_URL || undefined;
describe(`kill -9 of the server process while clients type (${pgUrl ? 'Postgres' : 'PGlite'})`, () => {
	const disposers: (() => Promise<void> | void)[] = [];
	afterAll(async () => {
		for (const d of disposers.reverse()) await d();
	});

	it('keeps every update that was reported saved or that another client received, and every document loads', async () => {
		const storage = await prepareStorage(pgUrl);
		disposers.push(() => storage.dispose());

		// Users and drafts are written before the server process owns the storage.
		const setup = await createDb({ databaseUrl: storage.url, dataDir: storage.dataDir });
		await setup.migrate();
		const bodyId = (await buildBody(setup.db)).id;
		const caseId = (await buildCase(setup.db, bodyId)).id;
		const user = await buildUser(setup.db, { bodyId, role: 'secretary', party: 'S' });
		const docs = [
			(await buildDraft(setup.db, { caseId, owner: 'S' })).docName,
			(await buildDraft(setup.db, { caseId, owner: 'S' })).docName
		];
		await setup.close();

		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const wsUrl = `ws://127.0.0.1:${port}/sync`;
		let proc = startProcess(port, storage.env);
		disposers.push(async () => {
			proc.child.kill('SIGKILL');
			await exited(proc.child);
		});
		await waitHealthy(origin, proc);
		const login = await fetch(`${origin}/api/auth/login`, {
			method: 'POST',
			headers: { origin, 'content-type': 'application/json' },
			body: JSON.stringify({ email: user.email, password: user.password })
		});
		expect(login.status).toBe(200);
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

		// Three typists per document.
		const clients = docs.flatMap((docName) =>
			[0, 1, 2].map(() => ({
				docName,
				// Without the BroadcastChannel: what one client has of another's came through the server.
				c: new CollabClient(docName, {
					serverUrl: wsUrl,
					WebSocketPolyfill: cookieWebSocket(cookie, origin),
					disableBc: true
				})
			}))
		);
		disposers.push(() => clients.forEach(({ c }) => c.destroy()));
		await waitFor(() => clients.every(({ c }) => c.status === 'saved'), 10_000, 'clients synced');

		let typing = true;
		let n = 0;
		const typists = clients.map(({ c }, i) =>
			(async () => {
				while (typing) {
					const t = c.doc.getText('body');
					t.insert(n++ % 3 === 0 ? 0 : t.length, String.fromCharCode(97 + ((i + n) % 26)));
					await new Promise((r) => setTimeout(r, 4 + (i % 3)));
				}
			})()
		);
		await new Promise((r) => setTimeout(r, 1500));
		proc.child.kill('SIGKILL');
		await exited(proc.child);
		typing = false;
		await Promise.all(typists);
		await waitFor(() => clients.every(({ c }) => c.status === 'offline'), 5000, 'clients see the server gone');

		// What must survive: for each typist, the larger of what it was told is saved and what any
		// other client had received of its edits.
		const required = new Map<number, { docName: string; clock: number; saved: number; seen: number }>();
		for (const { c, docName } of clients) {
			const id = c.doc.clientID;
			const saved = c.savedClock(id);
			const seen = Math.max(
				0,
				...clients.filter((o) => o.c !== c && o.docName === docName).map((o) => Y.getState(o.c.doc.store, id))
			);
			required.set(id, { docName, clock: Math.max(saved, seen), saved, seen });
		}
		const typed = [...required.values()].reduce((s, r) => s + r.clock, 0);
		for (const { c } of clients) c.destroy();
		expect(typed).toBeGreaterThan(100);
		expect([...required.values()].some((r) => r.saved > 0)).toBe(true);

		proc = startProcess(port, storage.env);
		await waitHealthy(origin, proc);
		for (const docName of docs) {
			const fresh = stockProvider({ wsUrl, origin }, docName, cookie);
			disposers.push(() => fresh.provider.destroy());
			await synced(fresh.provider, 10_000);
			for (const [id, r] of required) {
				if (r.docName !== docName) continue;
				expect(
					Y.getState(fresh.doc.store, id),
					`client ${id} on ${docName}: ${JSON.stringify(r)}`
				).toBeGreaterThanOrEqual(r.clock);
			}
			fresh.provider.destroy();
		}
		console.log(
			`kill -9 (${pgUrl ? 'Postgres' : 'PGlite'}): ${typed} characters required after restart, ` +
				`${[...required.values()].reduce((s, r) => s + r.saved, 0)} of them reported saved; all present`
		);
		proc.child.kill('SIGTERM');
		await exited(proc.child);
	});
});
