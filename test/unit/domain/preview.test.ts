import { describe, expect, it } from 'vitest';
import type { BudgetTable } from '../../../server/domain/budget';
import { markup } from '../../../server/domain/diff';
import { consolidatedPreview, type BaseItem, type PreviewAmendment } from '../../../server/domain/preview';

const P1 = 'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen fastställs.';
const P2 = 'Stadsledningskontorets förslag till samlad riskbild och interkontrollplan 2025 fastställs.';
const PLAN =
	'Vidare avser kontoret att initiera en dialog med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv för att identifiera gränssnitt och stärka synergier.';

const items: BaseItem[] = [
	{ id: 'p1', text: P1 },
	{ id: 'p2', text: P2 },
	{ id: 'plan', text: PLAN }
];

let n = 0;
const amendment = (
	a: Partial<PreviewAmendment> & Pick<PreviewAmendment, 'baselineItemId' | 'op'>
): PreviewAmendment => ({
	id: `a${++n}`,
	text: '',
	values: {},
	...a
});

describe('consolidatedPreview', () => {
	it('shows the baseline unchanged without amendments', () => {
		const { items: out, conflicts } = consolidatedPreview(items, []);
		expect(conflicts).toEqual([]);
		expect(out.map((i) => [i.id, i.status, i.text])).toEqual([
			['p1', 'unchanged', P1],
			['p2', 'unchanged', P2],
			['plan', 'unchanged', PLAN]
		]);
		expect(out.every((i) => !i.diff.changed)).toBe(true);
	});

	it('applies a change with its diff against the baseline', () => {
		const a = amendment({
			baselineItemId: 'plan',
			op: 'change',
			text: PLAN.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '')
		});
		const { items: out } = consolidatedPreview(items, [a]);
		const plan = out.find((i) => i.id === 'plan')!;
		expect(plan.status).toBe('changed');
		expect(plan.amendmentIds).toEqual([a.id]);
		expect(markup(plan.diff.segments)).toBe(
			'Vidare avser kontoret att initiera en dialog [-med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv -]för att identifiera gränssnitt och stärka synergier.'
		);
	});

	it('strikes an item', () => {
		const a = amendment({ baselineItemId: 'p2', op: 'strike' });
		const p2 = consolidatedPreview(items, [a]).items.find((i) => i.id === 'p2')!;
		expect(p2).toMatchObject({ status: 'struck', text: '', amendmentIds: [a.id] });
		expect(markup(p2.diff.segments)).toBe(`[-${P2}-]`);
	});

	it('adds new items after their anchor, in the order given', () => {
		const x = amendment({ baselineItemId: 'p1', op: 'insert_after', text: 'Ny punkt ett.' });
		const y = amendment({ baselineItemId: 'p1', op: 'insert_after', text: 'Ny punkt två.' });
		const out = consolidatedPreview(items, [x, y]).items;
		expect(out.map((i) => [i.id, i.status])).toEqual([
			['p1', 'unchanged'],
			[x.id, 'inserted'],
			[y.id, 'inserted'],
			['p2', 'unchanged'],
			['plan', 'unchanged']
		]);
		expect(out[1]).toMatchObject({ after: 'p1', text: 'Ny punkt ett.' });
		expect(markup(out[1].diff.segments)).toBe('{+Ny punkt ett.+}');
	});

	it('combines changes of different parties to separate words of one item', () => {
		const sd = amendment({
			baselineItemId: 'plan',
			op: 'change',
			text: PLAN.replace('ett Agenda 2030 hållbarhetsperspektiv', 'ett hållbarhetsperspektiv')
		});
		const c = amendment({
			baselineItemId: 'plan',
			op: 'change',
			text: PLAN.replace('stärka synergier', 'stärka samverkan')
		});
		const { items: out, conflicts } = consolidatedPreview(items, [sd, c]);
		expect(conflicts).toEqual([]);
		const plan = out.find((i) => i.id === 'plan')!;
		expect(plan.text).toBe(
			'Vidare avser kontoret att initiera en dialog med utgångspunkt i ett hållbarhetsperspektiv för att identifiera gränssnitt och stärka samverkan.'
		);
		expect(plan.amendmentIds).toEqual([sd.id, c.id]);
	});

	it('keeps the first of two changes to the same words and reports the second', () => {
		const sd = amendment({
			baselineItemId: 'plan',
			op: 'change',
			text: PLAN.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '')
		});
		const c = amendment({ baselineItemId: 'plan', op: 'change', text: PLAN.replace('Agenda 2030', 'socialt') });
		const { items: out, conflicts } = consolidatedPreview(items, [sd, c]);
		expect(out.find((i) => i.id === 'plan')!.text).not.toContain('Agenda');
		expect(conflicts).toEqual([
			{
				itemId: 'plan',
				reason: 'overlap',
				amendmentIds: [c.id],
				conflictsWith: [sd.id],
				message: 'Ändringen gäller samma ord som en annan vald ändring och har inte tagits med.'
			}
		]);
	});

	it('does not change a struck item, and does not strike a changed one', () => {
		const strike = amendment({ baselineItemId: 'p1', op: 'strike' });
		const change = amendment({ baselineItemId: 'p1', op: 'change', text: P1.replace('fastställs', 'avslås') });
		const first = consolidatedPreview(items, [strike, change]);
		expect(first.items[0].status).toBe('struck');
		expect(first.conflicts.map((c) => [c.reason, c.amendmentIds, c.conflictsWith])).toEqual([
			['struck', [change.id], [strike.id]]
		]);
		const second = consolidatedPreview(items, [change, strike]);
		expect(second.items[0]).toMatchObject({ status: 'changed', text: P1.replace('fastställs', 'avslås') });
		expect(second.conflicts.map((c) => [c.reason, c.amendmentIds, c.conflictsWith])).toEqual([
			['struck', [strike.id], [change.id]]
		]);
	});

	it('carries an amendment written against an older wording over to the current one', () => {
		const older = PLAN.replace('stärka synergier', 'skapa synergier');
		const a = amendment({
			baselineItemId: 'plan',
			op: 'change',
			baseText: older,
			text: older.replace('initiera en dialog', 'initiera en bred dialog')
		});
		const { items: out, conflicts } = consolidatedPreview(items, [a]);
		expect(conflicts).toEqual([]);
		expect(out.find((i) => i.id === 'plan')!.text).toBe(PLAN.replace('initiera en dialog', 'initiera en bred dialog'));
	});

	it('reports an amendment that cannot be carried over as stale', () => {
		const older = PLAN.replace('stärka synergier', 'skapa synergier');
		const a = amendment({
			baselineItemId: 'plan',
			op: 'change',
			baseText: older,
			text: older.replace('skapa', 'bygga')
		});
		const { items: out, conflicts } = consolidatedPreview(items, [a]);
		expect(out.find((i) => i.id === 'plan')!.status).toBe('unchanged');
		expect(conflicts.map((c) => [c.reason, c.amendmentIds])).toEqual([['stale', [a.id]]]);
	});

	it('reports an amendment of an item that is not in the baseline', () => {
		const a = amendment({ baselineItemId: 'gone', op: 'strike' });
		expect(consolidatedPreview(items, [a]).conflicts).toMatchObject([
			{ itemId: 'gone', reason: 'unknown_item', amendmentIds: [a.id] }
		]);
	});

	it('works on an empty baseline', () => {
		expect(consolidatedPreview([], [])).toEqual({ items: [], conflicts: [] });
	});
});

