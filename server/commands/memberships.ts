import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { bodies, memberships, parties, users, type MembershipRole, type Seat } from '../../db/schema';
import { recordAudit } from '../audit';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { can, type Principal } from '../policies';
import type { SyncService } from '../sync';

/**
 * The clerk's management of who sits in the body and in which role. Every change is audited in its
 * own transaction, and the sync server re-decides at once what the user's open documents allow.
 */

/**
 * The roll of a body: who sits for which party as ledamot or ersättare (public in a Swedish
 * municipality), by seat order and name; only the given parties when `partyIds` is passed.
 */
export async function bodyRoll(db: Db | Tx, bodyId: string, partyIds?: readonly string[]) {
	return db
		.select({
			userId: users.id,
			name: users.name,
			partyId: memberships.partyId,
			seat: memberships.seat,
			seatOrder: memberships.seatOrder
		})
		.from(memberships)
		.innerJoin(users, eq(memberships.userId, users.id))
		.where(
			and(
				eq(memberships.bodyId, bodyId),
				eq(memberships.role, 'member'),
				isNotNull(memberships.seat),
				partyIds ? inArray(memberships.partyId, [...partyIds]) : undefined
			)
		)
		.orderBy(asc(memberships.seatOrder), asc(users.name));
}

export interface MembershipContext {
	db: Db;
	sync: Pick<SyncService, 'notifyAccessChanged'>;
	user: Principal;
	ip?: string | null;
}

export interface MembershipInput {
	role: MembershipRole;
	partyId?: string | null;
	seat?: Seat | null;
}

type MembershipRow = typeof memberships.$inferSelect;

async function requireClerk(db: Db, user: Principal, bodyId: string) {
	const [body] = await db.select().from(bodies).where(eq(bodies.id, bodyId)).limit(1);
	if (!body || !can(user, 'read', { type: 'body', bodyId })) throw notFound('Nämnden hittades inte.');
	if (!can(user, 'manage', { type: 'body', bodyId })) {
		throw forbidden('Bara nämndsekreteraren kan ändra roller och medlemskap.');
	}
	return body;
}

/** Party and seat as the role needs them: a party role has a party, a member a seat, the rest neither. */
async function normalize(db: Db | Tx, input: MembershipInput): Promise<{ partyId: string | null; seat: Seat | null }> {
	const partyRole = input.role === 'secretary' || input.role === 'member';
	if (!partyRole) {
		if (input.partyId) throw unprocessable('Nämndsekreterare och åhörare företräder inget parti.');
		return { partyId: null, seat: null };
	}
	if (!input.partyId) throw unprocessable('Ange vilket parti rollen gäller.');
	const [party] = await db.select({ id: parties.id }).from(parties).where(eq(parties.id, input.partyId)).limit(1);
	if (!party) throw unprocessable(`Partiet ${input.partyId} finns inte.`);
	if (input.role === 'member') return { partyId: input.partyId, seat: input.seat ?? 'ledamot' };
	if (input.seat) throw unprocessable('Bara ledamöter och ersättare har en plats i nämnden.');
	return { partyId: input.partyId, seat: null };
}

function describe(m: Pick<MembershipRow, 'role' | 'partyId' | 'seat'>) {
	return { role: m.role, partyId: m.partyId, seat: m.seat };
}

/** The people of the body with their roles, for the clerk. */
export async function listMembers(db: Db, user: Principal, bodyId: string) {
	const body = await requireClerk(db, user, bodyId);
	const rows = await db
		.select({
			userId: users.id,
			name: users.name,
			email: users.email,
			role: memberships.role,
			partyId: memberships.partyId,
			seat: memberships.seat
		})
		.from(memberships)
		.innerJoin(users, eq(memberships.userId, users.id))
		.where(eq(memberships.bodyId, bodyId))
		.orderBy(asc(users.name), asc(memberships.role));
	return { body: { id: body.id, name: body.name }, members: rows };
}

