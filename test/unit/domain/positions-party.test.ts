import { describe, expect, it } from 'vitest';
import {
	buildDecisionMatrix,
	derivePartyStance,
	filterDecisionMatrix,
	joinSv,
	kindsLabel,
	matrixRows,
	memberKindsOn,
	orderParties,
	partyPositionLines,
	targetCovers,
	type PointTarget,
	type Position
} from '../../../server/domain/positions';
import { drafts, ledamoter, member, members, partyOrder, pos } from './positions-board';

const daniel = member('Daniel Strand');
const malin = member('Malin Öberg');
const anna = member('Anna Lindqvist');
const mikael = member('Mikael Ekström');
const per = member('Per Åkesson');
const louise = member('Louise Hedlund');
const jonas = member('Jonas Fält');

const slk = (itemId: string): PointTarget => ({ type: 'baseline_point', itemId });
const sd = (pointId: string): PointTarget => ({ type: 'yrkande_point', draftId: 'sd-yrkande', pointId });

describe('Swedish lists', () => {
	it('joins with "och" and no serial comma', () => {
		expect(joinSv([])).toBe('');
		expect(joinSv(['M'])).toBe('M');
		expect(joinSv(['M', 'D'])).toBe('M och D');
		expect(joinSv(['M', 'D', 'L', 'KD'])).toBe('M, D, L och KD');
		expect(joinSv(['a', 'b', 'c'], 'eller')).toBe('a, b eller c');
	});

	it("orders parties by the body, but keeps a joint document's own order", () => {
		expect(orderParties(['KD', 'L', 'D', 'M'], partyOrder)).toEqual(['M', 'L', 'KD', 'D']);
		expect(orderParties(['KD', 'L', 'D', 'M'], partyOrder, [['M', 'D', 'L', 'KD']])).toEqual(['M', 'D', 'L', 'KD']);
		// a joint group only counts when every one of its parties is being listed
		expect(orderParties(['D', 'M', 'L'], partyOrder, [['M', 'D', 'L', 'KD']])).toEqual(['M', 'L', 'D']);
		expect(orderParties(['SD', 'KD', 'D', 'L', 'M', 'S'], partyOrder, [['M', 'D', 'L', 'KD']])).toEqual([
			'S',
			'M',
			'D',
			'L',
			'KD',
			'SD'
		]);
		expect(orderParties(['X', 'S'], partyOrder)).toEqual(['S', 'X']);
	});
});

describe('targets reach their parts', () => {
	it('the case reaches everything; a proposal reaches its own points only', () => {
		expect(targetCovers({ type: 'case' }, sd('sd-1'))).toBe(true);
		expect(targetCovers({ type: 'baseline' }, slk('slk-1'))).toBe(true);
		expect(targetCovers({ type: 'baseline' }, sd('sd-1'))).toBe(false);
		expect(targetCovers({ type: 'yrkande', draftId: 'sd-yrkande' }, sd('sd-1'))).toBe(true);
		expect(targetCovers({ type: 'yrkande', draftId: 'v-tillagg' }, sd('sd-1'))).toBe(false);
		expect(targetCovers(slk('slk-1'), slk('slk-2'))).toBe(false);
		expect(targetCovers(slk('slk-1'), { type: 'baseline' })).toBe(false);
	});
});

