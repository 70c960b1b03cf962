import type { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CollabClient, type CollabClientOptions, type SyncStatus } from './client';

export type { SyncStatus } from './client';
export { messages as collabMessages } from './client';

/**
 * One open sync document for a component: the Y.Doc, its provider and awareness, and what the UI
 * shows about it. `status` is 'saved' only when the server has confirmed that every own edit is
 * stored. `doc` can be replaced (when the server refused our edits and we start over from its
 * state), so editors should bind to it reactively, e.g. inside `{#key connection.doc}`.
 *
 *   const connection = new DocConnection(`draft.${id}`);
 *   onDestroy(() => connection.destroy());
 */
export class DocConnection {
	doc = $state.raw<Y.Doc>() as Y.Doc;
	provider = $state.raw<WebsocketProvider>() as WebsocketProvider;
	awareness = $state.raw<Awareness>() as Awareness;
	status = $state<SyncStatus>('connecting');
	readOnly = $state(false);
	/** A Swedish message for the user, or null. */
	error = $state<string | null>(null);
	readonly #client: CollabClient;
	#user: { name: string; color: string } | null = null;

	constructor(
		readonly docName: string,
		options: Omit<CollabClientOptions, 'onChange'> = {}
	) {
		this.#client = new CollabClient(docName, { ...options, onChange: () => this.#pull() });
		this.#pull();
	}

	#pull(): void {
		const c = this.#client;
		if (!c) return;
		this.doc = c.doc;
		this.provider = c.provider;
		if (this.awareness !== c.awareness && this.#user) c.awareness.setLocalStateField('user', this.#user);
		this.awareness = c.awareness;
		this.status = c.status;
		this.readOnly = c.readOnly;
		this.error = c.error;
	}

	/** Sets this user's presence (name, colour) for the others' cursors. */
	setUser(user: { name: string; color: string }): void {
		this.#user = user;
		this.awareness.setLocalStateField('user', user);
	}

	destroy(): void {
		this.#client.destroy();
	}
}
