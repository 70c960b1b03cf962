/**
 * Budget row amendments: new amounts per column, the sums that follow from them, and the net
 * change against the baseline; Swedish number reading and writing ("285,7", "−5,0", "4 500").
 */

export interface BudgetRow {
	id: string;
	label: string;
	values: Record<string, number | null>;
	/**
	 * The ids of the rows this row is the sum of, when the table says so (e.g. "Kommunledningen:
	 * Kommunbidrag" is the sum of the organisational parts' Kommunbidrag rows). Without it, a row
	 * labelled Summa / S:a / Total / Totalt / Resultat / Netto sums the rows since the previous such row.
	 */
	sumOf?: string[];
}

export interface BudgetTable<R extends BudgetRow = BudgetRow> {
	columns: string[];
	rows: R[];
}

export interface RowAmendment {
	rowId: string;
	/** the proposed value per column; columns left out keep their baseline value */
	values: Record<string, number | null>;
}

export interface CellChange {
	rowId: string;
	label: string;
	column: string;
	before: number | null;
	after: number | null;
	delta: number;
	/** true for a sum recomputed from the amended rows */
	isSum: boolean;
}

export interface BudgetOutcome<T extends BudgetTable> {
	/** a copy of the table with the amended values and the recomputed sums */
	table: T;
	/** every cell that changed, in table order */
	changes: CellChange[];
	/** per column: the net change the amendments make to the budget (sum of the amended cells' changes) */
	net: Record<string, number>;
	/** cells that two amendments set to different values; the first amendment's value is kept */
	conflicts: { rowId: string; column: string; values: (number | null)[] }[];
}

/** A user-facing problem with a budget amendment; the message is Swedish and meant to be shown. */
export class BudgetError extends Error {
	constructor(
		readonly code: 'unknown_row' | 'unknown_column' | 'sum_row' | 'sum_cycle' | 'invalid_number',
		message: string
	) {
		super(message);
		this.name = 'BudgetError';
	}
}

const TOTAL_LABEL = /^(summa|total|totalt|resultat|netto|s:a)(?![\p{L}\p{N}])/iu;

/**
 * Which rows are sums of which: explicit `sumOf` first, then totals recognised by their label, which
 * sum the rows since the previous total. A section heading (a row without values) is counted too: it
 * adds nothing, and telling it from a row whose cells are merely empty is not possible.
 */
export function sumStructure(table: BudgetTable): Map<string, string[]> {
	const sums = new Map<string, string[]>();
	let section: string[] = [];
	for (const row of table.rows) {
		if (row.sumOf) {
			sums.set(row.id, row.sumOf);
			section.push(row.id);
		} else if (TOTAL_LABEL.test(row.label.trim())) {
			sums.set(row.id, section);
			section = [];
		} else section.push(row.id);
	}
	return sums;
}

/** An economic table as the baseline model holds it: rows as children, group rows without values holding rows. */
export interface TableItemLike {
	id?: string;
	title?: string;
	columns?: string[];
	values?: Record<string, number>;
	children?: TableItemLike[];
}

/**
 * Flattens a baseline table item into a BudgetTable. A group row (no values, rows as children)
 * becomes a heading row followed by its rows; a row of the table itself whose title recurs in two
 * or more groups ("Kommunbidrag" of Kommunledningen) is the sum of those rows. Rows without an id
 * get one from their group and title.
 */
export function budgetTableFromItem(table: TableItemLike): BudgetTable {
	const columns = table.columns ?? [];
	const empty = () => Object.fromEntries(columns.map((c) => [c, null]));
	const rows: BudgetRow[] = [];
	const groups: { rows: BudgetRow[] }[] = [];
	const own: BudgetRow[] = [];
	const rowOf = (item: TableItemLike, prefix: string): BudgetRow => ({
		id: item.id ?? `${prefix}${item.title ?? rows.length}`,
		label: item.title ?? '',
		values: { ...empty(), ...(item.values ?? {}) }
	});
	for (const child of table.children ?? []) {
		if (!child.values && child.children?.length) {
			const heading = rowOf(child, '');
			rows.push(heading);
			const group = { rows: child.children.filter((c) => c.values).map((c) => rowOf(c, `${heading.label}:`)) };
			groups.push(group);
			rows.push(...group.rows);
		} else {
			const row = rowOf(child, '');
			own.push(row);
			rows.push(row);
		}
	}
	for (const row of own) {
		const parts = groups
			.map((g) => g.rows.find((r) => r.label === row.label))
			.filter((r): r is BudgetRow => r !== undefined);
		if (parts.length >= 2 && !TOTAL_LABEL.test(row.label.trim())) row.sumOf = parts.map((r) => r.id);
	}
	return { columns, rows };
}

