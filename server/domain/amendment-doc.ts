import * as Y from 'yjs';
import {
	amendmentsArray,
	appendBlocks,
	fragmentText,
	paragraphs,
	pointsArray,
	readAmendments,
	type AmendmentContent,
	type AmendmentOp,
	type DecisionLevel
} from './draft-doc';
import { insertPoint, levelOf, orderKeyOf, setOrderKey } from './point-order';

/**
 * Writing amendments into a draft's Y.Doc, and keeping the decision points they become in step.
 * The server (creating, rebasing) and the browser (editing, removing) use the same functions.
 *
 * A generated point is a point map like any other ({ id, level, content }) plus `amendmentId`, so
 * exports, numbering and moving between levels treat it as a point. Its text is never edited in
 * place: it is rewritten by replacing the whole map, because two clients rewriting a fragment at
 * once would each insert the new text and the merge would hold it twice. Two replaced maps with the
 * same id are duplicates that every client removes the same way (the later copy goes).
 */

export interface NewAmendment {
	id: string;
	baselineItemId: string;
	baselineVersion: number;
	op: AmendmentOp;
	field?: string;
	/** the starting text: the baseline text for a change, empty for a strike or a new item */
	text: string;
	/** the starting amounts, for op amounts */
	values?: Record<string, number | null>;
}

/**
 * Texts are written after the maps join the document: Yjs reads a fragment's length to append,
 * which a type not yet in a document cannot answer.
 */
function fill(m: Y.Map<unknown>, text: string): void {
	const content = m.get('content');
	if (text && content instanceof Y.XmlFragment) appendBlocks(content, paragraphs(text));
}

function emptyAmendmentMap(a: NewAmendment): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('id', a.id);
	m.set('baselineItemId', a.baselineItemId);
	m.set('baselineVersion', a.baselineVersion);
	m.set('op', a.op);
	if (a.field) m.set('field', a.field);
	m.set('content', new Y.XmlFragment());
	m.set('values', new Y.Map<number | null>());
	return m;
}

export function amendmentMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
	return (
		amendmentsArray(doc)
			.toArray()
			.find((m) => m.get('id') === id) ?? null
	);
}

export function addAmendment(doc: Y.Doc, a: NewAmendment): void {
	doc.transact(() => {
		const m = emptyAmendmentMap(a);
		amendmentsArray(doc).push([m]);
		fill(m, a.text);
		const values = m.get('values') as Y.Map<number | null>;
		for (const [column, v] of Object.entries(a.values ?? {})) values.set(column, v);
	});
}

/** Removes the amendment and its generated point. */
export function removeAmendment(doc: Y.Doc, id: string): void {
	doc.transact(() => {
		const arr = amendmentsArray(doc);
		const i = arr.toArray().findIndex((m) => m.get('id') === id);
		if (i >= 0) arr.delete(i, 1);
		const points = pointsArray(doc);
		for (let j = points.length - 1; j >= 0; j--) if (points.get(j).get('amendmentId') === id) points.delete(j, 1);
	});
}

/** Replaces the amendment's text (a rebase carrying it over to a new baseline wording). */
export function replaceAmendmentText(m: Y.Map<unknown>, text: string): void {
	const content = m.get('content');
	if (!(content instanceof Y.XmlFragment)) return;
	if (fragmentText(content) === text) return;
	content.delete(0, content.length);
	appendBlocks(content, paragraphs(text));
}

/** Sets the proposed amounts to exactly these columns. */
export function replaceAmendmentValues(m: Y.Map<unknown>, values: Record<string, number | null>): void {
	let map = m.get('values');
	if (!(map instanceof Y.Map)) {
		map = new Y.Map<number | null>();
		m.set('values', map);
	}
	const vm = map as Y.Map<number | null>;
	for (const key of [...vm.keys()]) if (!(key in values)) vm.delete(key);
	for (const [column, v] of Object.entries(values)) if (vm.get(column) !== v) vm.set(column, v);
}

/** Sets one proposed amount; null empties the cell. */
export function setAmendmentValue(m: Y.Map<unknown>, column: string, value: number | null): void {
	const vm = m.get('values');
	if (vm instanceof Y.Map) {
		if (vm.get(column) !== value) vm.set(column, value);
	} else replaceAmendmentValues(m, { [column]: value });
}

export function generatedPointId(amendmentId: string): string {
	return `amendment-${amendmentId}`;
}

function pointMap(id: string, amendmentId: string, level: DecisionLevel): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('id', id);
	m.set('level', level);
	m.set('amendmentId', amendmentId);
	m.set('content', new Y.XmlFragment());
	return m;
}

/** The point an amendment becomes, or null when it cannot be written yet (its baseline item is not known). */
export type PointFor = (a: AmendmentContent) => { level: DecisionLevel; text: string } | null;

/**
 * Brings the generated points in line with the amendments: adds missing ones, rewrites those whose
 * text no longer matches, removes those whose amendment is gone and duplicates of one point. A
 * point the user moved keeps its place and level. Returns true when it changed the document.
 */
export function syncAmendmentPoints(doc: Y.Doc, pointFor: PointFor): boolean {
	let changed = false;
	doc.transact(() => {
		const points = pointsArray(doc);
		const amendments = readAmendments(doc);
		const live = new Set(amendments.map((a) => a.id));
		const seen = new Set<string>();
		const drop: number[] = [];
		points.toArray().forEach((m, i) => {
			const aid = m.get('amendmentId');
			if (typeof aid !== 'string') return;
			// The first copy of an id in the array stays; later copies and orphans go.
			if (!live.has(aid) || seen.has(aid)) drop.push(i);
			seen.add(aid);
		});
		for (const i of drop.reverse()) points.delete(i, 1);
		if (drop.length) changed = true;
		for (const a of amendments) {
			const want = pointFor(a);
			if (!want) continue;
			const id = generatedPointId(a.id);
			const all = points.toArray();
			const at = all.findIndex((m) => m.get('amendmentId') === a.id);
			if (at < 0) {
				const m = pointMap(id, a.id, want.level);
				insertPoint(points, m, want.level);
				fill(m, want.text);
				changed = true;
				continue;
			}
			const existing = all[at];
			const content = existing.get('content');
			if (content instanceof Y.XmlFragment && fragmentText(content) === want.text) continue;
			const m = pointMap(id, a.id, levelOf(existing));
			// A rewrite keeps the point's place.
			setOrderKey(m, orderKeyOf(existing));
			points.delete(at, 1);
			points.insert(at, [m]);
			fill(m, want.text);
			changed = true;
		}
	});
	return changed;
}
