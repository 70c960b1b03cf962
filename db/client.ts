import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { forDrizzle } from './pglite';
import * as schema from './schema';

export type Schema = typeof schema;
/** The database as the app sees it, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handed to a callback of db.transaction(). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
	db: Db;
	driver: 'pglite' | 'postgres';
	/** Applies the generated SQL migrations in db/migrations. */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export interface DbOptions {
	/** A Postgres server; when absent, the embedded PGlite database is used. */
	databaseUrl?: string;
	/** Folder of the embedded database; `undefined` or 'memory://' keeps it in memory. */
	dataDir?: string;
	/** Connections in the Postgres pool. */
	maxConnections?: number;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens the embedded database in `dir`. Creating one (initdb) grows PGlite's WebAssembly memory to
 * about 860 MB, which it never gives back while open; opened again, the same database takes about
 * 500 MB. So a new folder is created, closed and opened once more.
 */
async function openPgliteDir(dir: string): Promise<PGlite> {
	const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
	mkdirSync(dir, { recursive: true });
	if (fresh) await (await PGlite.create(dir)).close();
	return new PGlite(dir);
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
	if (options.databaseUrl) {
		const sql = postgres(options.databaseUrl, {
			max: options.maxConnections ?? 10,
			onnotice: () => {}
		});
		const db = drizzlePostgres(sql, { schema }) as unknown as Db;
		return {
			db,
			driver: 'postgres',
			migrate: () => migratePostgres(db as never, { migrationsFolder }),
			close: () => sql.end({ timeout: 5 })
		};
	}
	const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
	const client = dir ? await openPgliteDir(dir) : new PGlite();
	await client.waitReady;
	const db = drizzlePglite({ client: forDrizzle(client), schema }) as unknown as Db;
	return {
		db,
		driver: 'pglite',
		migrate: () => migratePglite(db as never, { migrationsFolder }),
		close: () => client.close()
	};
}
