import type { WebsocketProvider } from 'y-websocket';
import type { DbHandle } from '../../db/client';
import type { VersionPolicy } from '../../server/commands/versions-auto';
import type { Runtime } from '../../server/runtime';
import type { SyncOptions } from '../../server/sync';
import { startSyncServer, stockProvider } from './sync';

/** A real server on port 0 with short sync timers and an automatic-version policy chosen by the test. */
export interface VersionsTestServer extends Runtime {
	origin: string;
	wsUrl: string;
	login(email: string, password: string): Promise<string>;
	/** JSON over HTTP as a browser on our page: status and parsed body. */
	api<T = Record<string, unknown>>(
		cookie: string | undefined,
		method: string,
		path: string,
		json?: unknown
	): Promise<{ status: number; body: T }>;
	/** A stock y-websocket provider for the user; destroyed on close. */
	connect(docName: string, cookie: string): ReturnType<typeof stockProvider>;
}

export async function startVersionsServer(
	opts: { versions?: Partial<VersionPolicy>; sync?: Partial<SyncOptions>; dbHandle?: DbHandle } = {}
): Promise<VersionsTestServer> {
	const server = await startSyncServer({ ...opts, env: { API_RATE_BURST: '100000', API_RATE_PER_MINUTE: '100000' } });
	const { origin } = server;
	const providers: WebsocketProvider[] = [];
	return {
		...server,
		async api(cookie, method, path, json) {
			const res = await fetch(`${origin}/api${path}`, {
				method,
				headers: {
					origin,
					...(cookie ? { cookie } : {}),
					...(json !== undefined ? { 'content-type': 'application/json' } : {})
				},
				body: json === undefined ? undefined : JSON.stringify(json)
			});
			// Downloads are read and dropped: only JSON answers have a body here.
			if (!res.headers.get('content-type')?.includes('json')) {
				await res.arrayBuffer();
				return { status: res.status, body: null as never };
			}
			return { status: res.status, body: await res.json() };
		},
		connect(docName, cookie) {
			const c = stockProvider(server, docName, cookie);
			providers.push(c.provider);
			return c;
		},
		async close() {
			for (const p of providers) p.destroy();
			await server.close();
		}
	};
}

/** Polls an async condition. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) {
	const start = Date.now();
	while (!(await check())) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}
