import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only record of security-relevant and procedural events. Rows are never updated or deleted
 * by the app; the clerk reads all of a body's, a party secretary the party's.
 */
export const auditEvents = pgTable(
	'audit_events',
	{
		seq: bigserial('seq', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** who did it (null for the system or an anonymous failed login) */
		actorId: text('actor_id'),
		/** when a secretary acts for a member: the member */
		onBehalfOfId: text('on_behalf_of_id'),
		/** e.g. "auth.login", "draft.submit", "position.record", "export.docx" */
		action: text('action').notNull(),
		bodyId: text('body_id'),
		/** the party whose material it concerns; drives who may read the entry */
		partyId: text('party_id'),
		subjectType: text('subject_type'),
		subjectId: text('subject_id'),
		details: jsonb('details').$type<Record<string, unknown>>(),
		ip: text('ip')
	},
	(t) => [index('audit_body_idx').on(t.bodyId, t.seq), index('audit_subject_idx').on(t.subjectType, t.subjectId)]
);
