import { connect, type AddressInfo } from 'node:net';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, drafts } from '../../../db/schema';
import { createSession, SESSION_COOKIE } from '../../../server/auth/session';
import { createHttpServer, loadWebHandler } from '../../../server/http';
import { DEFAULT_SOCKETS_PER_USER, TOO_MANY_SOCKETS, TOO_MANY_SOCKETS_REASON } from '../../../server/sync/limits';
import { closeCodes } from '../../../server/sync/wire';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import { apiRoutes, fillPath } from '../../support/routes';
import { startTestServer, type TestServer } from '../../support/server';
import { CollabClient, messages } from '../../../web/src/lib/collab/client';
import { buildDraft, cookieWebSocket, rawSocket, waitFor } from '../../support/sync';

/**
 * Abuse limits and headers that test/integration/foundation does not already cover: the per-address
 * API limit for anonymous clients and that a forged X-Forwarded-For does not reset it, the per-address
 * login throttle across accounts, the JSON size limit, cross-site requests refused on every
 * state-changing route (generated from the route table) with nothing done, no CORS grant to any other
 * site, the security headers on the pages, and the session cookie's scope.
 */

let server: TestServer;
let bodyId: string;
let caseId: string;
let draftId: string;
let secretary: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
	server = await startTestServer({ env: { API_RATE_BURST: '100000' } });
	const db = server.deps.db;
	bodyId = (await buildBody(db)).id;
	caseId = (await buildCase(db, bodyId)).id;
	secretary = await buildUser(db, { bodyId, role: 'secretary', party: 'S' });
	draftId = (await buildDraft(db, { caseId, owner: 'S' })).id;
}, 60_000);

afterAll(() => server?.close());

describe('API limits per address', () => {
	it('limits anonymous clients per address, and a forged X-Forwarded-For does not reset it', async () => {
		const small = await startTestServer({
			dbHandle: server.dbHandle,
			env: { API_RATE_BURST: '6', API_RATE_PER_MINUTE: '6' }
		});
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++) statuses.push((await small.fetch('/api/health')).status);
			expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
			const limited = await small.fetch('/api/health');
			expect(limited.status).toBe(429);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
			expect((await limited.json()).error.message).toMatch(/För många förfrågningar/);
			for (const xff of ['10.0.0.1', '203.0.113.7, 10.0.0.1', 'unknown']) {
				const spoofed = await small.fetch('/api/health', { headers: { 'x-forwarded-for': xff } });
				expect(spoofed.status, xff).toBe(429);
			}
			// A user on the same address has a budget of their own. (Logging in is an API request too, and
			// this address has none left, so the session is made directly.)
			const { token } = await createSession(small.deps.db, secretary.id);
			const cookie = `${SESSION_COOKIE}=${token}`;
			expect((await small.fetch('/api/auth/me', { cookie })).status).toBe(200);
		} finally {
			await small.close();
		}
	});

	it('behind a trusted proxy, counts each client address the proxy names', async () => {
		const proxied = await startTestServer({
			dbHandle: server.dbHandle,
			env: { API_RATE_BURST: '3', API_RATE_PER_MINUTE: '3', TRUST_PROXY: '1' }
		});
		try {
			const from = (ip: string) => proxied.fetch('/api/health', { headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } });
			for (let i = 0; i < 3; i++) expect((await from('198.51.100.1')).status).toBe(200);
			expect((await from('198.51.100.1')).status).toBe(429);
			expect((await from('198.51.100.2')).status).toBe(200);
		} finally {
			await proxied.close();
		}
	});

	it('throttles logins per address across accounts, for real and unknown accounts alike', async () => {
		const fresh = await startTestServer({ dbHandle: server.dbHandle });
		try {
			const untouched = await buildUser(server.deps.db, { bodyId, role: 'member', party: 'M' });
			// 30 failures from one address, each on another account, so no account reaches its own limit.
			// Real accounts with the tests' cheap hash keep this fast; an unknown one costs a full scrypt.
			const guessed = await Promise.all(
				Array.from({ length: 30 }, () => buildUser(server.deps.db, { bodyId, role: 'member', party: 'L' }))
			);
			for (const g of guessed) {
				const res = await fresh.fetch('/api/auth/login', { method: 'POST', json: { email: g.email, password: 'fel' } });
				expect(res.status).toBe(401);
			}
			const real = await fresh.fetch('/api/auth/login', {
				method: 'POST',
				json: { email: untouched.email, password: untouched.password }
			});
			const unknown = await fresh.fetch('/api/auth/login', {
				method: 'POST',
				json: { email: 'finns.inte@test.se', password: 'fel' }
			});
			expect(real.status).toBe(429);
			expect(unknown.status).toBe(429);
			// The answer does not tell whether the account exists.
			expect(await real.json()).toEqual(await unknown.json());
		} finally {
			await fresh.close();
		}
	});

	it('refuses a JSON body over 1 MB with a Swedish message, declared or streamed', async () => {
		await bodyLimits(server);
		// The pooled connections the refusals used still carry requests.
		expect((await server.fetch('/api/health')).status).toBe(200);
	});

	it('answers a body over 1 MB with the 413 before reading it, and the connection carries the next request', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const port = Number(new URL(server.origin).port);
		/** One connection: a POST of `size` bytes, written whole, then a GET on the same connection. */
		const exchange = (size: number) =>
			new Promise<{ text: string; writeError?: string }>((resolve) => {
				const sock = connect(port, '127.0.0.1');
				let text = '';
				let writeError: string | undefined;
				sock.on('data', (d) => (text += d.toString('utf8')));
				sock.on('error', (e) => (writeError ??= e.message));
				sock.on('close', () => resolve({ text, writeError }));
				sock.write(
					`POST /api/drafts HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.origin}\r\nCookie: ${cookie}\r\n` +
						`Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`
				);
				sock.write(Buffer.alloc(size, 'x'), (err) => {
					if (err) return;
					sock.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
				});
			});
		const small = await exchange(1024 * 1024 + 100_000);
		const answers = small.text.split('HTTP/1.1 ').slice(1);
		expect(answers.map((a) => a.slice(0, 3))).toEqual(['413', '200']);
		expect(answers[0]).toContain(
			'{"error":{"code":"payload_too_large","message":"Förfrågan är för stor (högst 1 MB)."}}'
		);
		// A body too large to read through is cut off after the answer, which the client still gets whole.
		const huge = await exchange(40 * 1024 * 1024);
		expect(huge.text.startsWith('HTTP/1.1 413 ')).toBe(true);
		expect(huge.text).toContain('"message":"Förfrågan är för stor (högst 1 MB)."}}');
	});
});

