import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import {
	absolutePositionToRelativePosition,
	relativePositionToAbsolutePosition,
	ySyncPluginKey
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { anchorFromPoints, resolveAnchor, type TextPoint } from '../../../../server/domain/comments-anchor';
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

interface YSyncState {
	doc: Y.Doc;
	type: Y.XmlFragment;
	binding: { mapping: Map<Y.AbstractType<unknown>, PmNode | PmNode[]> } | null;
}

const key = new PluginKey<DecorationSet>('yrkaCommentHighlights');

function ySync(state: EditorState): YSyncState | null {
	const s = ySyncPluginKey.getState(state) as YSyncState | undefined;
	return s?.binding ? s : null;
}

/** The Y.Doc an editor is bound to, for the comments UI to follow changes and anchors. */
export function boundDoc(view: EditorView): Y.Doc | null {
	return ySync(view.state)?.doc ?? null;
}

function toPm(sync: YSyncState, point: TextPoint): number | null {
	// Left-associated, so a position at the start of a text node resolves without y-prosemirror's
	// guess for item positions at the very start of the document.
	const rel = Y.createRelativePositionFromTypeIndex(point.type, point.index, -1);
	return relativePositionToAbsolutePosition(sync.doc, sync.type, rel, sync.binding!.mapping as never);
}

/** The ProseMirror range an anchor covers in this editor, or null if it is elsewhere or gone. */
export function anchorRange(state: EditorState, anchor: CommentAnchor): { from: number; to: number } | null {
	const sync = ySync(state);
	if (!sync) return null;
	const resolved = resolveAnchor(sync.doc, anchor);
	if (resolved.status !== 'present' || resolved.fragment !== sync.type) return null;
	const from = toPm(sync, resolved.start);
	const to = toPm(sync, resolved.end);
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
	if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true));
}

export function commentHighlights(source: HighlightSource) {
	return Extension.create({
		name: 'commentHighlights',
		addProseMirrorPlugins() {
			return [
				new Plugin<DecorationSet>({
					key,
					state: {
						init: (_config, state) => decorate(state, source),
						apply(tr, old, _oldState, newState) {
							// y-prosemirror marks the transactions it makes from Yjs changes (another
							// user's edit, the first render): resolve again. Own edits are mapped.
							if (tr.getMeta(key) || tr.getMeta(ySyncPluginKey) !== undefined) return decorate(newState, source);
							return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
						}
					},
					props: {
						decorations: (state) => key.getState(state),
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
				})
			];
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
