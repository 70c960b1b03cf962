import { bigint, customType, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Binary column. PGlite hands back a Uint8Array and postgres-js a Buffer; both become a plain
 * Uint8Array so Yjs sees the same thing whichever driver is behind the app.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
	fromDriver: (v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
});

/**
 * One row per sync document (`draft.<id>`, `case.<id>`). `seq` is the last sequence number handed
 * to an update of the document: the group commit bumps it in the same transaction that appends the
 * update, so numbers are gapless per document across server processes, and a node that sees a gap
 * knows it missed one.
 */
export const syncDocs = pgTable('sync_docs', {
	name: text('name').primaryKey(),
	seq: bigint('seq', { mode: 'number' }).notNull().default(0),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** The update log: Yjs updates (v1 encoding) after the snapshot, in sequence order. */
export const syncUpdates = pgTable(
	'sync_updates',
	{
		name: text('name').notNull(),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		data: bytea('data').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.name, t.seq] })]
);

/** The compacted state of a document: every update up to and including `seq`, merged. */
export const syncSnapshots = pgTable('sync_snapshots', {
	name: text('name').primaryKey(),
	seq: bigint('seq', { mode: 'number' }).notNull(),
	data: bytea('data').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A plain projection of a document (for a draft: projectDraft's JSON and its text), kept so listings,
 * search and export need not load the Y.Doc. `seq` says which state it reflects.
 */
export const syncProjections = pgTable(
	'sync_projections',
	{
		name: text('name').primaryKey(),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		content: jsonb('content').notNull(),
		text: text('text').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sync_projections_updated_idx').on(t.updatedAt)]
);

/**
 * Signing keys for the short-lived sync tokens of non-browser clients. Kept in the database when
 * TOKEN_SECRET is not configured, so every server process of an installation accepts the same tokens.
 */
export const syncSecrets = pgTable('sync_secrets', {
	id: text('id').primaryKey(),
	secret: text('secret').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});
