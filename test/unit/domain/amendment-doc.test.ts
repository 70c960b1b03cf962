import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAmendment,
	amendmentMap,
	generatedPointId,
	removeAmendment,
	replaceAmendmentText,
	replaceAmendmentValues,
	syncAmendmentPoints,
	type PointFor
} from '../../../server/domain/amendment-doc';
import { amendmentPoint } from '../../../server/domain/amendment-points';
import {
	amendableParts,
	indexTree,
	opsFor,
	pointInput,
	targetText,
	targetTitle
} from '../../../server/domain/amendment-targets';
import type { BaselineItem } from '../../../server/domain/baseline';
import { initDraftDoc, pointsArray, projectDraft } from '../../../server/domain/draft-doc';

const tree: BaselineItem[] = [
	{
		id: 'fb',
		kind: 'section',
		title: 'Förslag till beslut',
		children: [
			{
				id: 'p1',
				kind: 'decision_point',
				label: '1',
				level: 'ks',
				text: 'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen fastställs.'
			}
		]
	},
	{
		id: 'g5',
		kind: 'goal',
		title: 'Göteborg ska vara ledande i klimatomställningen',
		fields: {
			Nuläge: 'Kontoret följer utvecklingen.',
			'Stadsledningskontorets planering':
				'Vidare avser kontoret att initiera en dialog med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv.\n\nHandlingsplanen ska ge ett ökat fokus.',
			'Viktiga styrdokument': ['Miljö- och klimatprogrammet', 'Klimatanpassningsplanen']
		}
	},
	{
		id: 't',
		kind: 'table',
		title: 'Kommunledningen',
		columns: ['Budget 2025'],
		children: [
			{ id: 'kb', kind: 'table_row', title: 'Kommunbidrag', values: { 'Budget 2025': 397.8 } },
			{
				id: 'slk',
				kind: 'table_row',
				title: 'Stadsledningskontoret',
				children: [{ id: 'slk-kb', kind: 'table_row', title: 'Kommunbidrag', values: { 'Budget 2025': 285.7 } }]
			},
			{
				id: 'pol',
				kind: 'table_row',
				title: 'Politisk organisation',
				children: [{ id: 'pol-kb', kind: 'table_row', title: 'Kommunbidrag', values: { 'Budget 2025': 112.1 } }]
			}
		]
	}
];
const index = indexTree(tree);
const at = (id: string) => index.get(id)!;
const PLAN = 'Stadsledningskontorets planering';

describe('amendment targets', () => {
	it('knows which parts of an item can be amended and what text each is measured against', () => {
		expect(amendableParts(at('g5').item)).toEqual(['Nuläge', PLAN, 'Viktiga styrdokument']);
		expect(targetText(at('g5').item)).toBe('Göteborg ska vara ledande i klimatomställningen');
		expect(targetText(at('g5').item, 'Viktiga styrdokument')).toBe(
			'Miljö- och klimatprogrammet\n\nKlimatanpassningsplanen'
		);
		expect(targetText(at('p1').item)).toMatch(/fastställs\.$/);
		expect(targetTitle(at('g5').item, PLAN)).toBe(`Göteborg ska vara ledande i klimatomställningen – ${PLAN}`);
	});

	it('allows text operations on texts, amounts on budget rows, and nothing on sums and headings', () => {
		expect(opsFor(at('p1'))).toEqual(['change', 'strike', 'insert_after']);
		expect(opsFor(at('g5'), PLAN)).toEqual(['change', 'strike']);
		expect(opsFor(at('g5'), 'Finns inte')).toEqual([]);
		expect(opsFor(at('slk-kb'))).toEqual(['amounts']);
		// The table's own Kommunbidrag is the sum of the parts' rows.
		expect(opsFor(at('kb'))).toEqual([]);
		expect(opsFor(at('slk'))).toEqual([]);
		expect(opsFor(at('fb'))).toEqual([]);
	});

	it('names budget rows by their group and decision points by their number in the points they become', () => {
		const row = amendmentPoint(
			pointInput(
				at('slk-kb'),
				undefined,
				{ op: 'amounts', text: '', values: { 'Budget 2025': 280.7 } },
				'Stadsledningskontoret'
			)
		);
		expect(row).toEqual({
			level: 'ks',
			text: 'Kommunbidrag för Stadsledningskontoret ändras från 285,7 mnkr till 280,7 mnkr.'
		});
		const point = amendmentPoint(
			pointInput(at('p1'), undefined, { op: 'strike', text: '', values: {} }, 'Stadsledningskontoret')
		);
		expect(point.text).toBe('Punkt 1 i stadsledningskontorets förslag stryks.');
	});
});

