import { PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import * as Y from 'yjs';
import { redecorate, yDecorations, ySync, yTextPosition } from '../editor/y-decorations';

/**
 * "Visa författare": text highlighted by who wrote it, as a ProseMirror decoration plugin on a Tiptap
 * editor bound to a Y.XmlFragment. Every character is a Yjs item whose id names the client that
 * created it; the source tells which author a client is (from the server's record). Each run gets a
 * colour and an underline style of its author and a title naming them, so colour is never the only sign.
 */

/** Who wrote as a client, as a highlight shows it; null for a client nobody is recorded for. */
export interface MarkAuthor {
	/** stable across the session: picks the colour and the underline style */
	index: number;
	name: string;
	partyId: string | null;
	uncertain: boolean;
}

export interface AuthorMarkSource {
	enabled(): boolean;
	authorOf(client: number, doc: Y.Doc): MarkAuthor | null;
	attach(view: EditorView): void;
	detach(view: EditorView): void;
}

const key = new PluginKey<DecorationSet>('yrkaAuthorMarks');

/** Light backgrounds that keep dark text readable (WCAG AA), with a darker line of the same hue. */
export const authorPalette = [
	{ background: '#dbeafe', line: '#1d4ed8' },
	{ background: '#fde68a', line: '#92400e' },
	{ background: '#d1fae5', line: '#047857' },
	{ background: '#fce7f3', line: '#be185d' },
	{ background: '#ede9fe', line: '#6d28d9' },
	{ background: '#ffedd5', line: '#c2410c' },
	{ background: '#e0f2fe', line: '#0369a1' },
	{ background: '#f3f4f6', line: '#374151' }
] as const;
const lineStyles = ['solid', 'dashed', 'dotted', 'double'] as const;

/** The look of an author's text: colour and underline style both change with the index. */
export function authorStyle(index: number): string {
	const c = authorPalette[index % authorPalette.length];
	const line = lineStyles[index % lineStyles.length];
	return `background-color: ${c.background}; border-bottom: 3px ${line} ${c.line};`;
}

export const UNKNOWN_STYLE = 'background-image: repeating-linear-gradient(135deg, #e5e7eb 0 4px, transparent 4px 8px);';

export function authorTitle(a: MarkAuthor | null): string {
	if (!a) return 'Författare okänd: skrivet av systemet, eller av någon som ännu inte registrerats';
	const who = `${a.name}${a.partyId ? ` (${a.partyId})` : ''}`;
	return a.uncertain ? `Troligen skrivet av ${who}` : `Skrivet av ${who}`;
}

interface Run {
	text: Y.XmlText;
	index: number;
	length: number;
	author: MarkAuthor | null;
}

/** Runs of one author inside each Y.XmlText of the fragment, in document order. */
function runsOf(fragment: Y.XmlFragment | Y.XmlElement, doc: Y.Doc, source: AuthorMarkSource, out: Run[] = []): Run[] {
	for (const child of fragment.toArray()) {
		if (child instanceof Y.XmlElement) runsOf(child, doc, source, out);
		else if (child instanceof Y.XmlText) {
			let index = 0;
			let run: Run | null = null;
			for (let item = child._start; item; item = item.right) {
				if (item.deleted || !item.countable) continue;
				const author = source.authorOf(item.id.client, doc);
				if (run && run.author?.index === author?.index && run.author?.uncertain === author?.uncertain) {
					run.length += item.length;
				} else {
					if (run) out.push(run);
					run = { text: child, index, length: item.length, author };
				}
				index += item.length;
			}
			if (run) out.push(run);
		}
	}
	return out;
}

function decorate(state: EditorState, source: AuthorMarkSource): DecorationSet {
	const sync = ySync(state);
	if (!source.enabled() || !sync) return DecorationSet.empty;
	const size = state.doc.content.size;
	const decorations: Decoration[] = [];
	for (const run of runsOf(sync.type, sync.doc, source)) {
		const from = yTextPosition(sync, run.text, run.index);
		if (from === null || from + run.length > size) continue;
		decorations.push(
			Decoration.inline(from, from + run.length, {
				class: `author-mark ${run.author ? `author-${run.author.index}` : 'author-unknown'}`,
				style: run.author ? authorStyle(run.author.index) : UNKNOWN_STYLE,
				title: authorTitle(run.author)
			})
		);
	}
	return DecorationSet.create(state.doc, decorations);
}

/** Redraws the author marks of an editor (turned on or off, or the authors were reloaded). */
export function refreshAuthorMarks(view: EditorView): void {
	redecorate(view, key);
}

export function authorMarks(source: AuthorMarkSource) {
	// Changes from Yjs (another writer, a restore, the first render) are read again; one's own typing
	// is mapped now and read again a moment later (see the view below).
	return yDecorations({
		name: 'authorMarks',
		key,
		decorate: (state) => decorate(state, source),
		view(view) {
			source.attach(view);
			let timer: ReturnType<typeof setTimeout> | undefined;
			return {
				update(v, prev) {
					if (!source.enabled() || v.state.doc.eq(prev.doc)) return;
					clearTimeout(timer);
					timer = setTimeout(() => refreshAuthorMarks(v), 250);
				},
				destroy() {
					clearTimeout(timer);
					source.detach(view);
				}
			};
		}
	});
}