describe('consolidatedPreview: budget rows', () => {
	const table: BudgetTable = {
		columns: ['Budget 2025'],
		rows: [
			{ id: 'pol', label: 'Kommunbidrag politisk organisation', values: { 'Budget 2025': 112.1 } },
			{ id: 'slk', label: 'Kommunbidrag stadsledningskontoret', values: { 'Budget 2025': 285.7 } },
			{ id: 'sum', label: 'Summa', values: { 'Budget 2025': 397.8 } }
		]
	};
	const rows: BaseItem[] = table.rows.map((r) => ({ id: r.id, text: r.label, values: r.values }));

	it('applies new amounts and lets the sum row follow', () => {
		const a = amendment({ baselineItemId: 'slk', op: 'amounts', values: { 'Budget 2025': 280.7 } });
		const { items: out } = consolidatedPreview(rows, [a], { tables: [table] });
		const slk = out.find((i) => i.id === 'slk')!;
		expect(slk).toMatchObject({ status: 'changed', values: { 'Budget 2025': 280.7 } });
		expect(slk.valueChanges).toEqual([{ column: 'Budget 2025', before: 285.7, after: 280.7, delta: -5, isSum: false }]);
		const sum = out.find((i) => i.id === 'sum')!;
		expect(sum).toMatchObject({ status: 'changed', values: { 'Budget 2025': 392.8 } });
		expect(sum.valueChanges).toEqual([{ column: 'Budget 2025', before: 397.8, after: 392.8, delta: -5, isSum: true }]);
		expect(out.find((i) => i.id === 'pol')!.status).toBe('unchanged');
	});

	it('adds up amendments of two rows in the sum', () => {
		const a = amendment({ baselineItemId: 'slk', op: 'amounts', values: { 'Budget 2025': 280.7 } });
		const b = amendment({ baselineItemId: 'pol', op: 'amounts', values: { 'Budget 2025': 110.1 } });
		const sum = consolidatedPreview(rows, [a, b], { tables: [table] }).items.find((i) => i.id === 'sum')!;
		expect(sum.values).toEqual({ 'Budget 2025': 390.8 });
	});

	it('keeps the first of two amounts for the same cell and reports the second', () => {
		const a = amendment({ baselineItemId: 'slk', op: 'amounts', values: { 'Budget 2025': 280.7 } });
		const b = amendment({ baselineItemId: 'slk', op: 'amounts', values: { 'Budget 2025': 290 } });
		const { items: out, conflicts } = consolidatedPreview(rows, [a, b], { tables: [table] });
		expect(out.find((i) => i.id === 'slk')!.values).toEqual({ 'Budget 2025': 280.7 });
		expect(conflicts.map((c) => [c.reason, c.amendmentIds, c.conflictsWith])).toEqual([['same_cell', [b.id], [a.id]]]);
	});

	it('leaves sums alone without the table', () => {
		const a = amendment({ baselineItemId: 'slk', op: 'amounts', values: { 'Budget 2025': 280.7 } });
		const out = consolidatedPreview(rows, [a]).items;
		expect(out.find((i) => i.id === 'sum')!.status).toBe('unchanged');
	});

	it('carries amounts written against older values when the cell did not change', () => {
		const a = amendment({
			baselineItemId: 'slk',
			op: 'amounts',
			values: { 'Budget 2025': 280.7 },
			baseValues: { 'Budget 2025': 285.7, 'Budget 2024': 282.3 }
		});
		expect(consolidatedPreview(rows, [a]).conflicts).toEqual([]);
		const stale = amendment({
			baselineItemId: 'slk',
			op: 'amounts',
			values: { 'Budget 2025': 280.7 },
			baseValues: { 'Budget 2025': 290 }
		});
		expect(consolidatedPreview(rows, [stale]).conflicts.map((c) => c.reason)).toEqual(['stale']);
	});
});