async function bodyLimits(server: TestServer) {
	const cookie = await server.login(secretary.email, secretary.password);
	const big = JSON.stringify({ caseId, partyId: 'S', kind: 'yrkande', pad: 'x'.repeat(1024 * 1024 + 10) });
	const declared = await server.fetch('/api/drafts', {
		method: 'POST',
		cookie,
		headers: { 'content-type': 'application/json' },
		body: big
	});
	expect(declared.status).toBe(413);
	expect((await declared.json()).error.message).toBe('Förfrågan är för stor (högst 1 MB).');
	const bytes = new TextEncoder().encode(big);
	let at = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= bytes.length) return controller.close();
			controller.enqueue(bytes.subarray(at, at + 64 * 1024));
			at += 64 * 1024;
		}
	});
	const streamed = await server.fetch('/api/drafts', {
		method: 'POST',
		cookie,
		headers: { 'content-type': 'application/json' },
		body: stream,
		duplex: 'half'
	} as RequestInit);
	expect(streamed.status).toBe(413);
	expect((await streamed.json()).error.message).toBe('Förfrågan är för stor (högst 1 MB).');
}

describe('cross-site requests', () => {
	it('refuses every state-changing route from another site, and nothing happens', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const values: Record<string, string> = { caseId, draftId, partyId: 'S', format: 'pdf', number: '1' };
		const routes = apiRoutes(server.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
		expect(routes.length).toBeGreaterThan(10);
		const before = await counts();
		const foreign = [
			'https://evil.example',
			'null',
			`${server.origin}.evil.example`,
			server.origin.replace('127.0.0.1', 'localhost')
		];
		for (const route of routes) {
			const path = fillPath(route.path, new Proxy(values, { get: (t, k: string) => t[k] ?? draftId }));
			for (const origin of [...foreign, undefined]) {
				const headers: Record<string, string> = { cookie, 'content-type': 'application/json' };
				if (origin) headers.origin = origin;
				const res = await fetch(`${server.origin}${path}`, {
					method: route.method,
					headers,
					body: JSON.stringify({ caseId, draftId, partyId: 'S', kind: 'yrkande', partyIds: ['M'] })
				});
				const body = await res.json();
				expect(res.status, `${route.method} ${path} from ${origin}`).toBe(403);
				expect(body.error.message).toBe('Förfrågan kom från en annan webbplats och stoppades.');
			}
		}
		expect(await counts()).toEqual(before);
		expect((await server.fetch('/api/auth/me', { cookie })).status).toBe(200);
	});

	it('grants no other site access through CORS, on any route', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		for (const route of apiRoutes(server.app)) {
			const path = fillPath(route.path, new Proxy({} as Record<string, string>, { get: () => draftId }));
			const preflight = await fetch(`${server.origin}${path}`, {
				method: 'OPTIONS',
				headers: {
					origin: 'https://evil.example',
					'access-control-request-method': route.method,
					'access-control-request-headers': 'content-type'
				}
			});
			expect(preflight.headers.get('access-control-allow-origin'), `${route.method} ${path}`).toBeNull();
			expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
			await preflight.arrayBuffer();
			if (route.method === 'GET' && !route.path.endsWith('/live')) {
				const res = await fetch(`${server.origin}${path}`, { headers: { origin: 'https://evil.example', cookie } });
				expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
				await res.arrayBuffer();
			}
		}
	});

	it('refuses a sync socket opened from another site with the cookie, with zero bytes', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		for (const origin of ['https://evil.example', 'null', `${server.origin}.evil.example`]) {
			const s = rawSocket(`${server.origin.replace(/^http/, 'ws')}/sync/draft.${draftId}`, { cookie, origin });
			expect((await s.closed).code, origin).toBe(closeCodes.forbidden);
			expect(s.bytes, origin).toBe(0);
		}
	});
});

