import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { baselineItems } from './baseline';
import { cases } from './cases';
import { drafts } from './drafts';
import { users } from './identity';

export const commentTargetKinds = [
	/** a draft as a whole, or a range of its text (anchor) */
	'draft',
	/** an amendment inside a draft, by its id in the draft's document */
	'amendment',
	/** an item of the case's baseline (a decision point, a goal, an uppdrag …) */
	'baseline_item'
] as const;
export type CommentTargetKind = (typeof commentTargetKinds)[number];

export const commentVisibilities = [
	/** internt för partiet: only people of party_ids */
	'party',
	/** offentligt i nämnden: everyone in the body who may read the target */
	'body'
] as const;
export type CommentVisibility = (typeof commentVisibilities)[number];

/**
 * A range of a draft's text as two Yjs relative positions (Y.encodeRelativePosition, base64): they
 * name the characters themselves, not offsets, so the range stays on the same words whatever is
 * typed around it. `start` sticks to the first character of the range, `end` to the last.
 */
export interface CommentAnchor {
	start: string;
	end: string;
}

/**
 * Comments and their replies. They live here, not in the draft's Y.Doc, so that who reads them is
 * decided by the API (a party-internal comment never reaches a sync client of another party) and a
 * member who may not edit the text can still comment. A thread is its first comment (thread_id =
 * id) and the replies that name it; target, visibility and parties are the thread's and copied to
 * each reply, so every row can be checked alone.
 */
export const comments = pgTable(
	'comments',
	{
		id: text('id').primaryKey(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** the first comment of the thread; equal to id for that comment */
		threadId: text('thread_id').notNull(),
		/** the comment this one answers; null for the first comment of a thread */
		parentId: text('parent_id'),
		targetKind: text('target_kind', { enum: commentTargetKinds }).notNull(),
		/** set for draft and amendment targets */
		draftId: text('draft_id').references(() => drafts.id, { onDelete: 'cascade' }),
		/** the amendment's id inside the draft's document, for amendment targets */
		amendmentId: text('amendment_id'),
		baselineItemId: text('baseline_item_id').references(() => baselineItems.id, { onDelete: 'cascade' }),
		/** the commented range of a draft's text; null for a comment on the whole target */
		anchor: jsonb('anchor').$type<CommentAnchor>(),
		/** the commented text as it read when the thread was started, shown when the text is gone */
		quote: text('quote'),
		visibility: text('visibility', { enum: commentVisibilities }).notNull(),
		/** who may read a 'party' comment; empty for 'body' */
		partyIds: text('party_ids').array().notNull().default([]),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		/** the party the author spoke for, shown beside the name; null for the clerk */
		authorPartyId: text('author_party_id'),
		/** as typed, never interpreted as markup; emptied when the comment is deleted */
		text: text('text').notNull(),
		/** users named with @, all of the author's party */
		mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		editedAt: timestamp('edited_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		/** on the first comment of a thread: the discussion is settled */
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [
		index('comments_case_idx').on(t.caseId, t.targetKind),
		index('comments_draft_idx').on(t.draftId),
		index('comments_baseline_item_idx').on(t.baselineItemId),
		index('comments_thread_idx').on(t.threadId, t.createdAt)
	]
);

/** How far a user has read a thread: comments of others after seen_at are unread. */
export const commentReads = pgTable(
	'comment_reads',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		threadId: text('thread_id')
			.notNull()
			.references(() => comments.id, { onDelete: 'cascade' }),
		seenAt: timestamp('seen_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.threadId] })]
);

export const notificationKinds = [
	/** someone named the user with @ in a comment */
	'mention',
	/** someone answered a thread the user started or took part in */
	'reply'
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * In-app notifications. They point at a comment and carry no text of their own: the list reads
 * the comment through the same visibility check as every other view, so a notification cannot
 * outlive the user's right to read what it is about.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: notificationKinds }).notNull(),
		commentId: text('comment_id')
			.notNull()
			.references(() => comments.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		index('notifications_user_idx').on(t.userId, t.createdAt),
		uniqueIndex('notifications_once_uq').on(t.userId, t.commentId, t.kind)
	]
);
