import type { DbHandle } from '../../db/client';
import { loadConfig } from '../../server/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { createTestDb } from './db';
import { TEST_SCRYPT } from './factories';

export interface TestServer extends Runtime {
	origin: string;
	/** Logs in and returns the Cookie header value. */
	login(email: string, password: string): Promise<string>;
	/** fetch against the server with Origin set, as a browser on our page would. */
	fetch(path: string, init?: RequestInit & { cookie?: string; json?: unknown }): Promise<Response>;
}

/** A real server on port 0 with a fresh database; the web build is not served. */
export async function startTestServer(
	opts: { seedDemo?: boolean; dbHandle?: DbHandle; env?: Record<string, string> } = {}
): Promise<TestServer> {
	const dbHandle = opts.dbHandle ?? (await createTestDb());
	const config = {
		...loadConfig({ ...opts.env }),
		port: 0,
		host: '127.0.0.1',
		seedDemo: opts.seedDemo ?? false,
		logLevel: 'silent' as const
	};
	const runtime = await startRuntime(config, { serveWeb: false, dbHandle, seedScrypt: TEST_SCRYPT });
	const origin = runtime.url;
	const doFetch: TestServer['fetch'] = (path, init = {}) => {
		const { cookie, json, ...rest } = init;
		const headers = new Headers(rest.headers);
		if (!headers.has('origin')) headers.set('origin', origin);
		if (cookie) headers.set('cookie', cookie);
		if (json !== undefined) headers.set('content-type', 'application/json');
		return fetch(`${origin}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
	};
	return {
		...runtime,
		origin,
		fetch: doFetch,
		async login(email, password) {
			const res = await doFetch('/api/auth/login', { method: 'POST', json: { email, password } });
			if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
			const setCookie = res.headers.get('set-cookie') ?? '';
			return setCookie.split(';')[0];
		},
		async close() {
			await runtime.close();
			if (!opts.dbHandle) await dbHandle.close();
		}
	};
}
