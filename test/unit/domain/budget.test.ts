import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBaselineText } from '../../../server/import/parse';
import {
	applyBudgetAmendments,
	budgetTableFromItem,
	BudgetError,
	formatAmount,
	formatSwedishNumber,
	parseSwedishNumber,
	sumStructure,
	tryParseSwedishNumber,
	type BudgetRow,
	type BudgetTable,
	type TableItemLike
} from '../../../server/domain/budget';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

/**
 * Reads an economic table of the fixture: value lines "Label 113,1 112,1", section headings, and
 * nothing else. The baseline import does this for real; here it only spares typing the numbers.
 */
function readTable(start: string, end: string, columns: string[], headings: string[]): BudgetTable {
	const i = fixture.indexOf(start);
	const text = fixture.slice(i + start.length, fixture.indexOf(end, i));
	const rows: BudgetRow[] = [];
	let section = 'top';
	const num = `(-?\\d+,\\d)`;
	const valueLine = new RegExp(`^(.*?)\\s+${Array(columns.length).fill(num).join('\\s+')}$`);
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		const m = valueLine.exec(line);
		if (m) {
			const values = Object.fromEntries(columns.map((c, k) => [c, parseSwedishNumber(m[k + 2])]));
			rows.push({ id: `${section}:${m[1]}`, label: m[1], values });
		} else if (headings.includes(line)) {
			section = line;
			rows.push({ id: line, label: line, values: Object.fromEntries(columns.map((c) => [c, null])) });
		}
	}
	return { columns, rows };
}

const COLUMNS = ['Budget 2024', 'Budget 2025'];
const PARTS = [
	'Politisk organisation',
	'Stadsledningskontoret',
	'Personal- och kompetensförsörjning',
	'Övrig verksamhet'
];

/** Kommunledningen, whose top rows are the sums of the same rows in its four parts. */
function kommunledningen(): BudgetTable {
	const table = readTable('Kommunledningen (belopp i mnkr)', 'Bilaga 2', COLUMNS, PARTS);
	for (const row of table.rows) {
		if (row.id.startsWith('top:') && row.label !== 'Resultat') {
			row.sumOf = table.rows.filter((r) => r.label === row.label && !r.id.startsWith('top:')).map((r) => r.id);
		}
	}
	return table;
}

const personal = () =>
	readTable('Personal- och kompetensförsörjningsanslaget', 'Avrop från kommuncentrala poster', ['Budget 2025'], []);

describe('the fixture tables as read', () => {
	it('has the published figures', () => {
		const t = kommunledningen();
		const value = (id: string, c = 'Budget 2025') => t.rows.find((r) => r.id === id)?.values[c];
		expect(value('Stadsledningskontoret:Kommunbidrag')).toBe(285.7);
		expect(value('top:Kommunbidrag')).toBe(397.8);
		expect(value('Stadsledningskontoret:Kostnader', 'Budget 2024')).toBe(-367.4);
		expect(personal().rows.map((r) => r.label)).toEqual([
			'Bemanning',
			'Chefsförsörjning',
			'Div. kompetensutveckling',
			'Leda och samordna personalpolitiken',
			'Total'
		]);
	});
});

describe('sumStructure', () => {
	it('takes explicit sums and recognises totals by their label, summing since the previous total', () => {
		const s = sumStructure(kommunledningen());
		expect(s.get('top:Kommunbidrag')).toEqual([
			'Politisk organisation:Kommunbidrag',
			'Stadsledningskontoret:Kommunbidrag',
			'Personal- och kompetensförsörjning:Kommunbidrag',
			'Övrig verksamhet:Kommunbidrag'
		]);
		expect(s.get('Stadsledningskontoret:Resultat')).toEqual([
			'Stadsledningskontoret',
			'Stadsledningskontoret:Intäkter',
			'Stadsledningskontoret:Kostnader',
			'Stadsledningskontoret:Kommunbidrag',
			'Stadsledningskontoret:Kommuninterna bidrag'
		]);
		expect(s.get('top:Resultat')).toEqual([
			'top:Intäkter',
			'top:Kostnader',
			'top:Kommunbidrag',
			'top:Kommuninterna bidrag'
		]);
		expect(s.has('Stadsledningskontoret:Kommunbidrag')).toBe(false);
	});

	it('recognises Summa, S:a, Totalt and Netto too, but not words that only start alike', () => {
		for (const label of ['Summa', 'S:a', 'Totalt', 'Netto', 'Total']) {
			const t = {
				columns: ['x'],
				rows: [
					{ id: 'a', label: 'A', values: { x: 1 } },
					{ id: 's', label, values: { x: 1 } }
				]
			};
			expect(sumStructure(t).get('s')).toEqual(['a']);
		}
		const t = { columns: ['x'], rows: [{ id: 's', label: 'Totalförsvar', values: { x: 1 } }] };
		expect(sumStructure(t).has('s')).toBe(false);
	});
});

