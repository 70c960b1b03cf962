import { rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as Y from 'yjs';
import { migrationsFolder, type Db, type DbHandle } from '../../../../db/client';
import { forDrizzle } from '../../../../db/pglite';
import * as schema from '../../../../db/schema';
import { draftParties, drafts, syncSnapshots, syncUpdates } from '../../../../db/schema';
import { createSession, SESSION_COOKIE } from '../../../../server/auth/session';
import { loadConfig } from '../../../../server/config';
import { newId } from '../../../../server/ids';
import { startRuntime } from '../../../../server/runtime';
import { buildBody, buildCase, buildUser } from '../../../support/factories';
import { draftSeed } from '../docs';
import { pgliteDir } from './pglite-dir';
import type { PrepareArgs, ServerImpl, StartArgs } from './types';

function paramBytes(params: unknown[]): number {
	let n = 0;
	for (const p of params) {
		if (p instanceof Uint8Array) n += p.byteLength;
		else if (typeof p === 'string') n += Buffer.byteLength(p);
		else if (typeof p === 'number' || typeof p === 'bigint' || p instanceof Date) n += 8;
		else if (p !== null && p !== undefined) n += Buffer.byteLength(JSON.stringify(p));
	}
	return n;
}

/**
 * The same drizzle handle as db/client.ts builds, plus a logger that counts the parameter bytes of
 * every statement that writes (INSERT, UPDATE, or a WITH that does): the logger sees each statement,
 * inside transactions too. That count over the
 * bytes of accepted updates is the write amplification.
 */
async function openDb(args: StartArgs, count: (n: number) => void): Promise<DbHandle & { dataDir?: string }> {
	const writes = /^\s*(insert|update|with\b[\s\S]*\b(insert|update)\b)/i;
	const logger = {
		logQuery(query: string, params: unknown[]) {
			if (writes.test(query)) count(paramBytes(params));
		}
	};
	if (args.kind === 'yrka-postgres') {
		if (!args.databaseUrl) throw new Error('yrka-postgres needs a database');
		const client = postgres(args.databaseUrl, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
		return {
			db,
			driver: 'postgres',
			migrate: () => migratePostgres(db as never, { migrationsFolder }),
			close: () => client.end({ timeout: 5 })
		};
	}
	const dataDir = await pgliteDir();
	const client = new PGlite(dataDir);
	await client.waitReady;
	const db = drizzlePglite({ client: forDrizzle(client), schema, logger }) as unknown as Db;
	return {
		db,
		driver: 'pglite',
		dataDir,
		migrate: () => migratePglite(db as never, { migrationsFolder }),
		close: () => client.close()
	};
}

/** Our server as it runs in production (startRuntime), with real sessions for the sockets. */
export async function startOurs(args: StartArgs): Promise<ServerImpl> {
	let dbWriteBytes = 0;
	const handle = await openDb(args, (n) => (dbWriteBytes += n));
	await handle.migrate();
	// SYNC_BENCH_SERVER_LOG=1 shows the server's own log (e.g. failed commits) on the benchmark's stderr.
	const logLevel = process.env.SYNC_BENCH_SERVER_LOG === '1' ? ('info' as const) : ('silent' as const);
	const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', seedDemo: false, logLevel };
	// Thousands of clients of 8 users from one address: the socket caps (server/sync/limits.ts) are off.
	process.env.SYNC_MAX_SOCKETS_PER_USER ??= '0';
	process.env.SYNC_MAX_SOCKETS_PER_IP ??= '0';
	const runtime = await startRuntime(config, { serveWeb: false, dbHandle: handle, sync: args.sync });
	const port = Number(new URL(runtime.url).port);
	const db = handle.db;
	const bodyId = (await buildBody(db)).id;
	const caseId = (await buildCase(db, bodyId)).id;
	// Several secretaries of one party, each with a real session: sockets authenticate as browsers do.
	const origin = `http://127.0.0.1:${port}`;
	const headers: Record<string, string>[] = [];
	for (let i = 0; i < 8; i++) {
		const user = await buildUser(db, { bodyId, role: 'secretary', party: 'S' });
		const { token } = await createSession(db, user.id);
		headers.push({ cookie: `${SESSION_COOKIE}=${token}`, origin });
	}
	const sync = runtime.deps.sync;

	return {
		port,
		headers,
		async prepare(p: PrepareArgs) {
			const content = p.update ?? draftSeed().update;
			// The rows the drafts API writes for a new draft (test/support/sync.ts buildDraft), 500 per statement.
			const ids = Array.from({ length: p.docs }, () => newId());
			for (let i = 0; i < ids.length; i += 500) {
				const part = ids.slice(i, i + 500);
				await db.insert(drafts).values(
					part.map((id) => ({
						id,
						caseId,
						kind: 'yrkande' as const,
						title: 'Yrkande angående – Budget 2025 för kommunstyrelsen',
						status: 'draft' as const,
						ownerPartyId: 'S'
					}))
				);
				await db.insert(draftParties).values(part.map((id) => ({ draftId: id, partyId: 'S', role: 'owner' as const })));
			}
			const names = ids.map((id) => `draft.${id}`);
			// Through the service, as the drafts API seeds a new draft: durable when it resolves.
			for (let i = 0; i < names.length; i += 50) {
				await Promise.all(names.slice(i, i + 50).map((n) => sync.writeDoc(n, (doc) => Y.applyUpdate(doc, content))));
			}
			return names;
		},
		counters() {
			const s = sync.stats();
			return {
				sync: {
					updates: s.commits.updates,
					batches: s.commits.batches,
					bytes: s.commits.bytes,
					failures: s.commits.failures,
					docs: s.docs,
					connections: s.connections
				},
				dbWriteBytes,
				receivedBytes: s.commits.bytes
			};
		},
		async settle(timeoutMs: number) {
			const start = performance.now();
			const complete = await Promise.race([
				sync.flush().then(() => true),
				new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())
			]);
			return { ms: performance.now() - start, complete };
		},
		async storedBytes(doc: string) {
			const [log] = await db
				.select({ n: sql<number>`coalesce(sum(octet_length(${syncUpdates.data})), 0)::int` })
				.from(syncUpdates)
				.where(eq(syncUpdates.name, doc));
			const [snap] = await db
				.select({ n: sql<number>`coalesce(sum(octet_length(${syncSnapshots.data})), 0)::int` })
				.from(syncSnapshots)
				.where(eq(syncSnapshots.name, doc));
			return Number(log?.n ?? 0) + Number(snap?.n ?? 0);
		},
		async close() {
			await runtime.close();
			await handle.close();
			if (handle.dataDir) rmSync(handle.dataDir, { recursive: true, force: true });
		}
	};
}
