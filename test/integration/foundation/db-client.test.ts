import { PGlite, types } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client';
import { forDrizzle } from '../../../db/pglite';
import { rawRows } from '../../../db/raw';
import { sessions, syncUpdates } from '../../../db/schema';
import { createSession } from '../../../server/auth/session';
import { SyncStore } from '../../../server/sync/store';
import { buildBody, buildUser } from '../../support/factories';
import { createTestDb } from '../../support/db';

let handle: DbHandle;
beforeAll(async () => {
	handle = await createTestDb();
});
afterAll(() => handle?.close());

describe('the database client', () => {
	it('reads timestamps as drizzle defines them, also inside a transaction', async () => {
		const { db } = handle;
		const body = await buildBody(db);
		const user = await buildUser(db, { bodyId: body.id, role: 'member', party: 'S' });
		const { session } = await createSession(db, user.id);
		const [row] = await db.select().from(sessions).where(eq(sessions.id, session.id));
		expect(row.expiresAt).toBeInstanceOf(Date);
		expect(row.expiresAt.getTime()).toBe(session.expiresAt.getTime());
		// inside a transaction too
		const inTx = await db.transaction(async (tx) => tx.select().from(sessions).where(eq(sessions.id, session.id)));
		expect(inTx[0].expiresAt).toBeInstanceOf(Date);
	});

	it('runs raw statements with parameters, also inside a transaction', async () => {
		const { db } = handle;
		const rows = await rawRows<{ n: number; s: string }>(db, 'select $1::int as n, $2::text as s', [41, 'åäö']);
		expect(rows).toEqual([{ n: 41, s: 'åäö' }]);
		const inTx = await db.transaction((tx) => rawRows<{ n: number }>(tx, 'select $1::int + 1 as n', [1]));
		expect(inTx).toEqual([{ n: 2 }]);
	});

	it('appends one update and many in one statement, and more than 500 documents in one transaction', async () => {
		const store = new SyncStore(handle.db);
		const data = (i: number) => new Uint8Array([i % 256, 1, 2]);
		expect([...(await store.append([{ name: 'raw.one', data: data(1) }]))]).toEqual([['raw.one', 1]]);
		expect([...(await store.append([{ name: 'raw.one', data: data(2) }]))]).toEqual([['raw.one', 2]]);
		const many = Array.from({ length: 650 }, (_, i) => ({ name: `raw.m${String(i).padStart(3, '0')}`, data: data(i) }));
		many.push({ name: 'raw.one', data: data(3) });
		const seqs = await store.append(many.reverse());
		expect(seqs.size).toBe(651);
		expect(seqs.get('raw.one')).toBe(3);
		expect(seqs.get('raw.m649')).toBe(1);
		const [stored] = await handle.db
			.select({ data: syncUpdates.data })
			.from(syncUpdates)
			.where(eq(syncUpdates.name, 'raw.m300'));
		expect([...stored.data]).toEqual([...data(300)]);
		const read = await store.readSince('raw.one');
		expect(read.updates.map((u) => u[0])).toEqual([1, 2, 3]);
	});
});

describe('PGlite as drizzle gets it', () => {
	it('leaves out only the parsers that return the text unchanged, and keeps any other', async () => {
		const client = new PGlite();
		try {
			const lean = forDrizzle(client);
			const keep = (v: string) => v;
			const plain = await lean.query<{ t: unknown }>(`select timestamptz '2025-03-04 10:00+00' as t`);
			expect(plain.rows[0].t).toBeInstanceOf(Date);
			const asText = await lean.query<{ t: unknown }>(`select timestamptz '2025-03-04 10:00+00' as t`, [], {
				parsers: { [types.TIMESTAMPTZ]: keep }
			});
			expect(typeof asText.rows[0].t).toBe('string');
			// The identity parser is now the client's own: a query without parsers gets text as well.
			const after = await lean.query<{ t: unknown }>(`select timestamptz '2025-03-04 10:00+00' as t`);
			expect(typeof after.rows[0].t).toBe('string');
			const upper = await lean.query<{ s: unknown }>(`select 'abc'::text as s`, [], {
				parsers: { [types.TEXT]: (v: string) => v.toUpperCase() }
			});
			expect(upper.rows[0].s).toBe('ABC');
			const inTx = await lean.transaction(async (tx) => {
				expect(tx.closed).toBe(false);
				return (await tx.query<{ n: number }>('select 1 as n', [], { parsers: { [types.DATE]: keep } })).rows;
			});
			expect(inTx).toEqual([{ n: 1 }]);
		} finally {
			await client.close();
		}
	});
});