describe('sync socket caps', () => {
	const wsUrl = () => `${server.origin.replace(/^http/, 'ws')}/sync/draft.${draftId}`;
	/** 'open' when the server starts the sync (a writer gets sync step 1 at once), else the close code. */
	const outcome = (s: ReturnType<typeof rawSocket>) =>
		new Promise<'open' | number>((resolve) => {
			s.ws.once('message', () => resolve('open'));
			void s.closed.then((c) => resolve(c.code));
		});
	const tally = (outcomes: ('open' | number)[]) => {
		const t: Record<string, number> = {};
		for (const o of outcomes) t[String(o)] = (t[String(o)] ?? 0) + 1;
		return t;
	};

	it('caps how many sync sockets one user holds open, and frees a slot when one closes', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const open = (n: number) => Array.from({ length: n }, () => rawSocket(wsUrl(), { cookie, origin: server.origin }));
		const first = open(150);
		const outcomes = await Promise.all(first.map(outcome));
		console.log(`one user, 150 sync sockets: ${JSON.stringify(tally(outcomes))}`);
		expect(tally(outcomes)).toEqual({
			open: DEFAULT_SOCKETS_PER_USER,
			[TOO_MANY_SOCKETS]: 150 - DEFAULT_SOCKETS_PER_USER
		});
		const refused = first.find((_, i) => outcomes[i] !== 'open')!;
		expect((await refused.closed).reason).toBe(TOO_MANY_SOCKETS_REASON);
		expect(refused.bytes).toBe(0);
		// The page of a user at the cap says why in Swedish and does not retry in a loop.
		const page = new CollabClient(`draft.${draftId}`, {
			serverUrl: server.origin.replace(/^http/, 'ws') + '/sync',
			WebSocketPolyfill: cookieWebSocket(cookie, server.origin)
		});
		try {
			await waitFor(() => page.error === messages.tooMany, 5000, 'the page told why');
			expect(page.status).toBe('offline');
		} finally {
			page.destroy();
		}
		// Another user on the same address is not affected.
		const other = await buildUser(server.deps.db, { bodyId, role: 'secretary', party: 'S' });
		const otherSocket = rawSocket(wsUrl(), {
			cookie: await server.login(other.email, other.password),
			origin: server.origin
		});
		expect(await outcome(otherSocket)).toBe('open');
		otherSocket.ws.terminate();
		// Closing one frees its slot: the next socket is accepted, the one after is refused again.
		first[outcomes.indexOf('open')].ws.close();
		await waitFor(() => server.deps.sync.stats().connections === DEFAULT_SOCKETS_PER_USER - 1, 5000, 'a close');
		const [again, over] = open(2);
		expect(await outcome(again)).toBe('open');
		expect(await outcome(over)).toBe(TOO_MANY_SOCKETS);
		// Closing all frees all: no slot leaks, however the sockets ended (closed, terminated, refused).
		for (const s of [...first, again, over]) s.ws.terminate();
		await waitFor(() => server.deps.sync.stats().connections === 0, 5000, 'every socket closed');
		const later = open(DEFAULT_SOCKETS_PER_USER);
		try {
			expect(tally(await Promise.all(later.map(outcome)))).toEqual({ open: DEFAULT_SOCKETS_PER_USER });
		} finally {
			for (const s of later) s.ws.terminate();
			await waitFor(() => server.deps.sync.stats().connections === 0, 5000, 'every socket closed');
		}
	});

	it('caps sync sockets per address before any lookup, and a forged X-Forwarded-For does not reset it', async () => {
		process.env.SYNC_MAX_SOCKETS_PER_IP = '5';
		let small: TestServer;
		try {
			small = await startTestServer({ dbHandle: server.dbHandle, env: { API_RATE_BURST: '100000' } });
		} finally {
			delete process.env.SYNC_MAX_SOCKETS_PER_IP;
		}
		try {
			const url = `${small.origin.replace(/^http/, 'ws')}/sync/draft.${draftId}`;
			const users = await Promise.all(
				[0, 1, 2].map(() => buildUser(server.deps.db, { bodyId, role: 'secretary', party: 'S' }))
			);
			const cookies = await Promise.all(users.map((u) => small.login(u.email, u.password)));
			const socket = (cookie: string, headers: Record<string, string> = {}) =>
				rawSocket(url, { cookie, origin: small.origin, ...headers });
			const a = [socket(cookies[0]), socket(cookies[0]), socket(cookies[0])];
			const b = [socket(cookies[1]), socket(cookies[1])];
			expect(await Promise.all([...a, ...b].map(outcome))).toEqual(['open', 'open', 'open', 'open', 'open']);
			const c = socket(cookies[2], { 'x-forwarded-for': '203.0.113.9' });
			expect(await outcome(c)).toBe(TOO_MANY_SOCKETS);
			// Refused before the session is looked up: no cookie gets the same answer as a valid one.
			const anonymous = rawSocket(url, { origin: small.origin });
			expect(await outcome(anonymous)).toBe(TOO_MANY_SOCKETS);
			for (const s of a) s.ws.terminate();
			await waitFor(() => small.deps.sync.stats().connections === 2, 5000, 'three closed');
			const d = socket(cookies[2]);
			expect(await outcome(d)).toBe('open');
			for (const s of [...b, d]) s.ws.terminate();
		} finally {
			await small.close();
		}
	});
});

