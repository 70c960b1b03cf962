/**
 * The baseline of a case as a tree of addressable items: the tjänsteutlåtande's decision points, the
 * budget's mål, inriktningar, uppdrag and tables, the risk appendix, the time plan. Amendments,
 * comments and positions attach to an item's id, so ids stay stable across versions (see
 * baseline-match.ts). Pure TypeScript: the web imports it through `$domain`.
 */

export const baselineItemKinds = [
	/** a heading of the document (a bilaga, "2.1 Göteborgs stads övergripande mål", "Sammanfattning") */
	'section',
	/** an att-sats of "Förslag till beslut"; parties take positions on each one */
	'decision_point',
	/** a mål of the budget with its parts (Från genomförandeplanen, Nuläge, …) */
	'goal',
	/** an inriktning: a direction the board is to work in */
	'direction',
	/** an uppdrag ("… får i uppdrag att …") with its plan för rapportering */
	'assignment',
	/** an economic table; its rows are table_row children */
	'table',
	/** one row of an economic table: numbers by column; a row without values heads a group of rows */
	'table_row',
	/** a risk area of the samlad riskbild */
	'risk',
	/** an area of the internkontrollplan */
	'control',
	/** one row of the tid- och arbetsplan */
	'timeplan_row',
	/** running text */
	'paragraph',
	/** one entry of a bulleted or numbered list */
	'list_item',
	/** a party's yrkande or yttrande found in the case documents; becomes a submitted draft, not baseline */
	'party_document'
] as const;
export type BaselineItemKind = (typeof baselineItemKinds)[number];

export const baselineItemKindLabels: Record<BaselineItemKind, string> = {
	section: 'Rubrik',
	decision_point: 'Beslutspunkt',
	goal: 'Mål',
	direction: 'Inriktning',
	assignment: 'Uppdrag',
	table: 'Tabell',
	table_row: 'Tabellrad',
	risk: 'Riskområde',
	control: 'Kontrollområde',
	timeplan_row: 'Rad i tidplanen',
	paragraph: 'Stycke',
	list_item: 'Listpunkt',
	party_document: 'Partidokument'
};

/**
 * Decision level of a point, the same values as the draft model: `ks` – "I kommunstyrelsen", KS
 * decides itself; `ks_kf` – "I kommunstyrelsen och kommunfullmäktige", KS proposes to KF.
 */
export type DecisionLevel = 'ks' | 'ks_kf';

/** A named part of an item: running text, or a list (bullets, measures, styrdokument). */
export type FieldValue = string | string[];

/** An item as the parser produces it: everything but the id. */
export interface ParsedItem {
	kind: BaselineItemKind;
	/** its number in the document: "1", "2.1", "Bilaga 2" */
	label?: string;
	title?: string;
	text?: string;
	/** decision points only */
	level?: DecisionLevel;
	/** named parts, e.g. "Plan för rapportering", "Nuläge", "Planerade åtgärder" */
	fields?: Record<string, FieldValue>;
	/** tables only: the column names in order */
	columns?: string[];
	/** table rows only: the numbers by column name */
	values?: Record<string, number>;
	/** lines of the source text the item came from, 1-based and inclusive; not part of its content */
	source?: { from: number; to: number };
	children?: ParsedItem[];
}

export interface BaselineItem extends Omit<ParsedItem, 'children'> {
	id: string;
	children?: BaselineItem[];
}

/** Metadata of the tjänsteutlåtande. */
export interface BaselineMeta {
	title?: string;
	documentType?: string;
	issuer?: string;
	caseNumber?: string;
	/** date issued, YYYY-MM-DD */
	issued?: string;
	handlaggare?: string;
	phone?: string;
	email?: string;
}

export type ItemLike = ParsedItem | BaselineItem;

/** Depth-first, parents before children, with the parent and the index among siblings. */
export function* walkItems<T extends { children?: T[] }>(
	items: readonly T[],
	parent: T | null = null
): Generator<{ item: T; parent: T | null; index: number; depth: number }> {
	const stack: { list: readonly T[]; parent: T | null; i: number; depth: number }[] = [
		{ list: items, parent, i: 0, depth: 0 }
	];
	while (stack.length) {
		const top = stack[stack.length - 1];
		if (top.i >= top.list.length) {
			stack.pop();
			continue;
		}
		const index = top.i++;
		const item = top.list[index];
		yield { item, parent: top.parent, index, depth: top.depth };
		if (item.children?.length) stack.push({ list: item.children, parent: item, i: 0, depth: top.depth + 1 });
	}
}

export function countByKind(items: readonly ItemLike[]): Record<BaselineItemKind, number> {
	const counts = Object.fromEntries(baselineItemKinds.map((k) => [k, 0])) as Record<BaselineItemKind, number>;
	for (const { item } of walkItems<ItemLike>(items)) counts[item.kind]++;
	return counts;
}