describe('applyBudgetAmendments', () => {
	it('cuts stadsledningskontorets kommunbidrag 2025 from 285,7 to 280,7: −5,0 mnkr, totals follow', () => {
		const r = applyBudgetAmendments(kommunledningen(), [
			{ rowId: 'Stadsledningskontoret:Kommunbidrag', values: { 'Budget 2025': 280.7 } }
		]);
		expect(r.net).toEqual({ 'Budget 2024': 0, 'Budget 2025': -5 });
		expect(formatAmount(r.net['Budget 2025'], 'mnkr', { signed: true })).toBe('−5,0 mnkr');
		expect(r.changes.map((c) => [c.rowId, c.before, c.after, c.delta, c.isSum])).toEqual([
			['top:Kommunbidrag', 397.8, 392.8, -5, true],
			['top:Resultat', 0, -5, -5, true],
			['Stadsledningskontoret:Kommunbidrag', 285.7, 280.7, -5, false],
			['Stadsledningskontoret:Resultat', 0, -5, -5, true]
		]);
		const value = (id: string) => r.table.rows.find((row) => row.id === id)?.values['Budget 2025'];
		expect(value('top:Kommunbidrag')).toBe(392.8);
		expect(formatSwedishNumber(value('top:Kommunbidrag')!)).toBe('392,8');
	});

	it('keeps the published rounding of sums that are not affected', () => {
		const r = applyBudgetAmendments(kommunledningen(), [
			{ rowId: 'Stadsledningskontoret:Kommunbidrag', values: { 'Budget 2025': 280.7 } }
		]);
		// The parts' Intäkter add up to 123,9; the table says 124,0 and must keep saying so.
		expect(r.table.rows.find((row) => row.id === 'top:Intäkter')?.values['Budget 2025']).toBe(124);
	});

	it('does not change the input table', () => {
		const t = kommunledningen();
		const before = JSON.stringify(t);
		applyBudgetAmendments(t, [{ rowId: 'Stadsledningskontoret:Kommunbidrag', values: { 'Budget 2025': 280.7 } }]);
		expect(JSON.stringify(t)).toBe(before);
	});

	it('recomputes a Total row', () => {
		const r = applyBudgetAmendments(personal(), [{ rowId: 'top:Bemanning', values: { 'Budget 2025': 2 } }]);
		expect(r.table.rows.find((row) => row.label === 'Total')?.values['Budget 2025']).toBe(16.5);
		expect(r.net).toEqual({ 'Budget 2025': 1 });
	});

	it('sums changes of several rows without float noise', () => {
		const r = applyBudgetAmendments(personal(), [
			{ rowId: 'top:Bemanning', values: { 'Budget 2025': 1.1 } },
			{ rowId: 'top:Chefsförsörjning', values: { 'Budget 2025': 6.8 } }
		]);
		expect(r.net['Budget 2025']).toBe(0.3);
		expect(r.table.rows.find((row) => row.label === 'Total')?.values['Budget 2025']).toBe(15.8);
	});

	it('changes both years at once', () => {
		const r = applyBudgetAmendments(kommunledningen(), [
			{ rowId: 'Politisk organisation:Kostnader', values: { 'Budget 2024': -114.9, 'Budget 2025': -110.9 } }
		]);
		expect(r.net).toEqual({ 'Budget 2024': -1, 'Budget 2025': 2 });
	});

	it('refuses to amend a sum row, in Swedish', () => {
		expect(() =>
			applyBudgetAmendments(kommunledningen(), [{ rowId: 'top:Kommunbidrag', values: { 'Budget 2025': 1 } }])
		).toThrow(/”Kommunbidrag” är en summa och räknas fram/);
	});

	it('refuses an unknown row or column', () => {
		const t = personal();
		expect(() => applyBudgetAmendments(t, [{ rowId: 'nope', values: {} }])).toThrow(BudgetError);
		expect(() => applyBudgetAmendments(t, [{ rowId: 'top:Bemanning', values: { 'Budget 2030': 1 } }])).toThrow(
			/Kolumnen ”Budget 2030” finns inte/
		);
	});

	it('reports two amendments setting the same cell differently and keeps the first', () => {
		const r = applyBudgetAmendments(personal(), [
			{ rowId: 'top:Bemanning', values: { 'Budget 2025': 2 } },
			{ rowId: 'top:Bemanning', values: { 'Budget 2025': 3 } }
		]);
		expect(r.conflicts).toEqual([{ rowId: 'top:Bemanning', column: 'Budget 2025', values: [2, 3] }]);
		expect(r.net['Budget 2025']).toBe(1);
	});

	it('lets an amendment fill or clear a cell', () => {
		const t: BudgetTable = {
			columns: ['2025'],
			rows: [
				{ id: 'a', label: 'A', values: { '2025': null } },
				{ id: 'b', label: 'B', values: { '2025': 4 } },
				{ id: 's', label: 'Summa', values: { '2025': 4 } }
			]
		};
		const r = applyBudgetAmendments(t, [
			{ rowId: 'a', values: { '2025': 2.5 } },
			{ rowId: 'b', values: { '2025': null } }
		]);
		expect(r.table.rows.map((row) => row.values['2025'])).toEqual([2.5, null, 2.5]);
		expect(r.net['2025']).toBe(-1.5);
	});

	it('changes nothing for no amendments', () => {
		const t = personal();
		const r = applyBudgetAmendments(t, []);
		expect(r.changes).toEqual([]);
		expect(r.table.rows).toEqual(t.rows);
	});

	it('refuses sums that refer to each other in a circle', () => {
		const t: BudgetTable = {
			columns: ['x'],
			rows: [
				{ id: 'a', label: 'A', values: { x: 1 } },
				{ id: 'p', label: 'P', values: { x: 1 }, sumOf: ['a', 'q'] },
				{ id: 'q', label: 'Q', values: { x: 1 }, sumOf: ['p'] }
			]
		};
		expect(() => applyBudgetAmendments(t, [{ rowId: 'a', values: { x: 2 } }])).toThrow(/räknas ut från sig själv/);
	});

	it('keeps extra fields of the caller’s row type', () => {
		const t = {
			columns: ['x'],
			rows: [
				{ id: 'a', label: 'A', values: { x: 1 }, version: 3 },
				{ id: 's', label: 'Summa', values: { x: 1 }, version: 3 }
			]
		};
		const r = applyBudgetAmendments(t, [{ rowId: 'a', values: { x: 2 } }]);
		expect(r.table.rows[1]).toEqual({ id: 's', label: 'Summa', values: { x: 2 }, version: 3 });
	});
});

