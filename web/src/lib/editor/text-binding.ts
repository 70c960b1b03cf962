import type * as Y from 'yjs';

type Delta = readonly { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Turns "the input now reads `next`" into the smallest Yjs edit: one delete and one insert between
 * the common prefix and suffix. Replacing the whole text instead would wipe concurrent edits.
 */
export function applyStringChange(text: Y.Text, next: string): void {
	const prev = text.toString();
	if (prev === next) return;
	let start = 0;
	const max = Math.min(prev.length, next.length);
	while (start < max && prev[start] === next[start]) start++;
	let endPrev = prev.length;
	let endNext = next.length;
	while (endPrev > start && endNext > start && prev[endPrev - 1] === next[endNext - 1]) {
		endPrev--;
		endNext--;
	}
	const run = () => {
		if (endPrev > start) text.delete(start, endPrev - start);
		if (endNext > start) text.insert(start, next.slice(start, endNext));
	};
	if (text.doc) text.doc.transact(run);
	else run();
}

/** Where a caret at `index` ends up after a remote change; text inserted exactly at the caret goes after it. */
export function transformIndex(index: number, delta: Delta): number {
	// Walk the old text: inserts and deletes before the caret move it, anything after does not.
	let oldPos = 0;
	let shift = 0;
	for (const op of delta) {
		if (oldPos > index) break;
		if (op.retain !== undefined) {
			oldPos += op.retain;
		} else if (op.insert !== undefined) {
			if (oldPos < index) shift += typeof op.insert === 'string' ? op.insert.length : 1;
		} else if (op.delete !== undefined) {
			if (oldPos < index) shift -= Math.min(op.delete, index - oldPos);
			oldPos += op.delete;
		}
	}
	return Math.max(0, index + shift);
}