/** Gives an existing account a role in the body. */
export async function addMembership(
	ctx: MembershipContext,
	bodyId: string,
	input: MembershipInput & { email: string }
): Promise<void> {
	const { db, user } = ctx;
	await requireClerk(db, user, bodyId);
	const [account] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, input.email.trim().toLowerCase()))
		.limit(1);
	if (!account) throw notFound('Det finns inget konto med den e-postadressen.');
	const { partyId, seat } = await normalize(db, input);
	await db.transaction(async (tx) => {
		const inserted = await tx
			.insert(memberships)
			.values({ userId: account.id, bodyId, role: input.role, partyId, seat })
			.onConflictDoNothing()
			.returning();
		if (inserted.length === 0) throw conflict('Personen har redan den rollen i nämnden.', 'membership_exists');
		await recordAudit(tx, {
			actorId: user.id,
			action: 'membership.add',
			bodyId,
			partyId,
			subjectType: 'membership',
			subjectId: account.id,
			details: describe({ role: input.role, partyId, seat }),
			ip: ctx.ip
		});
	});
	await ctx.sync.notifyAccessChanged({ userId: account.id });
}

/**
 * Changes one membership: its role, party or seat. A change between parties is entered in both
 * parties' logs, since both secretaries answer for who acts in their name.
 */
export async function changeMembership(
	ctx: MembershipContext,
	bodyId: string,
	userId: string,
	role: MembershipRole,
	input: MembershipInput
): Promise<void> {
	const { db, user } = ctx;
	await requireClerk(db, user, bodyId);
	if (userId === user.id && role === 'clerk' && input.role !== 'clerk') {
		throw unprocessable('Du kan inte ta bort din egen roll som nämndsekreterare.');
	}
	const { partyId, seat } = await normalize(db, input);
	await db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(memberships)
			.where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.role, role)))
			.for('update');
		if (!before) throw notFound('Medlemskapet hittades inte.');
		const after = { role: input.role, partyId, seat };
		if (before.role === after.role && before.partyId === after.partyId && before.seat === after.seat) return;
		if (after.role !== before.role) {
			const [taken] = await tx
				.select({ role: memberships.role })
				.from(memberships)
				.where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.role, after.role)));
			if (taken) throw conflict('Personen har redan den rollen i nämnden.', 'membership_exists');
		}
		// The role is part of the key: a new role is a new row, in the same place in the roll.
		await tx
			.update(memberships)
			.set(after)
			.where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.role, role)));
		const affected = [...new Set([before.partyId, after.partyId])];
		for (const p of affected) {
			await recordAudit(tx, {
				actorId: user.id,
				action: 'membership.change',
				bodyId,
				partyId: p,
				subjectType: 'membership',
				subjectId: userId,
				details: { from: describe(before), to: after },
				ip: ctx.ip
			});
		}
	});
	await ctx.sync.notifyAccessChanged({ userId });
}

/** Takes a role away. */
export async function removeMembership(
	ctx: MembershipContext,
	bodyId: string,
	userId: string,
	role: MembershipRole
): Promise<void> {
	const { db, user } = ctx;
	await requireClerk(db, user, bodyId);
	if (userId === user.id && role === 'clerk') {
		throw unprocessable('Du kan inte ta bort din egen roll som nämndsekreterare.');
	}
	await db.transaction(async (tx) => {
		const [removed] = await tx
			.delete(memberships)
			.where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.role, role)))
			.returning();
		if (!removed) throw notFound('Medlemskapet hittades inte.');
		await recordAudit(tx, {
			actorId: user.id,
			action: 'membership.remove',
			bodyId,
			partyId: removed.partyId,
			subjectType: 'membership',
			subjectId: userId,
			details: describe(removed),
			ip: ctx.ip
		});
	});
	await ctx.sync.notifyAccessChanged({ userId });
}