export function findItem<T extends { id: string; children?: T[] }>(items: readonly T[], id: string): T | undefined {
	for (const { item } of walkItems(items)) if (item.id === id) return item;
	return undefined;
}

/** The item's own content, children excluded: what a diff compares and what matching hashes. */
export function ownContent(item: ItemLike) {
	return {
		kind: item.kind,
		label: item.label ?? null,
		title: item.title ?? null,
		text: item.text ?? null,
		level: item.level ?? null,
		fields: item.fields ?? null,
		columns: item.columns ?? null,
		values: item.values ?? null
	};
}

/** A canonical string of the item's own content; equal strings mean nothing to publish. */
export function contentKey(item: ItemLike): string {
	return JSON.stringify(ownContent(item), (_k, v) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: v
	);
}

/** A short human description of an item, for outlines, diffs and error messages. */
export function itemSummary(item: ItemLike, max = 120): string {
	const head = [item.label, item.title].filter(Boolean).join(' ');
	const body = item.text ?? '';
	const s = head && body ? `${head}: ${body}` : head || body;
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface SumCheck {
	/** the total row checked */
	rowId?: string;
	row: string;
	column: string;
	/** what the rows above add up to */
	expected: number;
	/** what the document says */
	actual: number;
	ok: boolean;
	/** what was added, in words */
	basis: string;
}

const totalTitles = /^(summa|total(t)?|resultat|netto|s:a)\b/i;

/**
 * Checks the sums of an economic table: each total row ("Total", "Summa", "Resultat") against the
 * rows above it in its group, and each row of the table's own group against the same row summed over
 * the sub-groups. Figures in mnkr are rounded to one decimal, so each added figure may be off by half
 * a unit in the last place.
 */
export function checkTableSums(table: ItemLike): SumCheck[] {
	const checks: SumCheck[] = [];
	const columns = table.columns ?? [];
	const rows = (table.children ?? []) as ItemLike[];
	const groupOf = (list: ItemLike[]) => list.filter((r) => r.kind === 'table_row' && r.values);
	const decimalsOf = (list: ItemLike[]) =>
		Math.max(0, ...list.flatMap((r) => Object.values(r.values ?? {}).map(decimals)));

	const checkGroup = (list: ItemLike[]) => {
		const valueRows = groupOf(list);
		const unit = 10 ** -decimalsOf(valueRows);
		let start = 0;
		valueRows.forEach((row, i) => {
			if (!totalTitles.test(row.title ?? '') || i === start) return;
			const above = valueRows.slice(start, i);
			for (const column of columns) {
				const actual = row.values?.[column];
				if (actual === undefined) continue;
				const expected = round(
					above.reduce((s, r) => s + (r.values?.[column] ?? 0), 0),
					6
				);
				checks.push({
					rowId: (row as { id?: string }).id,
					row: row.title ?? '',
					column,
					expected,
					actual,
					ok: Math.abs(expected - actual) <= (unit / 2) * (above.length + 1) + 1e-9,
					basis: above.map((r) => r.title).join(' + ')
				});
			}
			start = i + 1;
		});
	};

	checkGroup(rows);
	const groups = rows.filter((r) => r.kind === 'table_row' && !r.values && r.children?.length);
	for (const g of groups) checkGroup(g.children as ItemLike[]);

	// The table's own rows are the whole: each should be the sum of the same row over the groups.
	const own = groupOf(rows);
	if (groups.length >= 2) {
		for (const row of own) {
			const parts = groups
				.map((g) => (g.children as ItemLike[]).find((r) => r.title === row.title && r.values))
				.filter((r): r is ItemLike => !!r);
			if (parts.length < 2) continue;
			const unit = 10 ** -decimalsOf([row, ...parts]);
			for (const column of columns) {
				const actual = row.values?.[column];
				if (actual === undefined) continue;
				const expected = round(
					parts.reduce((s, r) => s + (r.values?.[column] ?? 0), 0),
					6
				);
				checks.push({
					rowId: (row as { id?: string }).id,
					row: row.title ?? '',
					column,
					expected,
					actual,
					ok: Math.abs(expected - actual) <= (unit / 2) * (parts.length + 1) + 1e-9,
					basis: `${row.title} i ${groups.map((g) => g.title).join(', ')}`
				});
			}
		}
	}
	return checks;
}

function decimals(n: number): number {
	const s = String(n);
	const i = s.indexOf('.');
	return i < 0 ? 0 : s.length - i - 1;
}

function round(n: number, places: number): number {
	const f = 10 ** places;
	return Math.round(n * f) / f;
}