describe("a member's positions on one point", () => {
	it('lets a position on a point outweigh one on the whole yrkande ("bifall, men avslag på punkt 4")', () => {
		const ps = [
			pos(daniel, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } }),
			pos(daniel, { kind: 'avslag', target: sd('sd-4') })
		];
		expect(memberKindsOn(daniel.id, sd('sd-1'), ps)).toEqual(['bifall']);
		expect(memberKindsOn(daniel.id, sd('sd-4'), ps)).toEqual(['avslag']);
		expect(memberKindsOn(daniel.id, slk('slk-1'), ps)).toEqual([]);
	});

	it('keeps statements and procedural motions beside a stance', () => {
		const ps = [
			pos(anna, { kind: 'bifall', target: { type: 'baseline' } }),
			pos(anna, { kind: 'protokollsanteckning', target: slk('slk-2'), text: 'x' }),
			pos(anna, { kind: 'aterremiss', target: { type: 'case' }, reason: 'r', referTo: 't' })
		];
		expect(memberKindsOn(anna.id, slk('slk-2'), ps)).toEqual(['bifall', 'aterremiss', 'protokollsanteckning']);
		expect(memberKindsOn(anna.id, slk('slk-1'), ps)).toEqual(['bifall', 'aterremiss']);
	});

	it('shows jäv alone, and taking no part with the statements only', () => {
		const jav = [
			pos(per, { kind: 'jav', target: { type: 'case' } }),
			pos(per, { kind: 'bifall', target: { type: 'baseline' } })
		];
		expect(memberKindsOn(per.id, slk('slk-1'), jav)).toEqual(['jav']);
		const out = [
			pos(per, { kind: 'deltar_inte', target: { type: 'case' } }),
			pos(per, { kind: 'avslag', target: { type: 'baseline' } }),
			pos(per, { kind: 'yttrande', target: { type: 'case' }, draftId: 'mdlkd-yttrande' })
		];
		expect(memberKindsOn(per.id, slk('slk-1'), out)).toEqual(['deltar_inte', 'yttrande']);
	});

	it("never mixes in another member's positions", () => {
		const ps = [pos(anna, { kind: 'bifall', target: { type: 'baseline' } })];
		expect(memberKindsOn(mikael.id, slk('slk-1'), ps)).toEqual([]);
	});

	it('reads as one label', () => {
		expect(kindsLabel([])).toBe('Inget ställningstagande');
		expect(kindsLabel(['deltar_inte', 'yttrande'])).toBe('Deltar inte i beslutet, yttrande');
		expect(kindsLabel(['jav'])).toBe('Jäv');
	});
});

