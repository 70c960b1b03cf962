import type { Db } from '../../db/client';
import { bodies, cases, memberships, parties, users, type MembershipRole, type Seat } from '../../db/schema';
import { hashPassword } from '../../server/auth/password';
import { newId } from '../../server/ids';

/** Cheap scrypt for tests: the cost parameters are stored in the hash, so verification still works. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_PASSWORD = 'rätt-lösenord-1';

let hash: Promise<string> | undefined;
function testHash() {
	hash ??= hashPassword(TEST_PASSWORD, TEST_SCRYPT);
	return hash;
}

export async function buildParty(db: Db, id: string, name = `Partiet ${id}`, color = '#777777') {
	const [row] = await db.insert(parties).values({ id, name, color }).onConflictDoNothing().returning();
	return row ?? { id, name, color, sortOrder: 0 };
}

export async function buildBody(db: Db, over: Partial<typeof bodies.$inferInsert> = {}) {
	const [row] = await db
		.insert(bodies)
		.values({ id: newId(), name: 'Kommunstyrelsen', organization: 'Testkommun', ...over })
		.returning();
	return row;
}

export async function buildCase(db: Db, bodyId: string, over: Partial<typeof cases.$inferInsert> = {}) {
	const [row] = await db
		.insert(cases)
		.values({ id: newId(), bodyId, title: 'Budget 2025 för kommunstyrelsen', caseNumber: 'SLK-2024-00738', ...over })
		.returning();
	return row;
}

export interface BuildUserOptions {
	bodyId: string;
	role: MembershipRole;
	party?: string;
	seat?: Seat;
	name?: string;
	email?: string;
}

/** A user with one membership; the party row is created when missing. */
export async function buildUser(db: Db, opts: BuildUserOptions) {
	if (opts.party) await buildParty(db, opts.party);
	const id = newId();
	const email = opts.email ?? `${opts.role}.${opts.party ?? 'x'}.${id.slice(0, 6)}@test.se`.toLowerCase();
	const [user] = await db
		.insert(users)
		.values({
			id,
			email,
			name: opts.name ?? `Test ${opts.role} ${opts.party ?? ''}`.trim(),
			passwordHash: await testHash()
		})
		.returning();
	await db.insert(memberships).values({
		userId: id,
		bodyId: opts.bodyId,
		role: opts.role,
		partyId: opts.party ?? null,
		seat: opts.seat ?? (opts.role === 'member' ? 'ledamot' : null)
	});
	return { ...user, password: TEST_PASSWORD };
}