describe('parseSwedishNumber', () => {
	it.each([
		['285,7', 285.7],
		['280,7', 280.7],
		['−5,0', -5],
		['-5,0', -5],
		['–5,0', -5],
		['+5,0', 5],
		['4 500', 4500],
		['4\u00A0500', 4500],
		['4\u2009500', 4500],
		['4\u202F500', 4500],
		['1 300,5', 1300.5],
		['12 345 678', 12345678],
		['280.7', 280.7],
		['0,2', 0.2],
		['  397,8 ', 397.8],
		['0', 0],
		['-0', 0]
	])('reads %j as %d', (input, value) => {
		expect(parseSwedishNumber(input)).toBe(value);
	});

	it('reads an empty input as an empty cell', () => {
		expect(parseSwedishNumber('')).toBeNull();
		expect(parseSwedishNumber('   ')).toBeNull();
	});

	it('never gives −0', () => {
		expect(Object.is(parseSwedishNumber('−0,0'), -0)).toBe(false);
	});

	it.each(['12 34', 'abc', '5,0 mnkr', '1,2,3', '1 2345', '--5', '5-', ',5'])(
		'refuses %j with a Swedish message',
		(input) => {
			const r = tryParseSwedishNumber(input);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.message).toMatch(/är inte ett tal\. Skriv till exempel 280,7/);
			expect(() => parseSwedishNumber(input)).toThrow(BudgetError);
		}
	);
});

