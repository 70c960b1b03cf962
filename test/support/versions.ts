import type { WebsocketProvider } from 'y-websocket';
import type { DbHandle } from '../../db/client';
import type { VersionPolicy } from '../../server/commands/versions-auto';
import { loadConfig } from '../../server/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import type { SyncOptions } from '../../server/sync';
import { createTestDb } from './db';
import { TEST_SCRYPT } from './factories';
import { stockProvider } from './sync';

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
	const dbHandle = opts.dbHandle ?? (await createTestDb());
	const config = {
		...loadConfig({ API_RATE_BURST: '100000', API_RATE_PER_MINUTE: '100000' }),
		port: 0,
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
	const providers: WebsocketProvider[] = [];
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
			const c = stockProvider({ wsUrl: origin.replace(/^http/, 'ws') + '/sync', origin }, docName, cookie);
			providers.push(c.provider);
			return c;
		},
		async close() {
			for (const p of providers) p.destroy();
			await runtime.close();
			if (!opts.dbHandle) await dbHandle.close();
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