function draft(): Y.Doc {
	const doc = new Y.Doc();
	initDraftDoc(doc, {
		kind: 'andringsyrkande',
		title: 'Ändringsyrkande',
		points: [{ id: 'own', level: 'ks_kf', text: 'Egen punkt.' }]
	});
	return doc;
}

const pointFor: PointFor = (a) => {
	const located = index.get(a.baselineItemId);
	return located ? amendmentPoint(pointInput(located, a.field, a)) : null;
};

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('amendments in the draft document', () => {
	it('adds an amendment starting from the baseline text, with its point at the end of its level', () => {
		const doc = draft();
		addAmendment(doc, {
			id: 'a1',
			baselineItemId: 'g5',
			baselineVersion: 1,
			op: 'change',
			field: PLAN,
			text: targetText(at('g5').item, PLAN)
		});
		expect(syncAmendmentPoints(doc, pointFor)).toBe(true);
		const content = projectDraft(doc);
		expect(content.amendments).toEqual([
			{
				id: 'a1',
				baselineItemId: 'g5',
				baselineVersion: 1,
				op: 'change',
				field: PLAN,
				text: targetText(at('g5').item, PLAN),
				values: {}
			}
		]);
		// KS points come before KS-and-KF points.
		expect(content.points.map((p) => [p.id, p.level])).toEqual([
			[generatedPointId('a1'), 'ks'],
			['own', 'ks_kf']
		]);
		expect(content.points[0].text).toMatch(/ändras inte\.$/);
		// Nothing to do a second time.
		expect(syncAmendmentPoints(doc, pointFor)).toBe(false);
	});

	it('rewrites the point when the amendment changes, keeping where the user moved it, and drops it with the amendment', () => {
		const doc = draft();
		addAmendment(doc, {
			id: 'a1',
			baselineItemId: 'p1',
			baselineVersion: 1,
			op: 'change',
			text: targetText(at('p1').item)
		});
		syncAmendmentPoints(doc, pointFor);
		// The user moves the point to the other level.
		pointsArray(doc).get(0).set('level', 'ks_kf');
		replaceAmendmentText(
			amendmentMap(doc, 'a1')!,
			'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen antas.'
		);
		syncAmendmentPoints(doc, pointFor);
		const points = projectDraft(doc).points;
		expect(points).toHaveLength(2);
		const generated = points.find((p) => p.id === generatedPointId('a1'))!;
		expect(generated.level).toBe('ks_kf');
		expect(generated.text).toContain(
			'ändras till: ”Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen antas.”'
		);

		removeAmendment(doc, 'a1');
		expect(projectDraft(doc).points.map((p) => p.id)).toEqual(['own']);
	});

	it('converges when two editors rewrite the same point at once: one copy, the text once', () => {
		const a = draft();
		addAmendment(a, {
			id: 'a1',
			baselineItemId: 'slk-kb',
			baselineVersion: 1,
			op: 'amounts',
			text: '',
			values: { 'Budget 2025': 285.7 }
		});
		syncAmendmentPoints(a, pointFor);
		const b = new Y.Doc();
		sync(a, b);
		replaceAmendmentValues(amendmentMap(a, 'a1')!, { 'Budget 2025': 280.7 });
		sync(a, b);
		// Both see the new amount and rewrite the point before hearing from the other.
		expect(syncAmendmentPoints(a, pointFor)).toBe(true);
		expect(syncAmendmentPoints(b, pointFor)).toBe(true);
		sync(a, b);
		// After the merge each holds two copies; whoever looks next removes the later one, the same one everywhere.
		syncAmendmentPoints(a, pointFor);
		syncAmendmentPoints(b, pointFor);
		sync(a, b);
		for (const doc of [a, b]) {
			const points = projectDraft(doc).points.filter((p) => p.id === generatedPointId('a1'));
			expect(points).toEqual([
				{
					id: generatedPointId('a1'),
					level: 'ks',
					text: 'Kommunbidrag för Stadsledningskontoret ändras från 285,7 mnkr till 280,7 mnkr.'
				}
			]);
		}
		expect(projectDraft(a)).toEqual(projectDraft(b));
	});

	it('leaves the point of an amendment whose item is not known yet alone', () => {
		const doc = draft();
		addAmendment(doc, { id: 'x', baselineItemId: 'gone', baselineVersion: 1, op: 'strike', text: '' });
		expect(syncAmendmentPoints(doc, pointFor)).toBe(false);
		expect(projectDraft(doc).points.map((p) => p.id)).toEqual(['own']);
	});
});
