import { customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { DraftContent } from '../../server/domain/draft-doc';
import { cases } from './cases';
import { users } from './identity';
import { parties } from './organization';

export const draftKinds = [
	/** yrkande: a formal proposal with numbered decision points and a motivation */
	'yrkande',
	/** tilläggsyrkande: adds decision points; decided after the main question */
	'tillaggsyrkande',
	/** ändringsyrkande: changes the text of points, "i övrigt bifall" */
	'andringsyrkande',
	/** yttrande: a party's written statement entered in the protocol */
	'yttrande',
	/** särskilt yttrande: a statement by a member who did not take part in the decision */
	'sarskilt_yttrande',
	/** protokollsanteckning: a short note in the protocol */
	'protokollsanteckning',
	/** genomförandeplan: a board's implementation plan for the budget */
	'genomforandeplan'
] as const;
export type DraftKind = (typeof draftKinds)[number];

export const draftStatusValues = ['draft', 'shared', 'submitted', 'withdrawn'] as const;

/** A party document being drafted; its text lives in the sync document `draft.<id>`. */
export const drafts = pgTable(
	'drafts',
	{
		id: text('id').primaryKey(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: draftKinds }).notNull(),
		title: text('title').notNull(),
		/** see DraftStatus in server/policies: draft (utkast), shared (delat), submitted (inlämnat), withdrawn */
		status: text('status', { enum: draftStatusValues }).notNull().default('draft'),
		ownerPartyId: text('owner_party_id')
			.notNull()
			.references(() => parties.id),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true })
	},
	(t) => [index('drafts_case_idx').on(t.caseId)]
);

export const draftPartyRoles = [
	/** the party that started the draft */
	'owner',
	/** a co-signing party invited by the owner; its secretaries may edit */
	'cosigner'
] as const;

/** The parties behind a draft: the owner and the co-signers. Access to the draft follows this table. */
export const draftParties = pgTable(
	'draft_parties',
	{
		draftId: text('draft_id')
			.notNull()
			.references(() => drafts.id, { onDelete: 'cascade' }),
		partyId: text('party_id')
			.notNull()
			.references(() => parties.id),
		role: text('role', { enum: draftPartyRoles }).notNull(),
		/** Place of the party on the document: the owner 0, co-signers in the order they were invited. */
		position: integer('position').notNull().default(0),
		/** When a secretary of this party approved submitting the joint draft. */
		approvedAt: timestamp('approved_at', { withTimezone: true }),
		approvedBy: text('approved_by').references(() => users.id, { onDelete: 'set null' }),
		/**
		 * Digest of the text and the parties as they were approved: an approval holds for that version
		 * only, so an edit after it asks the party to approve again.
		 */
		approvedDigest: text('approved_digest')
	},
	(t) => [primaryKey({ columns: [t.draftId, t.partyId] })]
);

/** Binary column; both drivers hand back a Uint8Array subclass, Postgres.js wants a Buffer in. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * The frozen versions of a draft: what was submitted (inlämnat). Rows are written once, at submit,
 * and never changed; readers, summaries and exports use the latest row, not the live document.
 */
export const draftVersions = pgTable(
	'draft_versions',
	{
		draftId: text('draft_id')
			.notNull()
			.references(() => drafts.id, { onDelete: 'cascade' }),
		/** 1 for the first submission */
		version: integer('version').notNull(),
		/** the whole Y.Doc at submit (Y.encodeStateAsUpdate), so the version can be reopened exactly */
		state: bytea('state').notNull(),
		/** the plain projection at submit: what read-only views and exports show */
		content: jsonb('content').$type<DraftContent>().notNull(),
		/** digest of content and parties, as approvals record it */
		digest: text('digest').notNull(),
		/** the owner and co-signing parties at submit, owner first */
		partyIds: jsonb('party_ids').$type<string[]>().notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
		submittedBy: text('submitted_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.draftId, t.version] })]
);

/**
 * Who signs the draft (undertecknare): ledamöter and ersättare of the draft's parties, in the order
 * the document lists them under their party. Set while the draft is open, like its text, and so
 * frozen with it at submit.
 */
export const draftSignatories = pgTable(
	'draft_signatories',
	{
		draftId: text('draft_id')
			.notNull()
			.references(() => drafts.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** the party the person signs for, as it was when they were named */
		partyId: text('party_id')
			.notNull()
			.references(() => parties.id),
		/** place on the document, 0 first */
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.draftId, t.userId] })]
);
