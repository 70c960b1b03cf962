import {
	isStanceKind,
	positionKindLabels,
	positionKindPhrase,
	positionKinds,
	targetCovers,
	targetSpecificity,
	type Member,
	type Position,
	type PositionKind,
	type PositionTarget
} from './kinds';
import { orderParties } from './text';

/**
 * A party's position is derived from its members', never entered on its own: reservations and votes
 * are personal, and a party whose members disagree must show as split rather than as its majority.
 */

const byKindOrder = (a: PositionKind, b: PositionKind) => positionKinds.indexOf(a) - positionKinds.indexOf(b);

/**
 * The kinds that hold for one member on one target. Positions on a whole proposal reach its points;
 * of the stances (bifall, avslag, ändring, tillägg) only those on the most specific target count, so
 * "bifall till yrkandet, avslag på punkt 4" reads as avslag on point 4. Jäv excludes everything else;
 * taking no part excludes every motion but leaves the member's statements.
 */
export function memberKindsOn(
	memberId: string,
	target: PositionTarget,
	positions: readonly Position[]
): PositionKind[] {
	const applicable = positions.filter((p) => p.memberId === memberId && targetCovers(p.target, target));
	if (applicable.some((p) => p.kind === 'jav')) return ['jav'];
	const stances = applicable.filter((p) => isStanceKind(p.kind));
	const mostSpecific = Math.max(-1, ...stances.map((p) => targetSpecificity(p.target)));
	const out = applicable.filter((p) => !isStanceKind(p.kind) || targetSpecificity(p.target) === mostSpecific);
	const kinds = [...new Set(out.map((p) => p.kind))];
	const filtered = kinds.includes('deltar_inte')
		? kinds.filter(
				(k) => k === 'deltar_inte' || k === 'protokollsanteckning' || k === 'yttrande' || k === 'sarskilt_yttrande'
			)
		: kinds;
	return filtered.sort(byKindOrder);
}

/** "Deltar inte i beslutet, yttrande": the kinds as one label. */
export function kindsLabel(kinds: readonly PositionKind[]): string {
	if (kinds.length === 0) return 'Inget ställningstagande';
	const [first, ...rest] = kinds;
	return [positionKindLabels[first], ...rest.map(positionKindPhrase)].join(', ');
}

export interface StanceGroup {
	kinds: PositionKind[];
	memberIds: string[];
}

export interface PartyStance {
	partyId: string;
	/** the kinds all members with a position share; empty when split or when nobody took a position */
	kinds: PositionKind[];
	/** "Bifall", "Deltar inte i beslutet, yttrande", "Delad – bifall (2); avslag (1)" */
	label: string;
	split: boolean;
	/** members by what they hold, the largest group first */
	groups: StanceGroup[];
	/** members counted for the party who hold no position on the target */
	unrecorded: string[];
}

/**
 * Derives one party's stance on a target from its members' positions.
 *
 * @param members every ledamot and ersättare of the body: tells whose party a position is
 * @param counted ids of the members a party is answerable for even without a position: at the meeting
 *   those serving; by default its ledamöter. Anyone else of the party who holds a position (a
 *   non-serving ersättare's yttrande) counts as well.
 */
export function derivePartyStance(
	partyId: string,
	members: readonly Member[],
	target: PositionTarget,
	positions: readonly Position[],
	counted: readonly string[] = members.filter((m) => m.seat === 'ledamot').map((m) => m.id)
): PartyStance {
	const ofParty = new Set(members.filter((m) => m.partyId === partyId).map((m) => m.id));
	const ids = new Set(counted.filter((id) => ofParty.has(id)));
	for (const p of positions) if (ofParty.has(p.memberId)) ids.add(p.memberId);

	const bySignature = new Map<string, StanceGroup>();
	const unrecorded: string[] = [];
	for (const id of ids) {
		const kinds = memberKindsOn(id, target, positions);
		if (kinds.length === 0) {
			unrecorded.push(id);
			continue;
		}
		const key = kinds.join('+');
		const group = bySignature.get(key) ?? { kinds, memberIds: [] };
		group.memberIds.push(id);
		bySignature.set(key, group);
	}
	const groups = [...bySignature.values()].sort(
		(a, b) => b.memberIds.length - a.memberIds.length || byKindOrder(a.kinds[0], b.kinds[0])
	);
	const split = groups.length > 1;
	const kinds = split || groups.length === 0 ? [] : groups[0].kinds;
	const label = split
		? `Delad – ${groups.map((g) => `${kindsLabel(g.kinds).replace(/^./, (c) => c.toLowerCase())} (${g.memberIds.length})`).join('; ')}`
		: kindsLabel(kinds);
	return { partyId, kinds, label, split, groups, unrecorded };
}

/**
 * One line per shared position, parties in order: "S, V, MP: bifall", "M, L, KD: deltar inte i beslutet",
 * "C: delad – bifall (1); avslag (1)". Parties with no position are left out.
 */
export function partyPositionLines(
	stances: readonly PartyStance[],
	bodyOrder: readonly string[],
	jointGroups: readonly (readonly string[])[] = []
): string[] {
	const byLabel = new Map<string, string[]>();
	for (const s of stances) {
		if (s.groups.length === 0) continue;
		const parties = byLabel.get(s.label) ?? [];
		parties.push(s.partyId);
		byLabel.set(s.label, parties);
	}
	const lines = [...byLabel.entries()].map(([label, parties]) => {
		const ordered = orderParties(parties, bodyOrder, jointGroups);
		return {
			first: Math.min(...ordered.map((p) => rank(bodyOrder, p))),
			line: `${ordered.join(', ')}: ${label.charAt(0).toLowerCase()}${label.slice(1)}`
		};
	});
	return lines.sort((a, b) => a.first - b.first).map((l) => l.line);
}

function rank(order: readonly string[], p: string): number {
	const i = order.indexOf(p);
	return i === -1 ? order.length : i;
}
