import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Db, DbHandle } from '../../db/client';
import type { VersionPolicy } from '../../server/commands/versions-auto';
import { draftParties, drafts } from '../../db/schema';
import { loadConfig } from '../../server/config';
import { newId } from '../../server/ids';
import type { DraftStatus } from '../../server/policies';
import { startRuntime, type Runtime } from '../../server/runtime';
import type { SyncOptions } from '../../server/sync';
import { createTestDb } from './db';
import { TEST_SCRYPT } from './factories';

/** A draft row with its parties (the owner first), as the drafts API would create it. */
export async function buildDraft(
	db: Db,
	opts: { caseId: string; owner: string; cosigners?: string[]; status?: DraftStatus; title?: string }
) {
	const id = newId();
	await db.insert(drafts).values({
		id,
		caseId: opts.caseId,
		kind: 'yrkande',
		title: opts.title ?? 'Yrkande angående – Budget 2025 för kommunstyrelsen',
		status: opts.status ?? 'draft',
		ownerPartyId: opts.owner
	});
	await db
		.insert(draftParties)
		.values([
			{ draftId: id, partyId: opts.owner, role: 'owner' as const },
			...(opts.cosigners ?? []).map((p) => ({ draftId: id, partyId: p, role: 'cosigner' as const }))
		]);
	return { id, docName: `draft.${id}` };
}

export interface SyncTestServer extends Runtime {
	origin: string;
	wsUrl: string;
	login(email: string, password: string): Promise<string>;
}

/** A real server on port 0 with sync tunables for tests (short timers). */
export async function startSyncServer(
	opts: {
		dbHandle?: DbHandle;
		sync?: Partial<SyncOptions>;
		env?: Record<string, string>;
		port?: number;
		versions?: Partial<VersionPolicy>;
	} = {}
): Promise<SyncTestServer> {
	const dbHandle = opts.dbHandle ?? (await createTestDb());
	const config = {
		...loadConfig({ ...opts.env }),
		port: opts.port ?? 0,
		host: '127.0.0.1',
		seedDemo: false,
		logLevel: 'silent' as const
	};
	const runtime = await startRuntime(config, {
		serveWeb: false,
		dbHandle,
		seedScrypt: TEST_SCRYPT,
		sync: { unloadDelayMs: 50, projectionDelayMs: 50, ...opts.sync },
		versions: opts.versions
	});
	const origin = runtime.url;
	return {
		...runtime,
		origin,
		wsUrl: origin.replace(/^http/, 'ws') + '/sync',
		async login(email, password) {
			const res = await fetch(`${origin}/api/auth/login`, {
				method: 'POST',
				headers: { origin, 'content-type': 'application/json' },
				body: JSON.stringify({ email, password })
			});
			if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
			return (res.headers.get('set-cookie') ?? '').split(';')[0];
		},
		async close() {
			await runtime.close();
			if (!opts.dbHandle) await dbHandle.close();
		}
	};
}

/**
 * The `ws` WebSocket with a Cookie (and Origin) header: what a browser sends on the handshake. The
 * stock provider constructs its socket as `new WS(url, protocols)`, so the headers ride in a subclass.
 */
export function cookieWebSocket(cookie: string, origin?: string): typeof WebSocket {
	class CookieWebSocket extends NodeWebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, ...(origin ? { origin } : {}) } });
		}
	}
	return CookieWebSocket as unknown as typeof WebSocket;
}

/** A stock y-websocket provider in Node, exactly as a browser would use it. */
export function stockProvider(
	server: { wsUrl: string; origin: string },
	docName: string,
	cookie: string,
	opts: { doc?: Y.Doc; params?: Record<string, string> } = {}
) {
	const doc = opts.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(server.wsUrl, docName, doc, {
		WebSocketPolyfill: cookieWebSocket(cookie, server.origin),
		disableBc: true,
		params: opts.params,
		maxBackoffTime: 300
	});
	return { doc, provider };
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
	const start = Date.now();
	while (!cond()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export function synced(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
	return waitFor(() => provider.synced, timeoutMs, 'provider sync');
}

/** Opens a raw socket and records every frame and the close code. */
export function rawSocket(url: string, headers: Record<string, string> = {}) {
	const ws = new NodeWebSocket(url, { headers });
	const frames: Uint8Array[] = [];
	let bytes = 0;
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', () => {});
	});
	ws.on('message', (data: Buffer) => {
		frames.push(new Uint8Array(data));
		bytes += data.byteLength;
	});
	const opened = new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return {
		ws,
		frames,
		get bytes() {
			return bytes;
		},
		closed,
		opened
	};
}