describe("a party's derived stance", () => {
	const sLedamoter = ledamoter.filter((m) => m.partyId === 'S');

	it('is the shared stance when the members agree', () => {
		const ps = sLedamoter.map((m) => pos(m, { kind: 'bifall', target: { type: 'baseline' } }));
		const s = derivePartyStance('S', members, slk('slk-1'), ps);
		expect(s).toMatchObject({ kinds: ['bifall'], label: 'Bifall', split: false, unrecorded: [] });
		expect(s.groups).toEqual([{ kinds: ['bifall'], memberIds: sLedamoter.map((m) => m.id) }]);
	});

	it('shows a split party as split, the larger group first', () => {
		const ps = [
			...sLedamoter.slice(0, 3).map((m) => pos(m, { kind: 'bifall', target: { type: 'baseline' } })),
			pos(sLedamoter[3], { kind: 'avslag', target: slk('slk-3') })
		];
		expect(derivePartyStance('S', members, slk('slk-3'), ps)).toMatchObject({
			kinds: [],
			split: true,
			label: 'Delad – bifall (3); avslag (1)'
		});
		expect(derivePartyStance('S', members, slk('slk-1'), ps)).toMatchObject({
			kinds: ['bifall'],
			split: false,
			unrecorded: [sLedamoter[3].id]
		});
	});

	it('lists members without a position apart, and shows nothing when nobody has one', () => {
		const ps = [pos(per, { kind: 'deltar_inte', target: { type: 'case' } })];
		expect(derivePartyStance('M', members, slk('slk-1'), ps)).toMatchObject({
			kinds: ['deltar_inte'],
			split: false,
			unrecorded: [louise.id]
		});
		expect(derivePartyStance('V', members, slk('slk-1'), ps)).toMatchObject({
			kinds: [],
			label: 'Inget ställningstagande',
			split: false,
			groups: []
		});
	});

	it("counts a non-serving ersättare who holds a position, as C's only member does", () => {
		const ps = [pos(jonas, { kind: 'yttrande', target: { type: 'case' }, draftId: 'c-yttrande' })];
		expect(derivePartyStance('C', members, slk('slk-1'), ps)).toMatchObject({ kinds: ['yttrande'], label: 'Yttrande' });
		// at the meeting the party answers for its serving members only; before it, for its ledamöter
		const serving = ledamoter.filter((m) => m.partyId !== 'M').map((m) => m.id);
		expect(derivePartyStance('M', members, slk('slk-1'), [], serving).unrecorded).toEqual([]);
		expect(derivePartyStance('M', members, slk('slk-1'), []).unrecorded).toEqual([per.id, louise.id]);
		// ...and members outside the body's list never count
		const stranger = { ...ps[0], memberId: 'someone-else' } as Position;
		expect(derivePartyStance('C', members, slk('slk-1'), [stranger]).groups).toEqual([]);
	});

	it('reads as lines like "M, L, KD: deltar inte i beslutet"', () => {
		const ps = [
			...['Per Åkesson', 'Louise Hedlund', 'Fredrik Nyström', 'Birgitta Ålund'].map((n) =>
				pos(member(n), { kind: 'deltar_inte', target: { type: 'case' } })
			),
			...ledamoter
				.filter((m) => ['S', 'V', 'MP'].includes(m.partyId))
				.map((m) => pos(m, { kind: 'bifall', target: { type: 'baseline' } })),
			pos(daniel, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } }),
			pos(malin, { kind: 'avslag', target: { type: 'baseline' } })
		];
		const stances = partyOrder.map((p) => derivePartyStance(p, members, slk('slk-1'), ps));
		expect(partyPositionLines(stances, partyOrder)).toEqual([
			'S, V, MP: bifall',
			'M, L, KD: deltar inte i beslutet',
			'SD: avslag'
		]);
		const onSd1 = partyOrder.map((p) => derivePartyStance(p, members, sd('sd-1'), ps));
		expect(partyPositionLines(onSd1, partyOrder)).toEqual(['M, L, KD: deltar inte i beslutet', 'SD: bifall']);
		const split = [...ps, pos(member('Sara Holmberg'), { kind: 'avslag', target: slk('slk-1') })];
		expect(
			partyPositionLines(
				partyOrder.map((p) => derivePartyStance(p, members, slk('slk-1'), split)),
				partyOrder
			)
		).toEqual(['S: delad – bifall (3); avslag (1)', 'V, MP: bifall', 'M, L, KD: deltar inte i beslutet', 'SD: avslag']);
	});
});