/** Number of decimals needed to write x exactly (at most 6): keeps 112,1 + 285,7 at 397,8. */
function decimalsOf(x: number): number {
	for (let d = 0; d < 6; d++) {
		const scaled = x * 10 ** d;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
	}
	return 6;
}

function round(x: number, decimals: number): number {
	const f = 10 ** decimals;
	const r = Math.round(x * f) / f;
	return r === 0 ? 0 : r; // no −0 in the output
}

function rowLabel(row: BudgetRow | undefined, id: string) {
	return row ? `”${row.label}”` : `”${id}”`;
}

/**
 * Applies budget row amendments to a table. Sums are recomputed as baseline sum + the change of
 * what they sum, so the table's published rounding (124,0 where the parts add up to 123,9) never
 * shows up as a change.
 *
 * @throws BudgetError for an unknown row or column, for an amendment of a sum row (sums follow from
 *   their rows), or for a table whose sums refer to each other in a circle.
 */
export function applyBudgetAmendments<T extends BudgetTable>(table: T, amendments: RowAmendment[]): BudgetOutcome<T> {
	const byId = new Map(table.rows.map((r) => [r.id, r]));
	const sums = sumStructure(table);
	const columns = new Set(table.columns);

	const proposed = new Map<string, Map<string, number | null>>();
	const conflicts: BudgetOutcome<T>['conflicts'] = [];
	for (const a of amendments) {
		const row = byId.get(a.rowId);
		if (!row) throw new BudgetError('unknown_row', `Raden ${rowLabel(row, a.rowId)} finns inte i tabellen.`);
		if (sums.has(row.id)) {
			throw new BudgetError(
				'sum_row',
				`Raden ”${row.label}” är en summa och räknas fram. Ändra i stället raderna som den summerar.`
			);
		}
		for (const [column, value] of Object.entries(a.values)) {
			if (!columns.has(column)) {
				throw new BudgetError('unknown_column', `Kolumnen ”${column}” finns inte i tabellen.`);
			}
			const cells = proposed.get(row.id) ?? new Map<string, number | null>();
			proposed.set(row.id, cells);
			if (cells.has(column) && cells.get(column) !== value) {
				const existing = conflicts.find((c) => c.rowId === row.id && c.column === column);
				if (existing) existing.values.push(value);
				else conflicts.push({ rowId: row.id, column, values: [cells.get(column)!, value] });
			} else cells.set(column, value);
		}
	}

	const deltas = new Map<string, Record<string, number>>();
	const net: Record<string, number> = Object.fromEntries(table.columns.map((c) => [c, 0]));
	for (const [rowId, cells] of proposed) {
		const row = byId.get(rowId)!;
		const d: Record<string, number> = {};
		for (const [column, after] of cells) {
			const before = row.values[column] ?? null;
			const delta = round((after ?? 0) - (before ?? 0), Math.max(decimalsOf(after ?? 0), decimalsOf(before ?? 0)));
			d[column] = delta;
			net[column] = round(net[column] + delta, Math.max(decimalsOf(net[column]), decimalsOf(delta)));
		}
		deltas.set(rowId, d);
	}

	const visiting = new Set<string>();
	const sumDelta = (id: string): Record<string, number> => {
		const known = deltas.get(id);
		if (known) return known;
		const operands = sums.get(id);
		if (!operands) return {};
		if (visiting.has(id)) {
			throw new BudgetError('sum_cycle', `Summaraden ”${byId.get(id)?.label ?? id}” räknas ut från sig själv.`);
		}
		visiting.add(id);
		const d: Record<string, number> = {};
		for (const op of operands) {
			if (!byId.has(op)) {
				throw new BudgetError('unknown_row', `Summaraden ”${byId.get(id)?.label}” summerar raden ”${op}” som saknas.`);
			}
			for (const [column, v] of Object.entries(sumDelta(op))) {
				d[column] = round((d[column] ?? 0) + v, Math.max(decimalsOf(d[column] ?? 0), decimalsOf(v)));
			}
		}
		visiting.delete(id);
		deltas.set(id, d);
		return d;
	};

	const changes: CellChange[] = [];
	const rows = table.rows.map((row) => {
		const isSum = sums.has(row.id);
		const d = isSum ? sumDelta(row.id) : (deltas.get(row.id) ?? {});
		const cells = proposed.get(row.id);
		const values = { ...row.values };
		for (const column of table.columns) {
			const before = row.values[column] ?? null;
			let after: number | null;
			if (cells?.has(column)) after = cells.get(column)!;
			else if (isSum && d[column])
				after = round((before ?? 0) + d[column], Math.max(decimalsOf(before ?? 0), decimalsOf(d[column])));
			else continue;
			values[column] = after;
			if (after !== before)
				changes.push({ rowId: row.id, label: row.label, column, before, after, delta: d[column] ?? 0, isSum });
		}
		return { ...row, values };
	});

	return { table: { ...table, rows }, changes, net, conflicts };
}

