import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Db, Tx } from './client';

interface SessionInternals {
	_: { session: { client: PGlite | Sql; logger: Logger } };
}

/**
 * Runs one statement written as SQL text with $n parameters, on the client behind a drizzle handle
 * (or transaction), and returns its rows. For a hot path only: drizzle builds a statement from its
 * template and wraps it in a prepared-query object each time (about 0.2 ms of CPU, as much as a small
 * INSERT costs in PGlite), while a fixed text is sent as it is; on Postgres it is also prepared once
 * per connection. The statement is logged through drizzle's logger like any other.
 */
export async function rawRows<T extends Record<string, unknown>>(
	db: Db | Tx,
	text: string,
	params: unknown[],
	{ prepare = true }: { prepare?: boolean } = {}
): Promise<T[]> {
	const { client, logger } = (db as unknown as SessionInternals)._.session;
	logger.logQuery(text, params);
	if ('unsafe' in client) return (await client.unsafe(text, params as never[], { prepare })) as unknown as T[];
	return (await client.query<T>(text, params)).rows;
}
