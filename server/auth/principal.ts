import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { memberships } from '../../db/schema';
import type { Principal } from '../policies';
import type { SessionUser } from './session';

/** The user with every membership, as `can()` needs it. */
export async function loadPrincipal(db: Db, user: SessionUser): Promise<Principal> {
	const rows = await db
		.select({
			bodyId: memberships.bodyId,
			role: memberships.role,
			partyId: memberships.partyId,
			seat: memberships.seat
		})
		.from(memberships)
		.where(eq(memberships.userId, user.id));
	return { id: user.id, name: user.name, email: user.email, memberships: rows };
}
