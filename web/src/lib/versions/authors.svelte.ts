import type { EditorView } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { api, ApiError } from '$lib/api/client';
import { authorMarks, refreshAuthorMarks, type AuthorMarkSource, type MarkAuthor } from './author-marks';
import type { AuthorsView } from './types';

/** An unknown client is asked about again at most this often (a new writer joined). */
const REFETCH_MS = 3000;

/**
 * "Visa författare" for one draft: whether it is on, the authors the server recorded, and the
 * extension that marks the text in every editor of the draft. One's own new text is one's own at
 * once, before the server has recorded the client.
 */
export class DraftAuthors implements AuthorMarkSource {
	on = $state(false);
	view = $state.raw<AuthorsView | null>(null);
	error = $state('');
	loading = $state(false);
	readonly extension;
	/** the editors showing marks: not state, only whom to tell to redraw */
	private views: EditorView[] = [];
	private lastLoad = 0;
	private loadingNow: Promise<void> | null = null;

	constructor(
		readonly draftId: string,
		/** who is logged in, read when needed: the session may load after the page */
		private readonly whoAmI: () => { id: string; name: string; partyId: string | null } | null
	) {
		this.extension = authorMarks(this);
	}

	private get me() {
		return this.whoAmI();
	}

	/** Authors in the order of their colours, with their share of the text. */
	get legend() {
		const v = this.view;
		if (!v) return [];
		const total = v.authors.reduce((n, a) => n + a.characters, 0) + v.unattributed;
		const rows = v.authors
			.map((a, index) => ({ ...a, index, share: total ? Math.round((a.characters / total) * 100) : 0 }))
			.filter((a) => a.characters > 0 || a.userId === this.me?.id);
		// One's own new text is marked before the server knows the client (see authorOf).
		if (this.me && !v.authors.some((a) => a.userId === this.me!.id)) {
			rows.push({ ...this.me, userId: this.me.id, characters: 0, index: v.authors.length, share: 0 });
		}
		return rows;
	}

	async toggle(): Promise<void> {
		this.on = !this.on;
		if (this.on) await this.load();
		this.redraw();
	}

	async load(): Promise<void> {
		if (this.loadingNow) return this.loadingNow;
		this.loading = true;
		this.lastLoad = Date.now();
		this.loadingNow = (async () => {
			try {
				this.view = await api<AuthorsView>(`/drafts/${encodeURIComponent(this.draftId)}/authors`);
				this.error = '';
			} catch (err) {
				this.error = err instanceof ApiError ? err.message : 'Författarna kunde inte hämtas. Försök igen om en stund.';
			} finally {
				this.loading = false;
				this.loadingNow = null;
			}
		})();
		await this.loadingNow;
		this.redraw();
	}

	enabled(): boolean {
		return this.on;
	}

	authorOf(client: number, doc: Y.Doc): MarkAuthor | null {
		const v = this.view;
		if (!v) return null;
		const i = v.clients[String(client)];
		if (i !== undefined) {
			const a = v.authors[i];
			return { index: i, name: a.name, partyId: a.partyId, uncertain: v.uncertainClients.includes(String(client)) };
		}
		if (client === doc.clientID && this.me) {
			const mine = v.authors.findIndex((a) => a.userId === this.me!.id);
			return {
				index: mine >= 0 ? mine : v.authors.length,
				name: this.me.name,
				partyId: this.me.partyId,
				uncertain: false
			};
		}
		// Someone whose client the page has not heard of yet: ask the server again, now and then.
		if (Date.now() - this.lastLoad > REFETCH_MS) queueMicrotask(() => void this.load());
		return null;
	}

	attach(view: EditorView): void {
		if (!this.views.includes(view)) this.views.push(view);
	}

	detach(view: EditorView): void {
		this.views = this.views.filter((v) => v !== view);
	}

	private redraw(): void {
		for (const v of this.views) refreshAuthorMarks(v);
	}
}
