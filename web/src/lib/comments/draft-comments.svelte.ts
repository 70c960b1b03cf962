import type { EditorView } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { ApiError } from '$lib/api/client';
import { LiveCase } from '$lib/live.svelte';
import { readAmendments } from '../../../../server/domain/draft-doc';
import { resolveAnchor } from '../../../../server/domain/comments-anchor';
import * as commentsApi from './api';
import { boundDoc, commentHighlights, refreshHighlights, selectionAnchor, type HighlightSource } from './highlight';
import type { CommentAnchor, ThreadList, ThreadView } from './types';

export interface Selected {
	anchor: CommentAnchor;
	quote: string;
}

/**
 * The comments of one draft page: the threads from the API (refetched when the live stream says
 * comments changed), the highlights in every editor of the draft, the current selection, and
 * whether each anchored text is still there.
 *
 *   const comments = new DraftComments(caseId, draftId);
 *   $effect(() => { comments.start(); return () => comments.stop(); });
 *   <LiveDraft extensions={[comments.extension]} … />  <CommentsPanel {comments} />
 */
export class DraftComments implements HighlightSource {
	threads = $state.raw<ThreadView[]>([]);
	viewer = $state.raw<ThreadList['viewer']>({ canComment: false, visibilities: [] });
	unread = $state(0);
	loaded = $state(false);
	error = $state('');
	/** the thread shown as current, in the list and in the text */
	active = $state<string | null>(null);
	/** the text selected in an editor, ready to be commented */
	selection = $state.raw<Selected | null>(null);
	/** anchored threads whose text is gone ("Texten har tagits bort"); known once the live text is */
	gone = $state.raw<readonly string[]>([]);
	/** amendments of the draft as its document has them now */
	amendments = $state.raw<{ id: string; text: string }[]>([]);
	/** whether the live text is open, so anchors can be shown and selections commented */
	hasText = $state(false);

	readonly extension = commentHighlights(this);
	readonly place: { draftId: string };
	#views: EditorView[] = [];
	#doc: Y.Doc | null = null;
	#live: LiveCase | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#fetching: Promise<void> | null = null;
	#again = false;

	constructor(
		readonly caseId: string,
		readonly draftId: string
	) {
		this.place = { draftId };
	}

	start(): void {
		void this.refresh();
		this.#live = new LiveCase(this.caseId, { comments: () => void this.refresh() });
		this.#live.start();
	}

	stop(): void {
		this.#live?.stop();
		this.#live = null;
		this.#setDoc(null);
		if (this.#timer) clearTimeout(this.#timer);
	}

	get liveConnected(): boolean {
		return this.#live?.connected ?? false;
	}

	/** Fetches the threads; a call while one is running fetches once more after it. */
	refresh(): Promise<void> {
		if (this.#fetching) {
			this.#again = true;
			return this.#fetching;
		}
		this.#fetching = (async () => {
			try {
				do {
					this.#again = false;
					const list = await commentsApi.listThreads(this.place);
					this.threads = list.threads;
					this.viewer = list.viewer;
					this.unread = list.unread;
					this.error = '';
				} while (this.#again);
			} catch (err) {
				this.error = err instanceof ApiError ? err.message : 'Kommentarerna kunde inte hämtas.';
			} finally {
				this.loaded = true;
				this.#fetching = null;
			}
			this.#recheck();
			this.#redraw();
			commentsApi.notifyChanged();
		})();
		return this.#fetching;
	}

	/** Puts a thread the API returned in place, without waiting for the live event's refetch. */
	put(thread: ThreadView): void {
		const i = this.threads.findIndex((t) => t.id === thread.id);
		this.threads = i < 0 ? [...this.threads, thread] : this.threads.with(i, thread);
		this.unread = this.threads.reduce((n, t) => n + t.unread, 0);
		this.#recheck();
		this.#redraw();
	}

	/** Shows a thread as current: highlighted in the text, which scrolls to it. */
	focus(threadId: string, scroll = true): void {
		this.active = threadId;
		this.#redraw();
		if (scroll) {
			requestAnimationFrame(() => {
				document
					.querySelector(`.comment-anchor-${CSS.escape(threadId)}`)
					?.scrollIntoView({ block: 'center', behavior: 'smooth' });
			});
		}
		void this.markRead([threadId]);
	}

	async markRead(threadIds: string[]): Promise<void> {
		const unread = threadIds.filter((id) => this.threads.find((t) => t.id === id)?.unread);
		if (unread.length === 0) return;
		try {
			await commentsApi.markRead(unread);
			this.threads = this.threads.map((t) =>
				unread.includes(t.id) ? { ...t, unread: 0, comments: t.comments.map((c) => ({ ...c, unread: false })) } : t
			);
			this.unread = this.threads.reduce((n, t) => n + t.unread, 0);
			commentsApi.notifyChanged();
		} catch {
			// Unread marks are a convenience; the next refetch shows the truth.
		}
	}

	clearSelection(): void {
		this.selection = null;
	}

	// ---- HighlightSource ------------------------------------------------------------------------

	anchors() {
		return this.threads
			.filter((t) => t.anchor && (!t.resolved || t.id === this.active))
			.map((t) => ({ id: t.id, anchor: t.anchor as CommentAnchor }));
	}

	activeId(): string | null {
		return this.active;
	}

	attach(view: EditorView): void {
		if (!this.#views.includes(view)) this.#views.push(view);
		this.#setDoc(boundDoc(view));
	}

	detach(view: EditorView): void {
		this.#views = this.#views.filter((v) => v !== view);
		if (this.#views.length === 0) this.#setDoc(null);
	}

	selectionChanged(view: EditorView): void {
		const selected = selectionAnchor(view);
		if (selected) this.selection = selected;
		// A click elsewhere in the text lets go of the selection; leaving the editor does not.
		else if (view.hasFocus()) this.selection = null;
	}

	anchorClicked(ids: string[]): void {
		const id = ids.find((i) => i !== this.active) ?? ids[0];
		this.focus(id, false);
		requestAnimationFrame(() => document.getElementById(`kommentar-${id}`)?.scrollIntoView({ block: 'nearest' }));
	}

	// ---- the live text ---------------------------------------------------------------------------

	#setDoc(doc: Y.Doc | null): void {
		if (doc === this.#doc) return;
		this.#doc?.off('update', this.#onUpdate);
		this.#doc = doc;
		this.hasText = !!doc;
		doc?.on('update', this.#onUpdate);
		this.#recheck();
	}

	#onUpdate = () => {
		// Checking every anchor on every keystroke is wasted work; a few times a second is enough.
		this.#timer ??= setTimeout(() => {
			this.#timer = null;
			this.#recheck();
		}, 150);
	};

	#recheck(): void {
		const doc = this.#doc;
		if (!doc) {
			this.gone = [];
			return;
		}
		const gone: string[] = [];
		for (const t of this.threads) {
			if (t.anchor && resolveAnchor(doc, t.anchor).status === 'gone') gone.push(t.id);
		}
		const amendments = readAmendments(doc).map((a) => ({ id: a.id, text: a.text }));
		for (const t of this.threads) {
			if (t.target.kind === 'amendment' && !amendments.some((a) => a.id === t.target.amendmentId)) gone.push(t.id);
		}
		if (gone.join() !== this.gone.join()) this.gone = gone;
		if (JSON.stringify(amendments) !== JSON.stringify(this.amendments)) this.amendments = amendments;
	}

	#redraw(): void {
		for (const view of this.#views) refreshHighlights(view);
	}
}
