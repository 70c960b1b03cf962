import { can, type Principal } from '../../policies';
import type { Member, Position } from './kinds';

/**
 * A party's planned positions are its internal working material, like its drafts: only its own
 * secretaries and members see them. They reach the rest of the body when announced at the meeting
 * (recorded) or when the party publishes them. Access itself is still decided by `can()`.
 */
export function canSeePosition(
	viewer: Principal | null | undefined,
	bodyId: string,
	position: Position,
	member: Member
): boolean {
	if (position.memberId !== member.id) return false;
	if (can(viewer, 'read', { type: 'workspace', bodyId, partyId: member.partyId })) return true;
	const isPublic = position.stage === 'recorded' || Boolean(position.publishedAt);
	return isPublic && can(viewer, 'read', { type: 'case', bodyId });
}

/** The positions a viewer may see; a position whose member is unknown is never shown. */
export function visiblePositions(
	viewer: Principal | null | undefined,
	bodyId: string,
	positions: readonly Position[],
	members: readonly Member[]
): Position[] {
	const byId = new Map(members.map((m) => [m.id, m]));
	return positions.filter((p) => {
		const member = byId.get(p.memberId);
		return member !== undefined && canSeePosition(viewer, bodyId, p, member);
	});
}
