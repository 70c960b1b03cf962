import postgres from 'postgres';
import { createDb, type DbHandle } from '../../db/client';
import { newId } from '../../server/ids';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database on the
 * Postgres server named by DATABASE_URL (dropped again on close). Same tests, both drivers.
 */
export async function createTestDb(): Promise<DbHandle> {
	const url = process.env.DATABASE_URL;
	if (!url) {
		const handle = await createDb();
		await handle.migrate();
		return handle;
	}
	const name = `yrka_t_${newId().slice(0, 12)}`;
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const testUrl = new URL(url);
	testUrl.pathname = `/${name}`;
	const handle = await createDb({ databaseUrl: testUrl.toString(), maxConnections: 5 });
	await handle.migrate();
	return {
		...handle,
		async close() {
			await handle.close();
			const drop = postgres(url, { max: 1, onnotice: () => {} });
			await drop.unsafe(`drop database if exists ${name} with (force)`);
			await drop.end();
		}
	};
}
