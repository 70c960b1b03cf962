import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { users } from './identity';

/** A political party in a municipality. The id is its usual abbreviation ("S", "SD", "D"). */
export const parties = pgTable('parties', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	color: text('color').notNull(),
	sortOrder: integer('sort_order').notNull().default(0)
});

/** A deciding body, e.g. Kommunstyrelsen in Göteborgs Stad. */
export const bodies = pgTable('bodies', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	organization: text('organization').notNull()
});

export const membershipRoles = [
	/** nämndsekreterare: manages cases, the baseline and the meeting record */
	'clerk',
	/** partisekreterare / politisk sekreterare: writes the party's drafts */
	'secretary',
	/** ledamot or ersättare: reads the party's drafts, comments, records own positions */
	'member',
	/** reads what is public in the body */
	'observer'
] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const seats = [
	/** ordinary member with a vote */
	'ledamot',
	/** substitute; votes only when serving (tjänstgörande) */
	'ersattare'
] as const;
export type Seat = (typeof seats)[number];

/** A user's role in a body, and for party roles the party. */
export const memberships = pgTable(
	'memberships',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		bodyId: text('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		role: text('role', { enum: membershipRoles }).notNull(),
		partyId: text('party_id').references(() => parties.id),
		seat: text('seat', { enum: seats }),
		/** Order of seats within the body, for lists and the roll call. */
		seatOrder: integer('seat_order')
	},
	(t) => [primaryKey({ columns: [t.userId, t.bodyId, t.role] }), index('memberships_body_idx').on(t.bodyId)]
);
