import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type PluginView } from '@tiptap/pm/state';
import { DecorationSet, type EditorProps, type EditorView } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Decorations computed from the Y.Doc behind a Tiptap editor (comment highlights, author marks): how
 * to reach the binding, how to turn a Yjs text position into a ProseMirror one, and the plugin state
 * that reads the Yjs side again whenever the change came from Yjs (another user, a restore, the first
 * render) or was asked for, and maps one's own edits through ProseMirror otherwise.
 */

export interface YSyncState {
	doc: Y.Doc;
	type: Y.XmlFragment;
	binding: { mapping: Map<Y.AbstractType<unknown>, PmNode | PmNode[]> } | null;
}

/** y-prosemirror's state of an editor once it is bound to a Y.XmlFragment, else null. */
export function ySync(state: EditorState): YSyncState | null {
	const s = ySyncPluginKey.getState(state) as YSyncState | undefined;
	return s?.binding ? s : null;
}

/**
 * The ProseMirror position of an index in a Y.XmlText. Left-associated, so a position at the start of
 * a text node resolves exactly, without y-prosemirror's guess for the very start of the document.
 */
export function yTextPosition(sync: YSyncState, text: Y.XmlText, index: number): number | null {
	const rel = Y.createRelativePositionFromTypeIndex(text, index, -1);
	return relativePositionToAbsolutePosition(sync.doc, sync.type, rel, sync.binding!.mapping as never);
}

export interface YDecorationsSpec {
	name: string;
	key: PluginKey<DecorationSet>;
	decorate(state: EditorState): DecorationSet;
	props?: Omit<EditorProps<Plugin<DecorationSet>>, 'decorations'>;
	view?(view: EditorView): PluginView;
}

/** Asks an editor's decorations of this key to be read again from the Y.Doc. */
export function redecorate(view: EditorView, key: PluginKey<DecorationSet>): void {
	if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true));
}

export function yDecorations(spec: YDecorationsSpec) {
	const { key, decorate } = spec;
	return Extension.create({
		name: spec.name,
		addProseMirrorPlugins() {
			return [
				new Plugin<DecorationSet>({
					key,
					state: {
						init: (_config, state) => decorate(state),
						apply(tr, old, _oldState, newState) {
							if (tr.getMeta(key) || tr.getMeta(ySyncPluginKey) !== undefined) return decorate(newState);
							return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
						}
					},
					props: { ...spec.props, decorations: (state) => key.getState(state) },
					view: spec.view
				})
			];
		}
	});
}
