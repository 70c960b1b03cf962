import type { ItemKind, ItemReference, PointInput } from './amendment-points';
import { walkItems, type BaselineItem, type BaselineItemKind, type FieldValue } from './baseline';
import { budgetTableFromItem, sumStructure, type BudgetTable } from './budget';
import type { AmendmentOp, DecisionLevel } from './draft-doc';

/**
 * What an amendment can point at in a baseline, and the text it is measured against. An amendment
 * names a baseline item and, for items made of named parts (a mål's "Stadsledningskontorets
 * planering", a risk's "Planerade åtgärder"), optionally one part. Server and web both read targets
 * through here, so the text an amendment starts from, the text its diff is taken against and the
 * decision point it becomes are the same everywhere.
 */

/** Item kinds a party can propose to change. Headings, tables as a whole and party documents are not. */
export const amendableKinds: readonly BaselineItemKind[] = [
	'decision_point',
	'goal',
	'direction',
	'assignment',
	'risk',
	'control',
	'paragraph',
	'list_item',
	'table_row',
	'timeplan_row'
];

/** Kinds whose named parts can be amended one by one. */
const kindsWithParts: readonly BaselineItemKind[] = ['goal', 'direction', 'assignment', 'risk', 'control'];

/** Parts that are bookkeeping of the document rather than proposals: nobody amends a Budgetår. */
const NOT_AMENDABLE_PARTS = new Set(['Budgetår', 'Ärende', 'Status', 'Källa']);

export const opLabels: Record<AmendmentOp, string> = {
	change: 'Ändra texten',
	strike: 'Stryk',
	insert_after: 'Lägg till ny punkt efter',
	amounts: 'Ändra belopp'
};

/** A key for one amendable text: the item, or one named part of it. */
export function targetKey(itemId: string, field?: string): string {
	return field ? `${itemId}#${field}` : itemId;
}

export function fieldText(value: FieldValue | undefined): string {
	if (value === undefined) return '';
	return Array.isArray(value) ? value.join('\n\n') : value;
}

/** The named parts of an item that can be amended, in document order. */
export function amendableParts(item: BaselineItem): string[] {
	if (!kindsWithParts.includes(item.kind) || !item.fields) return [];
	return Object.entries(item.fields)
		.filter(([name, v]) => !NOT_AMENDABLE_PARTS.has(name) && fieldText(v).trim().length > 0)
		.map(([name]) => name);
}

/** A budget row: a table row with numbers, not a heading of a group of rows. */
export function isBudgetRow(item: BaselineItem): boolean {
	return item.kind === 'table_row' && !!item.values && Object.keys(item.values).length > 0;
}

/**
 * The operations a target allows. A sum row of a table is not amended: it follows from the rows it
 * sums, and applyBudgetAmendments refuses it.
 */
export function opsFor(located: Located, field?: string): AmendmentOp[] {
	const { item } = located;
	if (!amendableKinds.includes(item.kind)) return [];
	if (item.kind === 'table_row') {
		if (field || !isBudgetRow(item)) return [];
		const table = tableOf(located);
		return table && sumStructure(table.budget).has(item.id) ? [] : ['amounts'];
	}
	if (field) return amendableParts(item).includes(field) ? ['change', 'strike'] : [];
	return ['change', 'strike', 'insert_after'];
}

/**
 * The text an amendment of the target is measured against: a part's text, an item's own text, or,
 * for items that are a statement (a mål, a risk), their title.
 */
export function targetText(item: BaselineItem, field?: string): string {
	if (field) return fieldText(item.fields?.[field]);
	switch (item.kind) {
		case 'goal':
		case 'risk':
		case 'control':
		case 'table_row':
			return item.title ?? item.text ?? '';
		default:
			return item.text ?? item.title ?? '';
	}
}

/** An item with the items above it, outermost first. */
export interface Located {
	item: BaselineItem;
	ancestors: BaselineItem[];
	/** place in document order over the whole tree */
	position: number;
}

