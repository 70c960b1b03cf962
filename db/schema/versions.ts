import { bigint, customType, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { DraftContent } from '../../server/domain/draft-doc';
import { drafts } from './drafts';
import { users } from './identity';

/** Binary column; both drivers hand back a Uint8Array subclass, Postgres.js wants a Buffer in. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value)
});

export const draftSnapshotKinds = [
	/** a version a writer saved with a label of their own */
	'manual',
	/** taken when an editing session went quiet, or when the last editor left */
	'idle',
	/** taken once an hour while the draft is being edited */
	'hourly',
	/** the text as it was just before a restore replaced it, so a restore can itself be undone */
	'before_restore'
] as const;
export type DraftSnapshotKind = (typeof draftSnapshotKinds)[number];

/**
 * Named versions of a draft while it is written. Each holds the whole Y.Doc (encodeStateAsUpdate) and
 * its projection, so compaction of the sync log can never make one unrestorable. The versions frozen
 * at submit stay in draft_versions; the history lists both. Rows are written once and never changed.
 */
export const draftSnapshots = pgTable(
	'draft_snapshots',
	{
		id: text('id').primaryKey(),
		draftId: text('draft_id')
			.notNull()
			.references(() => drafts.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: draftSnapshotKinds }).notNull(),
		/** the writer's own name for a manual version; null for automatic ones */
		label: text('label'),
		state: bytea('state').notNull(),
		content: jsonb('content').$type<DraftContent>().notNull(),
		/** digest of the content: an automatic version identical to the previous one is not stored */
		digest: text('digest').notNull(),
		/** the users whose edits went into this version since the previous one (automatic versions) */
		editors: jsonb('editors').$type<string[]>().notNull().default([]),
		/** for before_restore: the version that was restored */
		restoredFrom: text('restored_from'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [index('draft_snapshots_draft_idx').on(t.draftId, t.createdAt)]
);

/**
 * Which user wrote as which Yjs client in a document: recorded when the sync server accepts an
 * update that brings a client's structs. Attribution reads `item.id.client` of every text item and
 * looks the user up here. A client id could in theory be claimed by two users (ids are random, and a
 * malicious writer could reuse one); both rows are kept and such text is shown as of uncertain author.
 */
export const syncClientUsers = pgTable(
	'sync_client_users',
	{
		docName: text('doc_name').notNull(),
		clientId: bigint('client_id', { mode: 'number' }).notNull(),
		userId: text('user_id').notNull(),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.docName, t.clientId, t.userId] })]
);
