import * as Y from 'yjs';
import { pointsInReadingOrder } from './point-order';

/**
 * The shape of a draft's Y.Doc, shared by the server (projection, export, seed) and the web (editors).
 * Every co-edited text is a Y.XmlFragment in the Tiptap/ProseMirror schema of StarterKit, so one
 * editor component serves the title-less parts alike.
 *
 *   title        Y.Text         "Yrkande angående – Budget 2025 för kommunstyrelsen"
 *   meta         Y.Map          kind
 *   points       Y.Array<Y.Map> decision points: { id, level, order, content: Y.XmlFragment }, shown by order
 *                key within each level (point-order.ts)
 *   body         Y.XmlFragment  the motivation ("Yrkandet") or the statement text
 *   amendments   Y.Array<Y.Map> { id, baselineItemId, baselineVersion, op, field?, content: Y.XmlFragment, values: Y.Map }
 */

/** Decision level of a point: KS decides itself, or KS proposes to KF. */
export const decisionLevels = ['ks', 'ks_kf'] as const;
export type DecisionLevel = (typeof decisionLevels)[number];
export const decisionLevelHeadings: Record<DecisionLevel, string> = {
	ks: 'I kommunstyrelsen',
	ks_kf: 'I kommunstyrelsen och kommunfullmäktige'
};

export const amendmentOps = [
	/** new wording of the item */
	'change',
	/** strike the item */
	'strike',
	/** add a new item after it */
	'insert_after',
	/** new amounts in a budget row */
	'amounts'
] as const;
export type AmendmentOp = (typeof amendmentOps)[number];

export interface InlineRun {
	text: string;
	bold?: boolean;
	italic?: boolean;
	strike?: boolean;
}

export type Block =
	| { type: 'paragraph'; runs: InlineRun[] }
	| { type: 'heading'; level: number; runs: InlineRun[] }
	| { type: 'list'; ordered: boolean; items: Block[][] }
	| { type: 'blockquote'; children: Block[] };

export interface PointContent {
	id: string;
	level: DecisionLevel;
	text: string;
}

export interface AmendmentContent {
	id: string;
	baselineItemId: string;
	baselineVersion: number;
	op: AmendmentOp;
	/**
	 * The named part of the item the amendment changes, e.g. a goal's "Stadsledningskontorets
	 * planering"; absent when it changes the item's own text.
	 */
	field?: string;
	text: string;
	values: Record<string, number | null>;
}

/** The plain projection of a draft: what listing, search, diff and export read. */
export interface DraftContent {
	title: string;
	points: PointContent[];
	body: Block[];
	amendments: AmendmentContent[];
}

export function titleText(doc: Y.Doc): Y.Text {
	return doc.getText('title');
}
export function pointsArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('points');
}
export function bodyFragment(doc: Y.Doc): Y.XmlFragment {
	return doc.getXmlFragment('body');
}
export function amendmentsArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('amendments');
}

// ---- reading -------------------------------------------------------------------------------------

function runsOf(text: Y.XmlText): InlineRun[] {
	const runs: InlineRun[] = [];
	for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
		if (typeof op.insert !== 'string') continue;
		const a = op.attributes ?? {};
		runs.push({
			text: op.insert,
			...(a.bold ? { bold: true } : {}),
			...(a.italic ? { italic: true } : {}),
			...(a.strike ? { strike: true } : {})
		});
	}
	return runs;
}

/**
 * How deep lists and quotes nest in what is read from a document. Anything deeper is kept, flattened
 * into paragraphs at this depth: an editor can send a body nested thousands of levels deep, and every
 * reader after this one (projection, diff, export) then walks a tree of bounded depth.
 */
export const MAX_BLOCK_DEPTH = 10;

type XmlParent = Y.XmlElement | Y.XmlFragment;

/** The text of an element's inline content, marks kept, walked without recursion however deep it nests. */
function inlineRuns(el: XmlParent): InlineRun[] {
	const runs: InlineRun[] = [];
	const stack: { items: unknown[]; i: number }[] = [{ items: el.toArray(), i: 0 }];
	while (stack.length > 0) {
		const top = stack[stack.length - 1];
		if (top.i >= top.items.length) {
			stack.pop();
			continue;
		}
		const child = top.items[top.i++];
		if (child instanceof Y.XmlText) runs.push(...runsOf(child));
		else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') runs.push({ text: '\n' });
		else if (child instanceof Y.XmlElement) stack.push({ items: child.toArray(), i: 0 });
	}
	return runs;
}

const textBlockNames = new Set(['paragraph', 'codeBlock', 'heading']);

