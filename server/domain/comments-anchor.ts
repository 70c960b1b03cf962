import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import type { CommentAnchor } from '../../db/schema/comments';

/**
 * Anchors of comments in a draft's text, shared by the server (checking an anchor, reading its
 * quote) and the web (highlighting it, telling whether its text is gone). Pure Yjs, no I/O.
 *
 * An anchor is two relative positions. The start sticks to the first character of the range
 * (assoc 0) and the end to the last one (assoc -1), so text typed just before or just after the
 * range stays outside it, text typed inside widens it, and deleting the words collapses it.
 */

export type { CommentAnchor };

/** Longest quote kept with a comment; the rest is cut with an ellipsis. */
export const QUOTE_MAX = 500;

export function encodeRelPos(pos: Y.RelativePosition): string {
	return toBase64(Y.encodeRelativePosition(pos));
}

export function decodeRelPos(encoded: string): Y.RelativePosition | null {
	try {
		if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length > 200) return null;
		return Y.decodeRelativePosition(fromBase64(encoded));
	} catch {
		return null;
	}
}

/** A place in a text node: the node and the number of characters before the place. */
export interface TextPoint {
	type: Y.XmlText;
	index: number;
}

/** Builds the anchor of the characters from `start` up to `end` (end exclusive). */
export function anchorFromPoints(start: TextPoint, end: TextPoint): CommentAnchor {
	const startAssoc = start.index < start.type.length ? 0 : -1;
	return {
		start: encodeRelPos(Y.createRelativePositionFromTypeIndex(start.type, start.index, startAssoc)),
		end: encodeRelPos(Y.createRelativePositionFromTypeIndex(end.type, end.index, -1))
	};
}

/** Where a relative position lies now, or null when its node no longer exists in the document. */
export function resolvePoint(doc: Y.Doc, encoded: string): TextPoint | null {
	const rel = decodeRelPos(encoded);
	if (!rel) return null;
	let abs: Y.AbsolutePosition | null;
	try {
		abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
	} catch {
		return null;
	}
	if (!abs || !(abs.type instanceof Y.XmlText) || isDeleted(abs.type)) return null;
	return { type: abs.type, index: abs.index };
}

/** The part of a Yjs type this module walks: its item in the parent, and its document. */
type YType = { _item: Y.Item | null; doc: Y.Doc | null };

/** Whether the node or one of its ancestors was deleted (a removed paragraph, point or list). */
function isDeleted(type: YType): boolean {
	for (let t: YType | null = type; t && t._item; t = t._item.parent as YType) {
		if (t._item.deleted) return true;
	}
	return false;
}

/** The top-level XmlFragment a text node belongs to (the motivation, a point's text …). */
export function rootFragment(type: YType): Y.XmlFragment | null {
	let t: YType = type;
	for (;;) {
		const parent = t._item?.parent as YType | undefined;
		if (!parent) return null;
		// A point's text is an XmlFragment inside a Y.Map; the motivation is a root XmlFragment.
		if (parent instanceof Y.XmlFragment && !(parent instanceof Y.XmlElement)) return parent;
		// A root type nobody has asked for by name yet is still untyped: type it as the fragment it is.
		if (!parent._item && parent.doc && !(parent instanceof Y.XmlElement)) {
			return parent.doc.getXmlFragment(Y.findRootTypeKey(parent as Parameters<typeof Y.findRootTypeKey>[0]));
		}
		if (!(parent instanceof Y.XmlElement)) return null;
		t = parent;
	}
}

function plain(text: Y.XmlText): string {
	return (text.toDelta() as { insert: unknown }[])
		.map((op) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');
}

/** The text nodes of a fragment in document order; a new block starts a new line. */
function textNodes(node: Y.XmlFragment | Y.XmlElement, out: { type: Y.XmlText; block: number }[], block = { n: 0 }) {
	for (const child of node.toArray()) {
		if (child instanceof Y.XmlText) out.push({ type: child, block: block.n });
		else if (child instanceof Y.XmlElement) {
			const isBlock = child.nodeName !== 'hardBreak';
			if (isBlock) block.n++;
			textNodes(child, out, block);
		}
	}
	return out;
}

export type AnchorState =
	/** the range still holds text: `text` is what it reads now */
	| { status: 'present'; text: string; fragment: Y.XmlFragment; start: TextPoint; end: TextPoint }
	/** every character of the range was deleted, or the paragraph or point it stood in */
	| { status: 'gone' };

/** What an anchor covers in the document now. */
export function resolveAnchor(doc: Y.Doc, anchor: CommentAnchor): AnchorState {
	const start = resolvePoint(doc, anchor.start);
	const end = resolvePoint(doc, anchor.end);
	if (!start || !end) return { status: 'gone' };
	const fragment = rootFragment(start.type);
	if (!fragment || fragment !== rootFragment(end.type)) return { status: 'gone' };
	const nodes = textNodes(fragment, []);
	const si = nodes.findIndex((n) => n.type === start.type);
	const ei = nodes.findIndex((n) => n.type === end.type);
	if (si < 0 || ei < 0 || si > ei || (si === ei && start.index >= end.index)) return { status: 'gone' };
	let text = '';
	for (let i = si; i <= ei; i++) {
		const s = plain(nodes[i].type);
		if (i > si && nodes[i].block !== nodes[i - 1].block) text += '\n';
		text += s.slice(i === si ? start.index : 0, i === ei ? end.index : s.length);
	}
	if (text.trim() === '') return { status: 'gone' };
	return { status: 'present', text, fragment, start, end };
}

/** A quote short enough to keep: whitespace runs folded, cut at QUOTE_MAX characters. */
export function shortenQuote(text: string): string {
	const t = text.replace(/\s+/g, ' ').trim();
	const chars = Array.from(t);
	return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX - 1).join('')}…` : t;
}