describe('the decision matrix', () => {
	const rows = matrixRows(
		'Stadsledningskontorets förslag',
		[
			{ id: 'slk-1', label: '1' },
			{ id: 'slk-2', label: '2' }
		],
		drafts
			.filter((d) => d.kind === 'yrkande' || d.kind === 'tillaggsyrkande')
			.map((d) => ({ draft: d, points: d.pointIds.map((id, i) => ({ id, label: String(i + 1) })) }))
	);
	const ps = [
		...ledamoter
			.filter((m) => ['S', 'V', 'MP'].includes(m.partyId))
			.map((m) => pos(m, { kind: 'bifall', target: { type: 'baseline' } })),
		...ledamoter
			.filter((m) => ['S', 'V', 'MP'].includes(m.partyId))
			.map((m) => pos(m, { kind: 'avslag', target: { type: 'yrkande', draftId: 'sd-yrkande' } })),
		pos(daniel, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } }),
		pos(malin, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } }),
		pos(malin, { kind: 'avslag', target: sd('sd-4') }),
		pos(per, { kind: 'deltar_inte', target: { type: 'case' } }),
		pos(louise, { kind: 'jav', target: { type: 'case' } }),
		pos(member('Fredrik Nyström'), { kind: 'aterremiss', target: { type: 'case' }, reason: 'r', referTo: 't' }),
		pos(jonas, { kind: 'yttrande', target: { type: 'case' }, draftId: 'c-yttrande' })
	];
	const matrix = buildDecisionMatrix(rows, partyOrder, members, ps);

	it("has the baseline's points, then each submitted yrkande's; never a draft or a withdrawn one", () => {
		expect(rows.map((r) => `${r.group} ${r.label}`)).toEqual([
			'Stadsledningskontorets förslag 1',
			'Stadsledningskontorets förslag 2',
			'Yrkande från SD 1',
			'Yrkande från SD 2',
			'Yrkande från SD 3',
			'Yrkande från SD 4',
			'Tilläggsyrkande från V 1'
		]);
		expect(matrix.rows.map((r) => r.key)).toContain('yrkande:sd-yrkande:sd-4');
		expect(matrix.parties).toEqual(partyOrder);
	});

	it('fills each cell with words and a colour key', () => {
		const cell = (key: string, party: string) => {
			const c = matrix.rows.find((r) => r.key === key)!.cells[party];
			return { label: c.label, tone: c.tone, split: c.split };
		};
		expect(cell('baseline:slk-1', 'S')).toEqual({ label: 'Bifall', tone: 'for', split: false });
		expect(cell('yrkande:sd-yrkande:sd-1', 'V')).toEqual({ label: 'Avslag', tone: 'against', split: false });
		expect(cell('yrkande:sd-yrkande:sd-1', 'SD')).toEqual({ label: 'Bifall', tone: 'for', split: false });
		expect(cell('yrkande:sd-yrkande:sd-4', 'SD')).toEqual({
			label: 'Delad – bifall (1); avslag (1)',
			tone: 'split',
			split: true
		});
		// Per takes no part, Louise is jävig: two different stances, so M is split
		expect(cell('baseline:slk-1', 'M')).toMatchObject({ tone: 'split', split: true });
		expect(cell('baseline:slk-1', 'L')).toEqual({ label: 'Återremiss', tone: 'procedural', split: false });
		expect(cell('baseline:slk-1', 'C')).toEqual({ label: 'Yttrande', tone: 'statement', split: false });
		expect(cell('baseline:slk-1', 'D')).toEqual({ label: 'Inget ställningstagande', tone: 'none', split: false });
		expect(cell('yrkande:v-tillagg:v-1', 'S')).toEqual({
			label: 'Inget ställningstagande',
			tone: 'none',
			split: false
		});
	});

	it('tones a party out of the decision as out', () => {
		const m = buildDecisionMatrix(rows, ['M'], members, [
			pos(per, { kind: 'deltar_inte', target: { type: 'case' } }),
			pos(louise, { kind: 'deltar_inte', target: { type: 'case' } })
		]);
		expect(m.rows[0].cells.M).toMatchObject({ label: 'Deltar inte i beslutet', tone: 'out' });
	});

	it('filters by party, by kind, by proposal and to split cells', () => {
		const sdOnly = filterDecisionMatrix(matrix, { parties: ['SD', 'S'] });
		expect(sdOnly.parties).toEqual(['S', 'SD']);
		expect(Object.keys(sdOnly.rows[0].cells)).toEqual(['S', 'SD']);
		expect(filterDecisionMatrix(matrix, { parties: ['SD'], splitOnly: true }).rows.map((r) => r.key)).toEqual([
			'yrkande:sd-yrkande:sd-4'
		]);
		expect(filterDecisionMatrix(matrix, { parties: ['S', 'SD'], kinds: ['avslag'] }).rows.map((r) => r.key)).toEqual([
			'yrkande:sd-yrkande:sd-1',
			'yrkande:sd-yrkande:sd-2',
			'yrkande:sd-yrkande:sd-3',
			'yrkande:sd-yrkande:sd-4'
		]);
		expect(filterDecisionMatrix(matrix, { groups: ['Tilläggsyrkande från V'] }).rows).toHaveLength(1);
		expect(filterDecisionMatrix(matrix, { kinds: ['reservation'] }).rows).toHaveLength(0);
	});
});