/** Everything below an element as plain paragraphs in document order, without recursion. */
function flattenedBlocks(el: XmlParent): Block[] {
	const blocks: Block[] = [];
	const stack: { items: unknown[]; i: number }[] = [{ items: el.toArray(), i: 0 }];
	while (stack.length > 0) {
		const top = stack[stack.length - 1];
		if (top.i >= top.items.length) {
			stack.pop();
			continue;
		}
		const child = top.items[top.i++];
		if (child instanceof Y.XmlText) blocks.push({ type: 'paragraph', runs: runsOf(child) });
		else if (child instanceof Y.XmlElement && textBlockNames.has(child.nodeName)) {
			blocks.push({ type: 'paragraph', runs: inlineRuns(child) });
		} else if (child instanceof Y.XmlElement) stack.push({ items: child.toArray(), i: 0 });
	}
	return blocks;
}

function blockOf(el: Y.XmlElement, depth: number): Block | null {
	switch (el.nodeName) {
		case 'paragraph':
		case 'codeBlock':
			return { type: 'paragraph', runs: inlineRuns(el) };
		case 'heading':
			return { type: 'heading', level: Number(el.getAttribute('level') ?? 2), runs: inlineRuns(el) };
		case 'bulletList':
		case 'orderedList':
			return {
				type: 'list',
				ordered: el.nodeName === 'orderedList',
				items: el
					.toArray()
					.filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
					.map((item) => blocksOf(item, depth + 1))
			};
		case 'blockquote':
			return { type: 'blockquote', children: blocksOf(el, depth + 1) };
		default:
			return null;
	}
}

/**
 * The blocks of a fragment (or of an element's children). Lists and quotes nest at most
 * MAX_BLOCK_DEPTH deep; what lies deeper comes back as paragraphs at that depth.
 */
export function blocksOf(fragment: XmlParent, depth = 0): Block[] {
	if (depth >= MAX_BLOCK_DEPTH) return flattenedBlocks(fragment);
	const blocks: Block[] = [];
	for (const child of fragment.toArray()) {
		if (child instanceof Y.XmlElement) {
			const b = blockOf(child, depth);
			if (b) blocks.push(b);
		} else if (child instanceof Y.XmlText) {
			blocks.push({ type: 'paragraph', runs: runsOf(child) });
		}
	}
	return blocks;
}

/**
 * Blocks as plain data nest at most `max` deep: deeper lists and quotes become their paragraphs, in
 * order. For blocks that were stored before reading capped the depth; walks without recursion.
 */
export function capBlockDepth(blocks: readonly Block[], max = MAX_BLOCK_DEPTH): Block[] {
	const flatten = (list: readonly Block[]): Block[] => {
		const out: Block[] = [];
		const stack: { items: readonly Block[]; i: number }[] = [{ items: list, i: 0 }];
		while (stack.length > 0) {
			const top = stack[stack.length - 1];
			if (top.i >= top.items.length) {
				stack.pop();
				continue;
			}
			const b = top.items[top.i++];
			if (b.type === 'paragraph') out.push(b);
			else if (b.type === 'heading') out.push({ type: 'paragraph', runs: b.runs });
			else if (b.type === 'blockquote') stack.push({ items: b.children, i: 0 });
			else for (let k = b.items.length - 1; k >= 0; k--) stack.push({ items: b.items[k], i: 0 });
		}
		return out;
	};
	const cap = (list: readonly Block[], depth: number): Block[] =>
		depth >= max
			? flatten(list)
			: list.map((b): Block => {
					if (b.type === 'list') return { ...b, items: b.items.map((item) => cap(item, depth + 1)) };
					if (b.type === 'blockquote') return { ...b, children: cap(b.children, depth + 1) };
					return b;
				});
	return cap(blocks, 0);
}

