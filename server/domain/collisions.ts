import {
	applyChanges,
	changesAgainst,
	overlapOf,
	prepareText,
	sameChange,
	sameWords,
	spanOf,
	type BaseSpan,
	type DiffOptions,
	type PreparedText,
	type TextChange
} from './diff';

/** An amendment of one item's text, as far as collisions care. */
export interface TextAmendment {
	id: string;
	/** Amendments of the same draft never collide with each other: the draft's authors settle that. */
	draftId: string;
	party?: string;
	/** The baseline text the amendment was written against. */
	baseText: string;
	/** The amended text ('' strikes the whole text). */
	text: string;
}

export interface Collision {
	/** amendment ids, in input order */
	a: string;
	b: string;
	/** Where both change the same words of the base, in base offsets; ordered, not overlapping. */
	spans: BaseSpan[];
}

export interface CollisionReport {
	collisions: Collision[];
	/**
	 * Pairs that cannot be compared because they were written against different wordings of the item:
	 * one of them must be rebased first.
	 */
	uncomparable: { a: string; b: string }[];
}

interface Prepared {
	amendment: TextAmendment;
	base: PreparedText;
	changes: TextChange[];
}

function prepareAll(amendments: TextAmendment[], options: DiffOptions): Prepared[] {
	// Most amendments of an item share one base text: cut it into tokens once.
	const bases: PreparedText[] = [];
	return amendments.map((amendment) => {
		let base = bases.find((b) => b.text === amendment.baseText);
		if (!base) {
			base = prepareText(amendment.baseText);
			bases.push(base);
		}
		return { amendment, base, changes: changesAgainst(base, amendment.text, options) };
	});
}

function overlapSpans(base: PreparedText, xs: TextChange[], ys: TextChange[]): BaseSpan[] {
	const ranges: { w0: number; w1: number }[] = [];
	for (const x of xs) {
		for (const y of ys) {
			// The same edit proposed twice is agreement, not a collision.
			if (sameChange(x, y)) continue;
			const o = overlapOf(x, y);
			if (o) ranges.push(o);
		}
	}
	ranges.sort((p, q) => p.w0 - q.w0 || p.w1 - q.w1);
	const merged: { w0: number; w1: number }[] = [];
	for (const r of ranges) {
		const last = merged[merged.length - 1];
		if (last && r.w0 < last.w1) last.w1 = Math.max(last.w1, r.w1);
		else if (!last || r.w0 !== last.w0 || r.w1 !== last.w1) merged.push({ ...r });
	}
	return merged.map((r) => spanOf(base, r.w0, r.w1));
}

/**
 * Flags every pair of amendments from different drafts that change overlapping words of the same
 * item, with the overlapping span in the base. Two insertions at the same place collide too (their
 * order is a political choice); edits that only border each other do not.
 */
export function findCollisions(amendments: TextAmendment[], options: DiffOptions = {}): CollisionReport {
	const prepared = prepareAll(amendments, options);
	const collisions: Collision[] = [];
	const uncomparable: { a: string; b: string }[] = [];
	for (let i = 0; i < prepared.length; i++) {
		for (let j = i + 1; j < prepared.length; j++) {
			const x = prepared[i];
			const y = prepared[j];
			if (x.amendment.draftId === y.amendment.draftId) continue;
			if (x.base !== y.base) {
				if (!sameWords(x.base.text, y.base.text)) {
					uncomparable.push({ a: x.amendment.id, b: y.amendment.id });
					continue;
				}
				// Same words, different whitespace: compare on one base.
				y.changes = changesAgainst(x.base, y.amendment.text, options);
				y.base = x.base;
			}
			const spans = overlapSpans(x.base, x.changes, y.changes);
			if (spans.length > 0) collisions.push({ a: x.amendment.id, b: y.amendment.id, spans });
		}
	}
	return { collisions, uncomparable };
}

export interface CombineResult {
	text: string;
	/** ids whose changes are all in the text */
	applied: string[];
	/** ids left out, with the already applied amendments they collide with */
	rejected: { id: string; collidesWith: string[] }[];
}

/**
 * Combines changes to separate parts of one item into one text. Amendments are taken in the given
 * order; one that collides with an already taken amendment is left out whole, never half applied.
 */
export function combineAmendments(
	baseText: string,
	amendments: { id: string; text: string }[],
	options: DiffOptions = {}
): CombineResult {
	const base = prepareText(baseText);
	const taken: { id: string; changes: TextChange[] }[] = [];
	const rejected: CombineResult['rejected'] = [];
	for (const amendment of amendments) {
		const changes = changesAgainst(base, amendment.text, options);
		const collidesWith = taken
			.filter((t) => t.changes.some((x) => changes.some((y) => !sameChange(x, y) && overlapOf(x, y) !== null)))
			.map((t) => t.id);
		if (collidesWith.length > 0) rejected.push({ id: amendment.id, collidesWith });
		else taken.push({ id: amendment.id, changes });
	}
	return {
		text: applyChanges(
			base,
			taken.flatMap((t) => t.changes)
		),
		applied: taken.map((t) => t.id),
		rejected
	};
}
