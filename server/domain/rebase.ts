import {
	applyChanges,
	changesAgainst,
	overlapOf,
	prepareText,
	sameChange,
	sameWords,
	spanOf,
	type BaseSpan,
	type DiffOptions
} from './diff';
import type { AmendmentOp } from './draft-doc';

export const rebaseStatuses = [
	/** the item did not change: the amendment stands as written */
	'valid',
	/** the item changed and the amendment was carried over to the new wording without conflict */
	'rebased',
	/** the item changed where the amendment changes it too: the author must resolve it */
	'stale'
] as const;
export type RebaseStatus = (typeof rebaseStatuses)[number];

export interface TextConflict {
	/** where both edits touch, in the old base */
	span: BaseSpan;
	/** what the new baseline did there */
	baseline: { deleted: string; inserted: string };
	/** what the amendment did there */
	amendment: { deleted: string; inserted: string };
}

export type TextRebase =
	| { status: 'valid'; text: string }
	| {
			status: 'rebased';
			text: string;
			/** false when the new baseline already says what the amendment said: nothing left to propose */
			stillChanges: boolean;
	  }
	| {
			status: 'stale';
			/** the new baseline wording and the amendment as written: both are shown to the author */
			baseText: string;
			amendmentText: string;
			oldBaseText: string;
			conflicts: TextConflict[];
	  };

/**
 * Three-way merge at word level of (old base → new base) with (old base → amendment). Edits to
 * different words combine; the same edit made on both sides counts once; edits to the same words
 * (or two insertions at one place) are a conflict. Whitespace-only changes of the base leave the
 * amendment valid.
 */
export function rebaseText(oldBase: string, newBase: string, amended: string, options: DiffOptions = {}): TextRebase {
	return rebaseTexts(oldBase, newBase, [amended], options)[0];
}

/**
 * rebaseText for every amendment of one item at once, as when the baseline gets a new version: the
 * baseline's own change is worked out once, not once per amendment.
 */
export function rebaseTexts(
	oldBase: string,
	newBase: string,
	amended: string[],
	options: DiffOptions = {}
): TextRebase[] {
	const base = prepareText(oldBase);
	const next = prepareText(newBase);
	if (sameWords(base, next)) return amended.map((text) => ({ status: 'valid', text }));
	const theirs = changesAgainst(base, next, options);
	return amended.map((text): TextRebase => {
		const ours = changesAgainst(base, text, options);
		const conflicts: TextConflict[] = [];
		for (const t of theirs) {
			for (const o of ours) {
				if (sameChange(t, o)) continue;
				const overlap = overlapOf(t, o);
				if (!overlap) continue;
				conflicts.push({
					span: spanOf(base, overlap.w0, overlap.w1),
					baseline: { deleted: t.deleted, inserted: t.inserted },
					amendment: { deleted: o.deleted, inserted: o.inserted }
				});
			}
		}
		if (conflicts.length > 0) {
			return { status: 'stale', baseText: newBase, amendmentText: text, oldBaseText: oldBase, conflicts };
		}
		// The merge equals the new baseline exactly when the baseline already made every edit of ours.
		const stillChanges = ours.some((o) => !theirs.some((t) => sameChange(t, o)));
		return { status: 'rebased', text: applyChanges(base, [...theirs, ...ours]), stillChanges };
	});
}

export type AmountValues = Record<string, number | null>;

export type AmountsRebase =
	| { status: 'valid'; values: AmountValues }
	| { status: 'rebased'; values: AmountValues }
	| {
			status: 'stale';
			/** the columns where the baseline and the amendment both changed the value, differently */
			conflicts: { column: string; oldBase: number | null; newBase: number | null; amendment: number | null }[];
			baseValues: AmountValues;
			amendmentValues: AmountValues;
	  };

/**
 * Three-way merge per column of a budget row. `amended` lists the amendment's values; a column it
 * does not list, or lists with the old baseline value, is not proposed for change and follows the
 * baseline. A rebased result lists only the columns still proposed for change.
 */
export function rebaseAmounts(oldBase: AmountValues, newBase: AmountValues, amended: AmountValues): AmountsRebase {
	const columns = new Set([...Object.keys(oldBase), ...Object.keys(newBase), ...Object.keys(amended)]);
	const unchanged = [...columns].every((c) => (oldBase[c] ?? null) === (newBase[c] ?? null));
	if (unchanged) return { status: 'valid', values: { ...amended } };
	const values: AmountValues = {};
	const conflicts: Extract<AmountsRebase, { status: 'stale' }>['conflicts'] = [];
	for (const c of columns) {
		const o = oldBase[c] ?? null;
		const n = newBase[c] ?? null;
		if (!(c in amended)) continue;
		const a = amended[c] ?? null;
		// Not proposed, or the new baseline already has the proposed value.
		if (a === o || a === n) continue;
		if (n === o) values[c] = a;
		else conflicts.push({ column: c, oldBase: o, newBase: n, amendment: a });
	}
	if (conflicts.length > 0) {
		return { status: 'stale', conflicts, baseValues: { ...newBase }, amendmentValues: { ...amended } };
	}
	return { status: 'rebased', values };
}

/** What a rebase needs to know of an amendment; matches the draft model's amendment entries. */
export interface RebasableAmendment {
	op: AmendmentOp;
	text: string;
	values: AmountValues;
}

/** The item as it was and as it is now; `now` is null when the new baseline no longer has the item. */
export interface ItemVersions {
	before: { text: string; values?: AmountValues };
	now: { text: string; values?: AmountValues } | null;
}

export type AmendmentRebase =
	| { status: 'valid' }
	| { status: 'rebased'; text?: string; values?: AmountValues; stillChanges: boolean }
	| {
			status: 'stale';
			reason: 'item_removed' | 'text_conflict' | 'amount_conflict';
			text?: Extract<TextRebase, { status: 'stale' }>;
			amounts?: Extract<AmountsRebase, { status: 'stale' }>;
	  };

/**
 * Checks one amendment after the baseline got a new version. A strike or a new item after the
 * target depends on the item existing, not on its words; a text change or new amounts are merged.
 */
export function rebaseAmendment(
	amendment: RebasableAmendment,
	item: ItemVersions,
	options: DiffOptions = {}
): AmendmentRebase {
	if (!item.now) return { status: 'stale', reason: 'item_removed' };
	switch (amendment.op) {
		case 'insert_after':
			return { status: 'valid' };
		case 'strike':
			// The party struck the old wording; striking the new one is the same proposal, but the
			// author should see that the wording changed.
			return sameWords(item.before.text, item.now.text)
				? { status: 'valid' }
				: { status: 'rebased', stillChanges: true };
		case 'change': {
			const r = rebaseText(item.before.text, item.now.text, amendment.text, options);
			if (r.status === 'valid') return { status: 'valid' };
			if (r.status === 'rebased') return { status: 'rebased', text: r.text, stillChanges: r.stillChanges };
			return { status: 'stale', reason: 'text_conflict', text: r };
		}
		case 'amounts': {
			const r = rebaseAmounts(item.before.values ?? {}, item.now.values ?? {}, amendment.values);
			if (r.status === 'valid') return { status: 'valid' };
			if (r.status === 'rebased') {
				return { status: 'rebased', values: r.values, stillChanges: Object.keys(r.values).length > 0 };
			}
			return { status: 'stale', reason: 'amount_conflict', amounts: r };
		}
	}
}
