import { applyBudgetAmendments, type BudgetTable, type CellChange } from './budget';
import { combineAmendments } from './collisions';
import { diffText, sameWords, type DiffOptions, type TextDiff } from './diff';
import type { AmendmentOp } from './draft-doc';
import { rebaseAmounts, rebaseText } from './rebase';

/**
 * The consolidated preview: the baseline with a chosen set of amendments applied ("if the SD
 * yrkande passes"), item by item, with the diff of every item against the baseline. Pure: the
 * caller loads the items and picks the amendments; export renders the result.
 */

export interface BaseItem {
	id: string;
	text: string;
	/** amounts per column, for budget rows */
	values?: Record<string, number | null>;
}

export interface PreviewAmendment {
	id: string;
	baselineItemId: string;
	op: AmendmentOp;
	text: string;
	values: Record<string, number | null>;
	/** the item's text the amendment was written against, when it may differ from the current one */
	baseText?: string;
	/** the item's amounts the amendment was written against, likewise */
	baseValues?: Record<string, number | null>;
}

export const previewStatuses = [
	/** no chosen amendment touches the item */
	'unchanged',
	/** its text or amounts are amended (or, for a sum row, follow from amended rows) */
	'changed',
	/** the item is struck */
	'struck',
	/** a new item added after a baseline item */
	'inserted'
] as const;
export type PreviewStatus = (typeof previewStatuses)[number];

export interface PreviewItem {
	/** the baseline item's id; for an inserted item, the id of the amendment that adds it */
	id: string;
	status: PreviewStatus;
	/** for an inserted item: the baseline item it follows */
	after?: string;
	/** the resulting text ('' when struck) */
	text: string;
	values?: Record<string, number | null>;
	/** the resulting text against the baseline text */
	diff: TextDiff;
	/** amount changes against the baseline, for budget rows */
	valueChanges: Omit<CellChange, 'rowId' | 'label'>[];
	/** the amendments that shaped this item */
	amendmentIds: string[];
}

export const previewConflictReasons = [
	/** two amendments change the same words: only the first is applied */
	'overlap',
	/** an item is struck and also changed: the first of them is applied */
	'struck',
	/** two amendments set the same amount differently: the first is applied */
	'same_cell',
	/** the item changed since the amendment was written and the change cannot be carried over */
	'stale',
	/** the amendment's item is not in the baseline */
	'unknown_item'
] as const;
export type PreviewConflictReason = (typeof previewConflictReasons)[number];

export interface PreviewConflict {
	itemId: string;
	reason: PreviewConflictReason;
	/** the amendments left out */
	amendmentIds: string[];
	/** the applied amendments they conflict with */
	conflictsWith: string[];
	message: string;
}

export interface Preview {
	items: PreviewItem[];
	conflicts: PreviewConflict[];
}

const messages: Record<PreviewConflictReason, string> = {
	overlap: 'Ändringen gäller samma ord som en annan vald ändring och har inte tagits med.',
	struck: 'Punkten stryks av en annan vald ändring, så ändringen har inte tagits med.',
	same_cell: 'Ändringen sätter ett belopp som en annan vald ändring redan sätter och har inte tagits med.',
	stale: 'Underlaget har ändrats sedan ändringen skrevs och den kan inte föras över automatiskt.',
	unknown_item: 'Ändringen gäller en punkt som inte finns i underlaget.'
};

interface Working {
	item: BaseItem;
	struck: string | null;
	texts: { id: string; text: string }[];
	values: Record<string, number | null>;
	valueOwners: Record<string, string>;
	amendmentIds: string[];
	inserted: PreviewAmendment[];
}

/**
 * Applies the amendments in the given order; where two of them cannot both apply, the earlier one
 * wins and the later one is reported as a conflict. Give `tables` to have sum rows (which are items
 * too) follow the amended rows.
 */
