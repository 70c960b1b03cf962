import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { positionKinds, positionStages, type PositionTargetType } from '../../server/domain/positions/kinds';
import type { Question, RoundKind, Vote } from '../../server/domain/positions/meeting';
import { baselineItems } from './baseline';
import { cases } from './cases';
import { drafts } from './drafts';
import { users } from './identity';

/**
 * Positions and the clerk's record of the meeting, per case. The rules deciding what may be stored
 * are pure functions in server/domain/positions; these tables hold what they allowed. The history
 * of every change is the audit log (who, when, on whose behalf), so rows here show only what holds now.
 */

export const positionTargetTypes = [
	/** the ärende as a whole */
	'case',
	/** the administration's förslag till beslut as a whole */
	'baseline',
	/** one decision point of the baseline (target_item_id) */
	'baseline_point',
	/** a submitted yrkande as a whole (target_draft_id) */
	'yrkande',
	/** one point of a yrkande (target_draft_id, target_point_id: the point's id inside the draft) */
	'yrkande_point'
] as const satisfies readonly PositionTargetType[];

/** The part of a position that depends on its kind, as in PositionDetail without the kind. */
export interface PositionDetails {
	/** ändring: the amendment in an ändringsyrkande */
	amendment?: { draftId: string; amendmentId: string };
	/** återremiss: why, and to whom */
	reason?: string;
	referTo?: string;
	/** reservation: the written motivation, which may follow until justering */
	motivation?: string | null;
	/** protokollsanteckning: its text */
	text?: string;
	/** yttrande, särskilt yttrande: the statement's draft */
	draftId?: string;
}

/** One member's position on one target. A secretary or the clerk may have recorded it on the member's behalf. */
export const positions = pgTable(
	'positions',
	{
		id: text('id').primaryKey(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** the ledamot or ersättare whose position it is */
		memberId: text('member_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** the member's party when it was recorded: who sees it while planned, and whose audit it is */
		partyId: text('party_id').notNull(),
		kind: text('kind', { enum: positionKinds }).notNull(),
		targetType: text('target_type', { enum: positionTargetTypes }).notNull(),
		/** the target as one string (targetKey in the domain): one row per member, stage, kind and target */
		targetKey: text('target_key').notNull(),
		targetItemId: text('target_item_id').references(() => baselineItems.id, { onDelete: 'cascade' }),
		targetDraftId: text('target_draft_id').references(() => drafts.id, { onDelete: 'cascade' }),
		targetPointId: text('target_point_id'),
		details: jsonb('details').$type<PositionDetails>().notNull().default({}),
		/** planned before the meeting (internal to the party until published) or recorded at it */
		stage: text('stage', { enum: positionStages }).notNull(),
		/** when the party made a planned position visible to the whole body */
		publishedAt: timestamp('published_at', { withTimezone: true }),
		publishedBy: text('published_by').references(() => users.id, { onDelete: 'set null' }),
		/** who entered it: the member, a secretary of the member's party, or the clerk */
		recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		/** the member, when someone else entered it; null when members entered their own */
		onBehalfOf: text('on_behalf_of').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('positions_case_idx').on(t.caseId),
		uniqueIndex('positions_member_target_uq').on(t.caseId, t.memberId, t.stage, t.kind, t.targetKey)
	]
);

/**
 * The record of the meeting for one case: when the chair opened and closed the item, the justering
 * date, and the propositionsordning (the questions in the order the chair puts them; the chair's
 * finding without votering is kept on each question). One row per case, created when first needed;
 * changes to positions lock this row, so two changes to one case never pass the rules side by side.
 */
export const meetingRecords = pgTable('meeting_records', {
	caseId: text('case_id')
		.primaryKey()
		.references(() => cases.id, { onDelete: 'cascade' }),
	openedAt: timestamp('opened_at', { withTimezone: true }),
	openedBy: text('opened_by').references(() => users.id, { onDelete: 'set null' }),
	closedAt: timestamp('closed_at', { withTimezone: true }),
	closedBy: text('closed_by').references(() => users.id, { onDelete: 'set null' }),
	/** the day the protocol is signed: the deadline for written reservations */
	justeringDate: date('justering_date'),
	questions: jsonb('questions').$type<Question[]>().notNull().default([]),
	/** when the clerk fixed the propositionsordning; motions and participation are frozen from then */
	lockedAt: timestamp('locked_at', { withTimezone: true }),
	lockedBy: text('locked_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const attendanceKinds = [
	/** tjänstgör: a ledamot present, or an ersättare serving in an absent ledamot's place; votes */
	'serving',
	/** närvarande: an ersättare at the table who does not serve; speaks, does not vote */
	'present',
	/** frånvarande: not at the meeting for this item */
	'absent'
] as const;
export type AttendanceKind = (typeof attendanceKinds)[number];

/** Who sits at the table for the item; a member without a row has not been called yet. */
export const meetingAttendance = pgTable(
	'meeting_attendance',
	{
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		memberId: text('member_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		attendance: text('attendance', { enum: attendanceKinds }).notNull(),
		/** for a serving ersättare: the absent ledamot whose place it takes */
		replacesMemberId: text('replaces_member_id').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.caseId, t.memberId] })]
);

/** A votering on one question of the propositionsordning: its rounds and votes are the rows below. */
export const voteringar = pgTable(
	'voteringar',
	{
		id: text('id').primaryKey(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** the question's id inside meeting_records.questions */
		questionId: text('question_id').notNull(),
		recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('voteringar_question_uq').on(t.caseId, t.questionId)]
);

export const roundKindValues = ['kontraproposition', 'huvudvotering'] as const satisfies readonly RoundKind[];

/** One round of a votering: the counter-proposition rounds first, the huvudvotering last. */
export const voteringRounds = pgTable(
	'votering_rounds',
	{
		voteringId: text('votering_id')
			.notNull()
			.references(() => voteringar.id, { onDelete: 'cascade' }),
		/** 0-based order of the round */
		round: integer('round').notNull(),
		kind: text('kind', { enum: roundKindValues }).notNull(),
		/** index into the question's alternatives of the proposal voted as "ja" */
		ja: integer('ja').notNull(),
		/** index of the proposal voted as "nej" */
		nej: integer('nej').notNull(),
		/** the chair's utslagsröst on a tie */
		castingVote: text('casting_vote', { enum: ['ja', 'nej'] })
	},
	(t) => [primaryKey({ columns: [t.voteringId, t.round] })]
);

export const voteValues = ['ja', 'nej', 'avstar'] as const satisfies readonly Vote[];

/** Each member's vote in a round; a serving member without a row did not vote. */
export const voteringVotes = pgTable(
	'votering_votes',
	{
		voteringId: text('votering_id')
			.notNull()
			.references(() => voteringar.id, { onDelete: 'cascade' }),
		round: integer('round').notNull(),
		memberId: text('member_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		vote: text('vote', { enum: voteValues }).notNull()
	},
	(t) => [primaryKey({ columns: [t.voteringId, t.round, t.memberId] })]
);