/** Plain text of blocks: paragraphs separated by a blank line, list items by a newline. */
export function blocksToText(blocks: Block[]): string {
	return blocks
		.map((b) => {
			switch (b.type) {
				case 'paragraph':
				case 'heading':
					return b.runs.map((r) => r.text).join('');
				case 'list':
					return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '–'} ${blocksToText(item)}`).join('\n');
				case 'blockquote':
					return blocksToText(b.children);
			}
		})
		.join('\n\n');
}

export function fragmentText(fragment: Y.XmlFragment): string {
	return blocksToText(blocksOf(fragment));
}

function asFragment(v: unknown): Y.XmlFragment | null {
	return v instanceof Y.XmlFragment ? v : null;
}

export function readPoints(doc: Y.Doc): PointContent[] {
	return pointsInReadingOrder(pointsArray(doc))
		.map(({ map: m }) => m)
		.map((m) => ({
			id: String(m.get('id') ?? ''),
			level: (m.get('level') === 'ks' ? 'ks' : 'ks_kf') as DecisionLevel,
			text: (() => {
				const f = asFragment(m.get('content'));
				return f ? fragmentText(f) : '';
			})()
		}));
}

export function readAmendments(doc: Y.Doc): AmendmentContent[] {
	return amendmentsArray(doc)
		.toArray()
		.map((m) => {
			const values = m.get('values');
			const f = asFragment(m.get('content'));
			const field = m.get('field');
			return {
				id: String(m.get('id') ?? ''),
				baselineItemId: String(m.get('baselineItemId') ?? ''),
				baselineVersion: Number(m.get('baselineVersion') ?? 0),
				op: (amendmentOps as readonly string[]).includes(String(m.get('op'))) ? (m.get('op') as AmendmentOp) : 'change',
				...(typeof field === 'string' && field ? { field } : {}),
				text: f ? fragmentText(f) : '',
				values: values instanceof Y.Map ? (values.toJSON() as Record<string, number | null>) : {}
			};
		});
}

/** The whole draft as plain data. */
export function projectDraft(doc: Y.Doc): DraftContent {
	return {
		title: titleText(doc).toString(),
		points: readPoints(doc),
		body: blocksOf(bodyFragment(doc)),
		amendments: readAmendments(doc)
	};
}

// ---- writing -------------------------------------------------------------------------------------

function textNode(runs: InlineRun[]): Y.XmlText {
	const t = new Y.XmlText();
	let at = 0;
	for (const r of runs) {
		if (!r.text) continue;
		// Explicit nulls: Y.Text would otherwise carry the previous run's marks over.
		const attrs = { bold: r.bold ? {} : null, italic: r.italic ? {} : null, strike: r.strike ? {} : null };
		t.insert(at, r.text, attrs);
		at += r.text.length;
	}
	return t;
}

function elementOf(block: Block): Y.XmlElement {
	switch (block.type) {
		case 'paragraph': {
			const el = new Y.XmlElement('paragraph');
			el.insert(0, [textNode(block.runs)]);
			return el;
		}
		case 'heading': {
			const el = new Y.XmlElement('heading');
			el.setAttribute('level', block.level as unknown as string);
			el.insert(0, [textNode(block.runs)]);
			return el;
		}
		case 'list': {
			const el = new Y.XmlElement(block.ordered ? 'orderedList' : 'bulletList');
			el.insert(
				0,
				block.items.map((item) => {
					const li = new Y.XmlElement('listItem');
					li.insert(0, (item.length ? item : [{ type: 'paragraph', runs: [] } as Block]).map(elementOf));
					return li;
				})
			);
			return el;
		}
		case 'blockquote': {
			const el = new Y.XmlElement('blockquote');
			el.insert(0, block.children.map(elementOf));
			return el;
		}
	}
}

/** Appends blocks to a fragment, in the node names Tiptap's StarterKit uses. */
export function appendBlocks(fragment: Y.XmlFragment, blocks: Block[]): void {
	fragment.insert(fragment.length, blocks.map(elementOf));
}

/** Paragraphs of plain text (split on blank lines) as blocks. */
export function paragraphs(text: string): Block[] {
	return text
		.split(/\n\s*\n/)
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => ({ type: 'paragraph', runs: [{ text: p }] }));
}

export function newPointMap(id: string, level: DecisionLevel, text = ''): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	const content = new Y.XmlFragment();
	m.set('id', id);
	m.set('level', level);
	// Filled before it is attached: insert at 0, since reading `length` of a detached type is invalid.
	if (text) content.insert(0, paragraphs(text).map(elementOf));
	m.set('content', content);
	return m;
}

export interface InitialDraft {
	kind: string;
	title: string;
	points?: { id: string; level: DecisionLevel; text: string }[];
	body?: Block[];
}

/**
 * Fills an empty Y.Doc with a draft's starting content (a new yrkande's prefilled title, or an
 * imported party document). One transaction, so clients see it appear at once.
 */
export function initDraftDoc(doc: Y.Doc, init: InitialDraft): void {
	doc.transact(() => {
		doc.getMap('meta').set('kind', init.kind);
		titleText(doc).insert(0, init.title);
		const pts = pointsArray(doc);
		for (const p of init.points ?? []) pts.push([newPointMap(p.id, p.level, p.text)]);
		if (init.body?.length) appendBlocks(bodyFragment(doc), init.body);
	});
}