export function consolidatedPreview(
	items: BaseItem[],
	amendments: PreviewAmendment[],
	options: DiffOptions & { tables?: BudgetTable[] } = {}
): Preview {
	const conflicts: PreviewConflict[] = [];
	const conflict = (itemId: string, reason: PreviewConflictReason, ids: string[], withIds: string[]) =>
		conflicts.push({ itemId, reason, amendmentIds: ids, conflictsWith: withIds, message: messages[reason] });

	const work = new Map<string, Working>();
	for (const item of items) {
		work.set(item.id, {
			item,
			struck: null,
			texts: [],
			values: {},
			valueOwners: {},
			amendmentIds: [],
			inserted: []
		});
	}

	for (const a of amendments) {
		const w = work.get(a.baselineItemId);
		if (!w) {
			conflict(a.baselineItemId, 'unknown_item', [a.id], []);
			continue;
		}
		if (a.op === 'insert_after') {
			w.inserted.push(a);
			continue;
		}
		if (w.struck) {
			conflict(w.item.id, 'struck', [a.id], [w.struck]);
			continue;
		}
		if (a.op === 'strike') {
			const touching = [...w.texts.map((t) => t.id), ...Object.values(w.valueOwners)];
			if (touching.length > 0) {
				conflict(w.item.id, 'struck', [a.id], [...new Set(touching)]);
				continue;
			}
			w.struck = a.id;
			w.amendmentIds.push(a.id);
		} else if (a.op === 'change') {
			let text = a.text;
			if (a.baseText !== undefined && !sameWords(a.baseText, w.item.text)) {
				const r = rebaseText(a.baseText, w.item.text, a.text, options);
				if (r.status === 'stale') {
					conflict(w.item.id, 'stale', [a.id], []);
					continue;
				}
				text = r.text;
			}
			w.texts.push({ id: a.id, text });
		} else {
			let values = a.values;
			if (a.baseValues) {
				const r = rebaseAmounts(a.baseValues, w.item.values ?? {}, a.values);
				if (r.status === 'stale') {
					conflict(w.item.id, 'stale', [a.id], []);
					continue;
				}
				values = r.values;
			}
			const clashes = Object.entries(values).filter(
				([c, v]) => c in w.values && w.valueOwners[c] !== undefined && w.values[c] !== v
			);
			if (clashes.length > 0) {
				conflict(w.item.id, 'same_cell', [a.id], [...new Set(clashes.map(([c]) => w.valueOwners[c]))]);
				continue;
			}
			for (const [c, v] of Object.entries(values)) {
				w.values[c] = v;
				w.valueOwners[c] ??= a.id;
			}
			w.amendmentIds.push(a.id);
		}
	}

	// Text changes of one item are combined as collisions.ts does; the first of two that touch the
	// same words wins.
	const texts = new Map<string, string>();
	for (const w of work.values()) {
		if (w.texts.length === 0) continue;
		const combined = combineAmendments(w.item.text, w.texts, options);
		for (const r of combined.rejected) conflict(w.item.id, 'overlap', [r.id], r.collidesWith);
		w.amendmentIds.push(...combined.applied);
		texts.set(w.item.id, combined.text);
	}

	// Sum rows follow the amended rows of their table.
	const sumChanges = new Map<string, CellChange[]>();
	for (const table of options.tables ?? []) {
		const rowAmendments = table.rows
			.map((r) => work.get(r.id))
			.filter((w): w is Working => !!w && Object.keys(w.values).length > 0)
			.map((w) => ({ rowId: w.item.id, values: w.values }));
		if (rowAmendments.length === 0) continue;
		for (const change of applyBudgetAmendments(table, rowAmendments).changes) {
			if (!change.isSum) continue;
			sumChanges.set(change.rowId, [...(sumChanges.get(change.rowId) ?? []), change]);
		}
	}

	const out: PreviewItem[] = [];
	for (const w of work.values()) {
		const { item } = w;
		const text = w.struck ? '' : (texts.get(item.id) ?? item.text);
		const valueChanges: PreviewItem['valueChanges'] = [];
		let values = item.values;
		if (!w.struck && item.values) {
			values = { ...item.values };
			for (const [column, after] of Object.entries(w.values)) {
				const before = item.values[column] ?? null;
				if (before === after) continue;
				values[column] = after;
				valueChanges.push({ column, before, after, delta: subtract(after, before), isSum: false });
			}
			for (const s of sumChanges.get(item.id) ?? []) {
				values[s.column] = s.after;
				valueChanges.push({ column: s.column, before: s.before, after: s.after, delta: s.delta, isSum: true });
			}
		}
		const diff = diffText(item.text, text, options);
		const status: PreviewStatus = w.struck
			? 'struck'
			: diff.changed || valueChanges.length > 0
				? 'changed'
				: 'unchanged';
		out.push({
			id: item.id,
			status,
			text,
			...(values ? { values } : {}),
			diff,
			valueChanges,
			amendmentIds: w.amendmentIds
		});
		for (const a of w.inserted) {
			out.push({
				id: a.id,
				status: 'inserted',
				after: item.id,
				text: a.text,
				diff: diffText('', a.text, options),
				valueChanges: [],
				amendmentIds: [a.id]
			});
		}
	}
	return { items: out, conflicts };
}

function subtract(after: number | null, before: number | null): number {
	const d = (after ?? 0) - (before ?? 0);
	// Amounts carry at most a few decimals; drop the float noise of 280,7 − 285,7.
	const r = Math.round(d * 1e6) / 1e6;
	return r === 0 ? 0 : r;
}