describe('formatSwedishNumber', () => {
	it.each([
		[285.7, {}, '285,7'],
		[-5, {}, '\u22125,0'],
		[5, { signed: true }, '+5,0'],
		[-5, { signed: true }, '\u22125,0'],
		[0, { signed: true }, '0,0'],
		[-0.04, {}, '0,0'],
		[1300, {}, '1\u00A0300,0'],
		[-1234567.25, { decimals: 2 }, '\u22121\u00A0234\u00A0567,25'],
		[4500, { decimals: 0 }, '4\u00A0500'],
		[397.79999999999995, {}, '397,8']
	])('writes %d (%j) as %j', (value, options, text) => {
		expect(formatSwedishNumber(value, options)).toBe(text);
	});

	it('reads back what it writes', () => {
		for (const v of [0, 1.5, -5, 1300.4, -987654.3]) expect(parseSwedishNumber(formatSwedishNumber(v))).toBe(v);
	});

	it('writes amounts with their unit and empty cells as a dash', () => {
		expect(formatAmount(280.7)).toBe('280,7 mnkr');
		expect(formatAmount(4500, 'tkr', { decimals: 0 })).toBe('4\u00A0500 tkr');
		expect(formatAmount(null)).toBe('–');
	});
});

describe('budgetTableFromItem', () => {
	const item: TableItemLike = {
		id: 't',
		title: 'Kommunledningen',
		columns: ['2025'],
		children: [
			{ id: 'kb', title: 'Kommunbidrag', values: { '2025': 397.8 } },
			{ id: 'res', title: 'Resultat', values: { '2025': 0 } },
			{
				id: 'pol',
				title: 'Politisk organisation',
				children: [
					{ id: 'pol-kb', title: 'Kommunbidrag', values: { '2025': 112.1 } },
					{ id: 'pol-res', title: 'Resultat', values: { '2025': 0 } }
				]
			},
			{
				id: 'slk',
				title: 'Stadsledningskontoret',
				children: [
					{ id: 'slk-kb', title: 'Kommunbidrag', values: { '2025': 285.7 } },
					{ id: 'slk-res', title: 'Resultat', values: { '2025': 0 } }
				]
			}
		]
	};

	it('flattens groups and makes the table’s own rows sums of the same rows in the groups', () => {
		const t = budgetTableFromItem(item);
		expect(t.rows.map((r) => [r.id, r.sumOf ?? null])).toEqual([
			['kb', ['pol-kb', 'slk-kb']],
			['res', null],
			['pol', null],
			['pol-kb', null],
			['pol-res', null],
			['slk', null],
			['slk-kb', null],
			['slk-res', null]
		]);
		expect(t.rows.find((r) => r.id === 'pol')!.values).toEqual({ '2025': null });
	});

	it('lets an amendment of a group row reach the table’s totals', () => {
		const r = applyBudgetAmendments(budgetTableFromItem(item), [{ rowId: 'slk-kb', values: { '2025': 280.7 } }]);
		expect(r.changes.map((c) => [c.rowId, c.after])).toEqual([
			['kb', 392.8],
			['res', -5],
			['slk-kb', 280.7],
			['slk-res', -5]
		]);
	});

	it('works on the table the baseline import reads from the fixture', () => {
		const parsed = parseBaselineText(fixture);
		type Node = TableItemLike & { kind?: string; children?: Node[] };
		const tables: Node[] = [];
		const walk = (items: Node[]) => {
			for (const i of items) {
				if (i.kind === 'table' && i.title === 'Kommunledningen') tables.push(i);
				if (i.children) walk(i.children);
			}
		};
		walk(parsed.items as Node[]);
		expect(tables).toHaveLength(1);
		const table = budgetTableFromItem(tables[0]);
		const slk = table.rows.find((r) => r.id === 'Stadsledningskontoret:Kommunbidrag')!;
		expect(slk.values['Budget 2025']).toBe(285.7);
		const r = applyBudgetAmendments(table, [{ rowId: slk.id, values: { 'Budget 2025': 280.7 } }]);
		expect(formatAmount(r.net['Budget 2025'], 'mnkr', { signed: true })).toBe('−5,0 mnkr');
		expect(r.table.rows.find((row) => row.id === 'Kommunbidrag')!.values['Budget 2025']).toBe(392.8);
	});
});