/** Every item of a tree by id, with its ancestors; build once per version and look up many times. */
export function indexTree(items: readonly BaselineItem[]): Map<string, Located> {
	const index = new Map<string, Located>();
	const path: BaselineItem[] = [];
	let position = 0;
	for (const { item, depth } of walkItems(items)) {
		path.length = depth;
		index.set(item.id, { item, ancestors: path.slice(), position: position++ });
		path.push(item);
	}
	return index;
}

/** The economic table a row belongs to, with rows keyed by the baseline items' ids. */
export function tableOf(located: Located): { table: BaselineItem; budget: BudgetTable } | null {
	const table = [...located.ancestors].reverse().find((a) => a.kind === 'table');
	return table ? { table, budget: budgetTableFromItem(table) } : null;
}

const pointKinds: Partial<Record<BaselineItemKind, ItemKind>> = {
	decision_point: 'decision_point',
	goal: 'goal',
	direction: 'direction',
	assignment: 'assignment',
	risk: 'risk',
	table_row: 'budget_row'
};

/** "Stadsledningskontoret" → "stadsledningskontorets förslag": whose proposal the baseline is. */
export function proposalSource(issuer: string | undefined): string {
	const name = issuer?.trim();
	if (!name) return 'stadsledningskontorets förslag';
	const lower = /^\p{Lu}\p{Ll}/u.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
	return `${lower}${/s$/i.test(lower) ? '' : 's'} förslag`;
}

/**
 * How a decision point refers to the target. Items without a name of their own (a paragraph, an
 * inriktning, an uppdrag) are named by their opening words, which amendment-points shortens.
 */
export function itemReference(located: Located, field: string | undefined, issuer?: string): ItemReference {
	const { item, ancestors } = located;
	const kind = pointKinds[item.kind] ?? 'text';
	const ref: ItemReference = { kind, source: proposalSource(issuer) };
	if (item.kind === 'decision_point') {
		ref.number = item.label ?? undefined;
		ref.level = item.level ?? 'ks';
		return ref;
	}
	if (item.kind === 'table_row') {
		const parent = ancestors[ancestors.length - 1];
		ref.title = item.title ?? '';
		// A row of a group ("Stadsledningskontoret") is named by its group; a row of the table itself by the table.
		const group = parent && parent.kind === 'table_row' ? parent : parent?.kind === 'table' ? parent : undefined;
		if (group?.title) ref.section = group.title;
		return ref;
	}
	const name = item.kind === 'goal' || item.kind === 'risk' || item.kind === 'control' ? item.title : item.text;
	if (name) ref.title = name;
	if (field) ref.section = field;
	return ref;
}

/** The decision level an amendment's point starts at: a decision point's own, otherwise KS. */
export function defaultLevel(item: BaselineItem): DecisionLevel {
	return item.kind === 'decision_point' && item.level ? item.level : 'ks';
}

/** What amendmentPoint needs to write the decision point of one amendment. */
export function pointInput(
	located: Located,
	field: string | undefined,
	amendment: { op: AmendmentOp; text: string; values: Record<string, number | null> },
	issuer?: string
): PointInput {
	const { item } = located;
	return {
		item: {
			...itemReference(located, field, issuer),
			level: defaultLevel(item),
			text: targetText(item, field),
			...(item.values ? { values: item.values } : {})
		},
		amendment
	};
}

/** A short name of the target for headings and lists: "Mål: Göteborg ska … – Stadsledningskontorets planering". */
export function targetTitle(item: BaselineItem, field?: string, maxChars = 110): string {
	const base =
		item.kind === 'decision_point'
			? `Punkt ${item.label ?? '?'}`
			: (item.title ?? item.text ?? '').replace(/\s+/g, ' ').trim();
	const short = base.length > maxChars ? `${base.slice(0, maxChars - 1).trimEnd()}…` : base;
	return field ? `${short} – ${field}` : short;
}
