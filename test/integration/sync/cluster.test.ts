import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createDb } from '../../../db/client';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import { buildDraft, stockProvider, synced, waitFor } from '../../support/sync';
import { exited, freePort, prepareStorage, startProcess, waitHealthy } from '../../support/sync-process';

/**
 * Two server processes on one Postgres database and one Redis: clients on either node converge, and a
 * node killed with SIGKILL mid-edit and started again catches up. Two processes cannot share the
 * embedded PGlite, so this runs in the Postgres pass of the suite (DATABASE_URL) with REDIS_URL set;
 * the in-process variant in redis.test.ts runs on both drivers.
 */

const pgUrl = process.env.DATABASE_URL || undefined;
const redisUrl = process.env.REDIS_URL || undefined;

describe.skipIf(!redisUrl || !pgUrl)('two server processes through Redis, one killed with -9', () => {
	const disposers: (() => Promise<void> | void)[] = [];
	afterAll(async () => {
		for (const d of disposers.reverse()) await d();
	});

	it('clients on both nodes converge, also after a node is killed mid-edit and restarted', async () => {
		const storage = await prepareStorage(pgUrl);
		disposers.push(() => storage.dispose());
		const setup = await createDb({ databaseUrl: storage.url });
		await setup.migrate();
		const bodyId = (await buildBody(setup.db)).id;
		const caseId = (await buildCase(setup.db, bodyId)).id;
		const user = await buildUser(setup.db, { bodyId, role: 'secretary', party: 'S' });
		const { docName } = await buildDraft(setup.db, { caseId, owner: 'S' });
		await setup.close();

		const env = { ...storage.env, REDIS_URL: redisUrl as string, SYNC_SEQ_CHECK_MS: '300' };
		const [portA, portB] = [await freePort(), await freePort()];
		const nodes = {
			a: { port: portA, proc: startProcess(portA, env) },
			b: { port: portB, proc: startProcess(portB, env) }
		};
		disposers.push(async () => {
			for (const n of Object.values(nodes)) {
				n.proc.child.kill('SIGKILL');
				await exited(n.proc.child);
			}
		});
		const origin = (port: number) => `http://127.0.0.1:${port}`;
		await Promise.all(Object.values(nodes).map((n) => waitHealthy(origin(n.port), n.proc)));
		const login = await fetch(`${origin(portA)}/api/auth/login`, {
			method: 'POST',
			headers: { origin: origin(portA), 'content-type': 'application/json' },
			body: JSON.stringify({ email: user.email, password: user.password })
		});
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		const at = (port: number) => ({ wsUrl: `ws://127.0.0.1:${port}/sync`, origin: origin(port) });
		const clients = [portA, portA, portB, portB].map((port) => {
			const c = stockProvider(at(port), docName, cookie);
			disposers.push(() => c.provider.destroy());
			return c;
		});
		await Promise.all(clients.map((c) => synced(c.provider, 10_000)));
		const text = (c: { doc: Y.Doc }) => c.doc.getText('t').toString();

		let typing = true;
		const typists = clients.map((c, i) =>
			(async () => {
				let k = 0;
				while (typing) {
					const t = c.doc.getText('t');
					t.insert(k++ % 2 ? 0 : t.length, String(i));
					await new Promise((r) => setTimeout(r, 5 + i));
				}
			})()
		);
		await new Promise((r) => setTimeout(r, 800));
		nodes.b.proc.child.kill('SIGKILL');
		await exited(nodes.b.proc.child);
		// Node A's clients go on; node B's clients type offline.
		await new Promise((r) => setTimeout(r, 500));
		nodes.b.proc = startProcess(portB, env);
		await waitHealthy(origin(portB), nodes.b.proc);
		await new Promise((r) => setTimeout(r, 500));
		typing = false;
		await Promise.all(typists);
		await waitFor(() => clients.every((c) => c.provider.synced), 15_000, 'B clients back');
		await waitFor(() => new Set(clients.map(text)).size === 1, 10_000, 'converged across nodes');
		const counts = [0, 1, 2, 3].map((i) => text(clients[0]).split(String(i)).length - 1);
		// Every client typed on every side of the kill; nobody's characters are missing anywhere.
		for (const c of clients) {
			const own = c.doc.getText('t').toString();
			expect(own).toBe(text(clients[0]));
		}
		expect(Math.min(...counts)).toBeGreaterThan(20);
		console.log(
			`cluster: ${text(clients[0]).length} characters converged on both nodes (per client ${counts.join(', ')})`
		);
	});
});
