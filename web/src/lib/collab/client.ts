import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as Y from 'yjs';
import {
	closeCodes,
	EXTENSIONS_PARAM,
	messageAccess,
	messageAuth,
	messageSaved,
	readAccess,
	readSaved
} from '../../../../server/sync/wire';

/**
 * The browser side of a sync document without Svelte: the stock y-websocket provider plus our two
 * extra messages (what is saved, what this user may do), so it can be tested in Node with real
 * sockets. `DocConnection` (connection.svelte.ts) turns it into runes.
 */

/** connecting: not yet in sync · saving: own edits not yet durable · saved: all own edits durable · offline: lost the server */
export type SyncStatus = 'connecting' | 'saving' | 'saved' | 'offline';

export interface CollabClientOptions {
	/** ws(s)://host/sync; by default the page's own origin. */
	serverUrl?: string;
	/** Extra query parameters, e.g. `{ token }` for a client without the session cookie. */
	params?: Record<string, string>;
	WebSocketPolyfill?: typeof WebSocket;
	/** Do not share updates with other tabs of this origin directly (tests of server round trips). */
	disableBc?: boolean;
	/** Called after every change of doc, provider, status, readOnly or error. */
	onChange?: () => void;
}

export const messages = {
	forbidden: 'Dokumentet finns inte, eller så har du inte behörighet att öppna det.',
	unauthenticated: 'Du är inte inloggad längre. Logga in igen för att fortsätta.',
	tooBig: 'En ändring var för stor för att skickas till servern. Dela upp den i mindre delar och ladda om sidan.',
	malformed: 'Anslutningen till servern bröts av ett tekniskt fel. Ladda om sidan.',
	tooMany:
		'Du har för många dokument öppna samtidigt. Stäng några flikar eller fönster med Yrka och ladda sedan om sidan.',
	readOnly: 'Du kan bara läsa det här dokumentet.',
	rejected:
		'Du kan bara läsa det här dokumentet. Dina senaste ändringar kunde inte sparas och har tagits bort; texten visar nu det som är sparat.'
} as const;

function defaultServerUrl(): string {
	const { protocol, host } = globalThis.location;
	return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/sync`;
}

export class CollabClient {
	doc!: Y.Doc;
	provider!: WebsocketProvider;
	status: SyncStatus = 'connecting';
	readOnly = false;
	/** A Swedish message for the user, or null. */
	error: string | null = null;
	/** What the server reported durable: Yjs clientID → next clock not yet stored. */
	private durable = new Map<number, number>();
	private everSynced = false;
	private destroyed = false;
	private recheckTimer: ReturnType<typeof setTimeout> | null = null;
	private readonly onDocUpdate = () => this.refresh();
	/** The browser knows before the socket does: stop waiting for a dead socket's timeout. */
	private readonly onOffline = () => {
		this.provider.disconnect();
		this.offline = true;
		this.refresh();
	};
	private readonly onOnline = () => {
		this.offline = false;
		this.provider.connect();
		this.refresh();
	};
	private offline = false;

	constructor(
		readonly docName: string,
		private readonly opts: CollabClientOptions = {}
	) {
		this.open(new Y.Doc());
		globalThis.addEventListener?.('offline', this.onOffline);
		globalThis.addEventListener?.('online', this.onOnline);
	}

	get awareness(): Awareness {
		return this.provider.awareness;
	}

	/** What the server has confirmed stored of a Yjs client's edits (its next clock not yet stored). */
	savedClock(clientId = this.doc.clientID): number {
		return this.durable.get(clientId) ?? 0;
	}

	/** Own edits not yet stored. */
	get unsaved(): boolean {
		return Y.getState(this.doc.store, this.doc.clientID) > (this.durable.get(this.doc.clientID) ?? 0);
	}

	private open(doc: Y.Doc): void {
		this.doc = doc;
		this.durable = new Map();
		this.everSynced = false;
		const provider = new WebsocketProvider(this.opts.serverUrl ?? defaultServerUrl(), this.docName, doc, {
			params: { ...this.opts.params, [EXTENSIONS_PARAM]: '1' },
			...(this.opts.WebSocketPolyfill ? { WebSocketPolyfill: this.opts.WebSocketPolyfill } : {}),
			disableBc: this.opts.disableBc ?? false,
			// A refusal (4400–4499) or a frame the server will never accept (1009) is final.
			shouldReconnect: (event) => !((event.code >= 4400 && event.code < 4500) || event.code === closeCodes.tooBig)
		});
		this.provider = provider;
		provider.messageHandlers[messageSaved] = (_e: encoding.Encoder, d: decoding.Decoder) => {
			for (const [client, clock] of readSaved(d)) {
				if (clock > (this.durable.get(client) ?? 0)) this.durable.set(client, clock);
			}
			// Edits made offline while we could write will never be stored by a server that now only lets us
			// read (it does not ask a reader for them). Acknowledgements of edits sent before the change may
			// still be on their way, so look again in a moment before starting over.
			if (this.readOnly && this.unsaved && !this.recheckTimer) {
				this.recheckTimer = setTimeout(() => {
					this.recheckTimer = null;
					if (this.readOnly && this.unsaved && this.provider.wsconnected) this.discardLocal();
				}, 1500);
			}
			this.refresh();
		};
		provider.messageHandlers[messageAccess] = (_e: encoding.Encoder, d: decoding.Decoder) => {
			const { mode } = readAccess(d);
			this.readOnly = mode === 'read';
			this.refresh();
		};
		provider.messageHandlers[messageAuth] = (_e: encoding.Encoder, d: decoding.Decoder) => {
			authProtocol.readAuthMessage(d, doc, () => {
				this.readOnly = true;
				this.discardLocal();
			});
		};
		provider.on('status', () => this.refresh());
		provider.on('sync', (isSynced: boolean) => {
			if (isSynced) this.everSynced = true;
			this.refresh();
		});
		provider.on('connection-close', (event: CloseEvent | null) => {
			if (!event) return;
			if (event.code === closeCodes.forbidden) this.error = messages.forbidden;
			else if (event.code === closeCodes.unauthenticated) this.error = messages.unauthenticated;
			else if (event.code === closeCodes.tooBig) this.error = messages.tooBig;
			else if (event.code === closeCodes.malformed) this.error = messages.malformed;
			else if (event.code === closeCodes.tooMany) this.error = messages.tooMany;
			this.refresh();
		});
		doc.on('update', this.onDocUpdate);
		this.refresh();
	}

	/**
	 * The server refused our edits: rather than keep a text that silently differs from everyone
	 * else's, start over from what the server has, and say so.
	 */
	private discardLocal(): void {
		if (this.destroyed) return;
		this.close();
		this.error = messages.rejected;
		this.open(new Y.Doc());
	}

	private close(): void {
		if (this.recheckTimer) clearTimeout(this.recheckTimer);
		this.recheckTimer = null;
		this.doc.off('update', this.onDocUpdate);
		this.provider.destroy();
		this.doc.destroy();
	}

	private refresh(): void {
		const p = this.provider;
		let status: SyncStatus;
		// Before the first sync a failed attempt already means offline: the page cannot save anything yet.
		if (!p.wsconnected)
			status =
				this.offline || this.everSynced || this.error || p.wsUnsuccessfulReconnects > 0 ? 'offline' : 'connecting';
		else if (!p.synced) status = 'connecting';
		else status = this.unsaved ? 'saving' : 'saved';
		this.status = status;
		this.opts.onChange?.();
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		globalThis.removeEventListener?.('offline', this.onOffline);
		globalThis.removeEventListener?.('online', this.onOnline);
		this.close();
	}
}
