import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { AmendmentRebase, RebaseStatus } from '../../server/domain/rebase';
import { cases } from './cases';
import { drafts } from './drafts';
import { users } from './identity';

/** Statuses of an amendment checked against a newer baseline version; see server/domain/rebase.ts. */
export const amendmentCheckStatuses = ['valid', 'rebased', 'stale'] as const satisfies readonly RebaseStatus[];

/**
 * The last check of an amendment against a newer baseline version. The amendment's text lives in
 * its draft's Y.Doc; this row records what the check found, so the overview and the author see the
 * status without merging again, and so a conflict keeps both texts until the author resolves it.
 * One row per amendment: a later baseline version replaces the row.
 */
export const amendmentChecks = pgTable(
	'amendment_checks',
	{
		draftId: text('draft_id')
			.notNull()
			.references(() => drafts.id, { onDelete: 'cascade' }),
		/** the amendment's id inside the draft's document */
		amendmentId: text('amendment_id').notNull(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** the baseline version the amendment was written against */
		fromVersion: integer('from_version').notNull(),
		/** the baseline version it was checked against */
		toVersion: integer('to_version').notNull(),
		status: text('status', { enum: amendmentCheckStatuses }).notNull(),
		/** what the check decided: the merged text or amounts, or the conflicts with both texts */
		result: jsonb('result').$type<AmendmentRebase>().notNull(),
		/**
		 * true when the merge was written into the draft's document; a submitted draft is frozen, so
		 * its rebased text is only what the overview and the preview use
		 */
		applied: boolean('applied').notNull().default(false),
		checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
		/** a stale amendment the author has gone through and accepted against the new version */
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.draftId, t.amendmentId] }), index('amendment_checks_case_idx').on(t.caseId)]
);