// ---- Swedish numbers -----------------------------------------------------------------------------

const MINUS = /^[-\u2212\u2013]/;
const NUMBER_RE = /^([-\u2212\u2013+])?(\d{1,3}(?:[ \u00A0\u2009\u202F]\d{3})+|\d+)(?:[,.](\d+))?$/;

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * Reads a number as a Swede writes it: decimal comma (a point is accepted too), the minus sign
 * "−" (U+2212), a hyphen or an en dash as minus, and spaces, no-break or thin spaces between digit
 * groups. An empty input is null (an empty cell).
 */
export function tryParseSwedishNumber(input: string): ParsedNumber {
	const s = input.trim();
	if (s === '') return { ok: true, value: null };
	const m = NUMBER_RE.exec(s);
	if (!m) {
		return { ok: false, message: `”${s}” är inte ett tal. Skriv till exempel 280,7 eller −5,0.` };
	}
	const digits = m[2].replace(/[ \u00A0\u2009\u202F]/g, '');
	const value = Number(`${digits}${m[3] ? `.${m[3]}` : ''}`);
	const negative = m[1] !== undefined && MINUS.test(m[1]);
	return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** Like tryParseSwedishNumber, but throws a BudgetError with a Swedish message. */
export function parseSwedishNumber(input: string): number | null {
	const r = tryParseSwedishNumber(input);
	if (!r.ok) throw new BudgetError('invalid_number', r.message);
	return r.value;
}

export interface FormatOptions {
	/** digits after the comma; default 1, the mnkr convention of the budget documents */
	decimals?: number;
	/** write "+" before positive numbers (for changes); zero never gets a sign */
	signed?: boolean;
}

/**
 * Writes "285,7", "−5,0", "1 300,0": decimal comma, the minus sign U+2212, and a no-break space
 * between digit groups so a number never breaks across lines.
 */
export function formatSwedishNumber(value: number, options: FormatOptions = {}): string {
	const decimals = options.decimals ?? 1;
	const rounded = round(value, decimals);
	const [int, frac] = Math.abs(rounded).toFixed(decimals).split('.');
	const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00A0');
	const sign = rounded < 0 ? '\u2212' : rounded > 0 && options.signed ? '+' : '';
	return `${sign}${grouped}${frac ? `,${frac}` : ''}`;
}

/** "280,7 mnkr"; an empty cell is written as a dash. */
export function formatAmount(value: number | null, unit = 'mnkr', options: FormatOptions = {}): string {
	if (value === null) return '–';
	return `${formatSwedishNumber(value, options)} ${unit}`;
}