async function counts() {
	const [{ d }] = await server.deps.db.select({ d: count() }).from(drafts);
	const [{ a }] = await server.deps.db.select({ a: count() }).from(auditEvents);
	return { drafts: d, audit: a };
}

describe('headers and cookies', () => {
	it('sends the security headers on pages as on the API', async () => {
		const web = await loadWebHandler();
		// Without a build (a fresh clone before `npm run build`), a plain page handler stands in for
		// SvelteKit: what is tested is that server/http.ts sets the headers on whatever the pages answer.
		const handler =
			web ??
			((_req: unknown, res: import('node:http').ServerResponse) => {
				res.setHeader('content-type', 'text/html; charset=utf-8');
				res.end('<!doctype html><title>Yrka</title>');
			});
		const http = await createHttpServer(server.app, handler);
		await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
		const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
		try {
			for (const path of ['/', '/login', '/cases/finns-inte', '/api/health']) {
				const res = await fetch(`${origin}${path}`, { redirect: 'manual' });
				await res.arrayBuffer();
				const csp = res.headers.get('content-security-policy') ?? '';
				expect(csp, path).toContain("frame-ancestors 'none'");
				expect(csp, path).toContain("object-src 'none'");
				expect(csp, path).toContain("default-src 'self'");
				expect(res.headers.get('x-frame-options'), path).toBe('DENY');
				expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
				expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
			}
			console.log(`page headers checked with ${web ? 'the SvelteKit build' : 'a stand-in page handler (no build)'}`);
		} finally {
			http.closeAllConnections();
			await new Promise((r) => http.close(r));
		}
	});

	it('scopes the session cookie to this host, and clears it with the same attributes', async () => {
		const login = await server.fetch('/api/auth/login', {
			method: 'POST',
			json: { email: secretary.email, password: secretary.password }
		});
		const set = login.headers.get('set-cookie') ?? '';
		expect(set).toMatch(/Path=\//);
		expect(set).not.toMatch(/Domain=/i);
		expect(set).toMatch(/Expires=/);
		// Without a trusted proxy, a forged X-Forwarded-Proto does not change the cookie.
		const forged = await server.fetch('/api/auth/login', {
			method: 'POST',
			json: { email: secretary.email, password: secretary.password },
			headers: { 'x-forwarded-proto': 'https' }
		});
		expect(forged.headers.get('set-cookie')).not.toMatch(/Secure/);
		const cookie = set.split(';')[0];
		const out = await server.fetch('/api/auth/logout', { method: 'POST', cookie });
		const cleared = out.headers.get('set-cookie') ?? '';
		expect(cleared).toMatch(/yrka_session=;/);
		expect(cleared).toMatch(/Max-Age=0/);
		expect(cleared).toMatch(/Path=\//);
	});
});
