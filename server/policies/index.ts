import type { MembershipRole, Seat } from '../../db/schema';

/**
 * The one place that decides access. HTTP routes, the sync server and exports all ask `can()`;
 * nothing else compares roles or parties. Every rule answers false unless it finds a reason to allow:
 * a party's draft reaching another party is the worst failure this product can have.
 */

export interface PrincipalMembership {
	bodyId: string;
	role: MembershipRole;
	partyId: string | null;
	seat: Seat | null;
}

export interface Principal {
	id: string;
	name: string;
	email: string;
	memberships: PrincipalMembership[];
}

export const draftStatuses = [
	/** utkast: internal to the draft's parties */
	'draft',
	/** delat: shared with the co-signing parties for joint work and approval */
	'shared',
	/** inlämnat: frozen, readable by everyone in the body */
	'submitted',
	/** återtaget: withdrawn; kept in history for its own parties, gone from summaries and exports */
	'withdrawn'
] as const;
export type DraftStatus = (typeof draftStatuses)[number];

export type Thing =
	| { type: 'body'; bodyId: string }
	| { type: 'case'; bodyId: string }
	/** A party's workspace in a case: its drafts, planned positions, internal comments. */
	| { type: 'workspace'; bodyId: string; partyId: string }
	/** A draft. partyIds: the owner first, then the co-signing parties. */
	| { type: 'draft'; bodyId: string; partyIds: readonly string[]; status: DraftStatus }
	/**
	 * A comment, apart from its target (the caller also asks about the draft or case it is on).
	 * 'party': internal to partyIds; 'body': public in the body.
	 */
	| {
			type: 'comment';
			bodyId: string;
			visibility: 'party' | 'body';
			partyIds: readonly string[];
			authorId: string | null;
	  };

export type Action =
	| 'read'
	/** cases and baselines: create, import, publish, lock the propositionsordning */
	| 'manage'
	/** drafts: change the text; workspaces: create drafts; comments: change or delete one's own */
	| 'edit'
	/** drafts: comment; case: comment on baseline items; comments: reply, resolve, reopen */
	| 'comment'
	/** drafts: submit, withdraw, invite co-signers */
	| 'submit';

function membershipsIn(user: Principal, bodyId: string): PrincipalMembership[] {
	return user.memberships.filter((m) => m.bodyId === bodyId);
}

function hasRole(user: Principal, bodyId: string, role: MembershipRole, partyId?: string): boolean {
	return membershipsIn(user, bodyId).some((m) => m.role === role && (partyId === undefined || m.partyId === partyId));
}

/** Parties the user acts for in a body (as secretary or member). */
export function partiesOf(user: Principal, bodyId: string): string[] {
	return [
		...new Set(
			membershipsIn(user, bodyId)
				.filter((m) => (m.role === 'secretary' || m.role === 'member') && m.partyId)
				.map((m) => m.partyId as string)
		)
	];
}

export function can(user: Principal | null | undefined, action: Action, thing: Thing): boolean {
	if (!user) return false;
	const inBody = membershipsIn(user, thing.bodyId);
	if (inBody.length === 0) return false;

	switch (thing.type) {
		case 'body':
		case 'case':
			if (action === 'read') return true;
			if (action === 'comment') return inBody.some((m) => m.role !== 'observer');
			if (action === 'manage') return hasRole(user, thing.bodyId, 'clerk');
			return false;

		case 'workspace': {
			const own = partiesOf(user, thing.bodyId).includes(thing.partyId);
			if (action === 'read' || action === 'comment') return own;
			if (action === 'edit' || action === 'submit') return hasRole(user, thing.bodyId, 'secretary', thing.partyId);
			return false;
		}

		case 'comment': {
			const readable =
				thing.visibility === 'body' || partiesOf(user, thing.bodyId).some((p) => thing.partyIds.includes(p));
			if (action === 'read') return readable;
			if (action === 'comment') return readable && inBody.some((m) => m.role !== 'observer');
			if (action === 'edit') return readable && thing.authorId === user.id;
			return false;
		}

		case 'draft': {
			const own = partiesOf(user, thing.bodyId).some((p) => thing.partyIds.includes(p));
			const secretary = thing.partyIds.some((p) => hasRole(user, thing.bodyId, 'secretary', p));
			switch (action) {
				case 'read':
					// A submitted draft is a public document of the body; anything else stays with its parties.
					return own || thing.status === 'submitted';
				case 'comment':
					return own || (thing.status === 'submitted' && inBody.some((m) => m.role !== 'observer'));
				case 'edit':
					return secretary && (thing.status === 'draft' || thing.status === 'shared');
				case 'submit':
					return secretary && thing.status !== 'withdrawn';
				case 'manage':
					return false;
			}
		}
	}
	return false;
}
