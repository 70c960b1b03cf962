import { index, pgTable, text, timestamp, date } from 'drizzle-orm/pg-core';
import { bodies } from './organization';

export const caseStatuses = [
	/** being prepared: baseline imported, parties drafting */
	'preparing',
	/** on the agenda of a meeting */
	'scheduled',
	/** decided at the meeting; the record is kept */
	'decided'
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** An ärende before a body. */
export const cases = pgTable(
	'cases',
	{
		id: text('id').primaryKey(),
		bodyId: text('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		/** ärendenummer, free text, e.g. "SLK-2024-00738" */
		caseNumber: text('case_number').notNull(),
		meetingDate: date('meeting_date'),
		/** position on the meeting agenda, free text, e.g. "4." */
		agendaNumber: text('agenda_number'),
		status: text('status', { enum: caseStatuses }).notNull().default('preparing'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('cases_body_idx').on(t.bodyId)]
);
