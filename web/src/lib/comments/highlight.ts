import { PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { anchorFromPoints, resolveAnchor, type TextPoint } from '../../../../server/domain/comments-anchor';
import { redecorate, yDecorations, ySync, yTextPosition } from '../editor/y-decorations';
import type { CommentAnchor } from './types';

/**
 * Highlights of commented text in a Tiptap editor bound to a Y.XmlFragment, and the anchor of a
 * selection. Anchors are Yjs relative positions (server/domain/comments-anchor.ts); the editor
 * resolves them through y-prosemirror's mapping whenever the document changes from outside (another
 * user's edit), and maps its own edits through ProseMirror, so a highlight follows the words.
 */

export interface AnchorEntry {
	id: string;
	anchor: CommentAnchor;
}

/** What the highlights show and whom they tell about selections and clicks (a rune class). */
export interface HighlightSource {
	anchors(): readonly AnchorEntry[];
	activeId(): string | null;
	attach(view: EditorView): void;
	detach(view: EditorView): void;
	selectionChanged(view: EditorView): void;
	anchorClicked(ids: string[]): void;
}

const key = new PluginKey<DecorationSet>('yrkaCommentHighlights');

/** The Y.Doc an editor is bound to, for the comments UI to follow changes and anchors. */
export function boundDoc(view: EditorView): Y.Doc | null {
	return ySync(view.state)?.doc ?? null;
}

/** The ProseMirror range an anchor covers in this editor, or null if it is elsewhere or gone. */
export function anchorRange(state: EditorState, anchor: CommentAnchor): { from: number; to: number } | null {
	const sync = ySync(state);
	if (!sync) return null;
	const resolved = resolveAnchor(sync.doc, anchor);
	if (resolved.status !== 'present' || resolved.fragment !== sync.type) return null;
	const from = yTextPosition(sync, resolved.start.type, resolved.start.index);
	const to = yTextPosition(sync, resolved.end.type, resolved.end.index);
	if (from === null || to === null || from >= to || to > state.doc.content.size) return null;
	return { from, to };
}

function decorate(state: EditorState, source: HighlightSource): DecorationSet {
	const active = source.activeId();
	const decorations: Decoration[] = [];
	for (const { id, anchor } of source.anchors()) {
		const range = anchorRange(state, anchor);
		if (!range) continue;
		// Classes, not data attributes: overlapping ranges merge their classes, so each keeps its own.
		const cls = `comment-anchor comment-anchor-${id}${id === active ? ' comment-anchor-active' : ''}`;
		decorations.push(Decoration.inline(range.from, range.to, { class: cls }, { id }));
	}
	return DecorationSet.create(state.doc, decorations);
}

/** Redraws the highlights of an editor (after the comments or the active one changed). */
export function refreshHighlights(view: EditorView): void {
	redecorate(view, key);
}

export function commentHighlights(source: HighlightSource) {
	// Another user's edit is resolved again from the anchors; one's own edits are mapped.
	return yDecorations({
		name: 'commentHighlights',
		key,
		decorate: (state) => decorate(state, source),
		props: {
			handleClick(view, pos) {
				const ids = (key.getState(view.state)?.find(pos, pos) ?? []).map((d) => (d.spec as { id: string }).id);
				if (ids.length) source.anchorClicked(ids);
				return false;
			}
		},
		view(view) {
			source.attach(view);
			return {
				update(v, prev) {
					if (!prev.selection.eq(v.state.selection)) source.selectionChanged(v);
				},
				destroy() {
					source.detach(view);
				}
			};
		}
	});
}

/** The anchor and the text of the editor's selection, or null when nothing is selected. */
export function selectionAnchor(view: EditorView): { anchor: CommentAnchor; quote: string } | null {
	const sync = ySync(view.state);
	const { doc, selection } = view.state;
	if (!sync || selection.empty) return null;
	let { from, to } = selection;
	// A selection from a block boundary (triple click, select all) starts and ends in text.
	while (from < to && !doc.resolve(from).parent.isTextblock) from++;
	while (to > from && !doc.resolve(to).parent.isTextblock) to--;
	const quote = doc.textBetween(from, to, '\n').trim();
	if (from >= to || !quote) return null;
	const point = (pos: number): TextPoint | null => {
		const rel = absolutePositionToRelativePosition(pos, sync.type, sync.binding!.mapping as never);
		const abs = Y.createAbsolutePositionFromRelativePosition(rel, sync.doc);
		return abs && abs.type instanceof Y.XmlText ? { type: abs.type, index: abs.index } : null;
	};
	const start = point(from);
	const end = point(to);
	if (!start || !end) return null;
	return { anchor: anchorFromPoints(start, end), quote };
}
