import { SvelteSet } from 'svelte/reactivity';
import { ApiError } from '$lib/api/client';
import { LiveCase } from '$lib/live.svelte';
import * as commentsApi from './api';
import type { ThreadList, ThreadView } from './types';

/**
 * The comments on a case's baseline items, for the case page: fetched once for the whole outline,
 * refetched when the case's live stream says comments changed, and grouped by item.
 */
export class CaseComments {
	threads = $state.raw<ThreadView[]>([]);
	viewer = $state.raw<ThreadList['viewer']>({ canComment: false, visibilities: [] });
	loaded = $state(false);
	error = $state('');
	/** items whose comments are shown */
	readonly expanded = new SvelteSet<string>();
	readonly place: { caseId: string };
	#live: LiveCase | null = null;

	constructor(readonly caseId: string) {
		this.place = { caseId };
	}

	start(): void {
		void this.refresh().then(() => this.#openFromHash());
		this.#live = new LiveCase(this.caseId, { comments: () => void this.refresh() });
		this.#live.start();
		window.addEventListener('yrka:show-comment', this.#onShow);
	}

	stop(): void {
		this.#live?.stop();
		this.#live = null;
		window.removeEventListener('yrka:show-comment', this.#onShow);
	}

	#onShow = (e: Event) => this.#show((e as CustomEvent<string>).detail);

	async refresh(): Promise<void> {
		try {
			const list = await commentsApi.listThreads(this.place);
			this.threads = list.threads;
			this.viewer = list.viewer;
			this.error = '';
			commentsApi.notifyChanged();
		} catch (err) {
			this.error = err instanceof ApiError ? err.message : 'Kommentarerna kunde inte hämtas.';
		} finally {
			this.loaded = true;
		}
	}

	forItem(itemId: string): ThreadView[] {
		return this.threads.filter((t) => t.target.baselineItemId === itemId);
	}

	put(thread: ThreadView): void {
		const i = this.threads.findIndex((t) => t.id === thread.id);
		this.threads = i < 0 ? [...this.threads, thread] : this.threads.with(i, thread);
	}

	toggle(itemId: string, open = !this.expanded.has(itemId)): void {
		if (open) this.expanded.add(itemId);
		else this.expanded.delete(itemId);
		if (open) void this.markRead(this.forItem(itemId).map((t) => t.id));
	}

	async markRead(threadIds: string[]): Promise<void> {
		const unread = threadIds.filter((id) => this.threads.find((t) => t.id === id)?.unread);
		if (unread.length === 0) return;
		try {
			await commentsApi.markRead(unread);
			this.threads = this.threads.map((t) => (unread.includes(t.id) ? { ...t, unread: 0 } : t));
			commentsApi.notifyChanged();
		} catch {
			// The next refetch shows the truth.
		}
	}

	/** Opened from a notification: show the item's comments and scroll to the thread. */
	#openFromHash(): void {
		this.#show(/^#kommentar-(.+)$/.exec(location.hash)?.[1]);
	}

	#show(id: string | undefined): void {
		const itemId = id ? this.threads.find((t) => t.id === id)?.target.baselineItemId : null;
		if (!id || !itemId) return;
		this.toggle(itemId, true);
		requestAnimationFrame(() => document.getElementById(`kommentar-${id}`)?.scrollIntoView({ block: 'center' }));
	}
}
