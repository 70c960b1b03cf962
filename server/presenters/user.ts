import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bodies, parties } from '../../db/schema';
import type { Principal } from '../policies';

export const roleLabels = {
	clerk: 'Nämndsekreterare',
	secretary: 'Partisekreterare',
	member: 'Ledamot',
	observer: 'Observatör'
} as const;

/** The logged-in user as the UI sees them: name, roles per body with party names. */
export async function presentPrincipal(db: Db, user: Principal) {
	const bodyIds = [...new Set(user.memberships.map((m) => m.bodyId))];
	const partyIds = [...new Set(user.memberships.map((m) => m.partyId).filter((p): p is string => !!p))];
	const bodyRows = bodyIds.length ? await db.select().from(bodies).where(inArray(bodies.id, bodyIds)) : [];
	const partyRows = partyIds.length ? await db.select().from(parties).where(inArray(parties.id, partyIds)) : [];
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		memberships: user.memberships.map((m) => {
			const party = partyRows.find((p) => p.id === m.partyId);
			return {
				bodyId: m.bodyId,
				bodyName: bodyRows.find((b) => b.id === m.bodyId)?.name ?? '',
				role: m.role,
				roleLabel: m.role === 'member' && m.seat === 'ersattare' ? 'Ersättare' : roleLabels[m.role],
				seat: m.seat,
				party: party ? { id: party.id, name: party.name, color: party.color } : null
			};
		})
	};
}
