import { describe, expect, it } from 'vitest';
import { buildDecisionMatrix, canSeePosition, visiblePositions } from '../../../server/domain/positions';
import { BODY, asPrincipal, clerk, member, members, observer, partyOrder, pos, secretary } from './positions-board';

const daniel = member('Daniel Strand'); // SD
const malin = member('Malin Öberg'); // SD
const anna = member('Anna Lindqvist'); // S
const tobias = member('Tobias Engström'); // SD ersättare

const planned = pos(daniel, { kind: 'reservation', target: { type: 'case' }, stage: 'planned' });
const published = { ...planned, id: 'pub', publishedAt: '2024-12-10T12:00:00Z' };
const recorded = { ...planned, id: 'rec', stage: 'recorded' as const };

describe("a party's planned positions", () => {
	it("are visible to the party's own secretaries, ledamöter and ersättare", () => {
		for (const viewer of [secretary('SD'), asPrincipal(daniel), asPrincipal(malin), asPrincipal(tobias)])
			expect(canSeePosition(viewer, BODY, planned, daniel)).toBe(true);
	});

	it('are hidden from every other party, the clerk, observers, other bodies and the logged out', () => {
		const elsewhere = { ...secretary('SD'), memberships: [{ ...secretary('SD').memberships[0], bodyId: 'other' }] };
		for (const viewer of [secretary('S'), asPrincipal(anna), clerk, observer, elsewhere, null])
			expect(canSeePosition(viewer, BODY, planned, daniel)).toBe(false);
	});

	it('become visible to the whole body when published or recorded at the meeting', () => {
		for (const p of [published, recorded]) {
			for (const viewer of [secretary('S'), asPrincipal(anna), clerk, observer])
				expect(canSeePosition(viewer, BODY, p, daniel)).toBe(true);
			expect(canSeePosition(null, BODY, p, daniel)).toBe(false);
		}
	});

	it('are judged by the member the position belongs to, never by one the caller names', () => {
		expect(canSeePosition(asPrincipal(anna), BODY, planned, anna)).toBe(false);
	});
});

describe('filtering before anything is shown', () => {
	const sPlan = pos(anna, { kind: 'bifall', target: { type: 'baseline' }, stage: 'planned' });
	const orphan = { ...recorded, id: 'orphan', memberId: 'not-a-member' };
	const all = [planned, published, recorded, sPlan, orphan];

	it("gives each party its own plans and everyone's public positions", () => {
		expect(visiblePositions(secretary('S'), BODY, all, members).map((p) => p.id)).toEqual(['pub', 'rec', sPlan.id]);
		expect(visiblePositions(secretary('SD'), BODY, all, members).map((p) => p.id)).toEqual([planned.id, 'pub', 'rec']);
		expect(visiblePositions(observer, BODY, all, members).map((p) => p.id)).toEqual(['pub', 'rec']);
	});

	it("keeps an unpublished plan out of another party's decision matrix", () => {
		const rows = [{ target: { type: 'baseline_point', itemId: 'slk-1' } as const, group: 'SLK', label: '1' }];
		const plan = pos(daniel, { kind: 'avslag', target: { type: 'baseline' }, stage: 'planned' });
		const forS = buildDecisionMatrix(
			rows,
			partyOrder,
			members,
			visiblePositions(secretary('S'), BODY, [plan], members)
		);
		expect(forS.rows[0].cells.SD.tone).toBe('none');
		const forSD = buildDecisionMatrix(
			rows,
			partyOrder,
			members,
			visiblePositions(secretary('SD'), BODY, [plan], members)
		);
		expect(forSD.rows[0].cells.SD).toMatchObject({ label: 'Avslag', tone: 'against' });
	});
});
