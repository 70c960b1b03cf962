import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../../db/schema';
import { sessionIdFromToken } from '../../../server/auth/session';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let bodyId: string;
let secretary: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
	server = await startTestServer();
	const db = server.deps.db;
	bodyId = (await buildBody(db)).id;
	await buildCase(db, bodyId);
	secretary = await buildUser(db, { bodyId, role: 'secretary', party: 'SD', email: 'sek.sd@test.se' });
});
afterAll(() => server?.close());

const loginAs = (email: string, password: string, headers: Record<string, string> = {}) =>
	server.fetch('/api/auth/login', { method: 'POST', json: { email, password }, headers });

describe('login', () => {
	it('logs in with the right password and sets a hardened session cookie', async () => {
		const res = await loginAs('SEK.SD@test.se ', secretary.password);
		expect(res.status).toBe(200);
		const cookie = res.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^yrka_session=[a-z2-7]+;/);
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).not.toContain('Secure'); // plain http here; see the TLS case below
		const me = await server.fetch('/api/auth/me', { cookie: cookie.split(';')[0] });
		expect(me.status).toBe(200);
		const body = await me.json();
		expect(body.user.email).toBe('sek.sd@test.se');
		expect(body.user.memberships[0]).toMatchObject({ role: 'secretary', roleLabel: 'Partisekreterare' });
	});

	it('stores only the hash of the session token', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const token = cookie.split('=')[1];
		const db = server.deps.db;
		expect(await db.select().from(sessions).where(eq(sessions.id, token))).toHaveLength(0);
		expect(
			await db
				.select()
				.from(sessions)
				.where(eq(sessions.id, sessionIdFromToken(token)))
		).toHaveLength(1);
	});

	it('answers a wrong password and an unknown account with the same Swedish message', async () => {
		const wrong = await loginAs(secretary.email, 'fel');
		const unknown = await loginAs('ingen@test.se', 'fel');
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		const a = await wrong.json();
		const b = await unknown.json();
		expect(a).toEqual(b);
		expect(a.error.message).toBe('Fel e-postadress eller lösenord.');
	});

	it('throttles an account after repeated failures, even for the right password', async () => {
		const victim = await buildUser(server.deps.db, { bodyId, role: 'member', party: 'S' });
		for (let i = 0; i < 5; i++) expect((await loginAs(victim.email, 'fel')).status).toBe(401);
		const res = await loginAs(victim.email, victim.password);
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await res.json()).error.message).toMatch(/För många misslyckade inloggningsförsök/);
	});

	it('sets Secure on the cookie when served over TLS behind a trusted proxy', async () => {
		const tls = await startTestServer({ dbHandle: server.dbHandle, env: { TRUST_PROXY: '1' } });
		try {
			const res = await tls.fetch('/api/auth/login', {
				method: 'POST',
				json: { email: secretary.email, password: secretary.password },
				headers: {
					'x-forwarded-proto': 'https',
					'x-forwarded-host': 'yrka.example.se',
					origin: 'https://yrka.example.se'
				}
			});
			expect(res.status).toBe(200);
			expect(res.headers.get('set-cookie')).toContain('Secure');
		} finally {
			await tls.close();
		}
	});
});

describe('sessions', () => {
	it('treats a forged or expired cookie as logged out and clears it', async () => {
		const forged = await server.fetch('/api/auth/me', { cookie: 'yrka_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
		expect(forged.status).toBe(401);
		expect(forged.headers.get('set-cookie')).toMatch(/yrka_session=;.*Max-Age=0/);

		const cookie = await server.login(secretary.email, secretary.password);
		const id = sessionIdFromToken(cookie.split('=')[1]);
		await server.deps.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, id));
		const expired = await server.fetch('/api/auth/me', { cookie });
		expect(expired.status).toBe(401);
		expect(await server.deps.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
	});

	it('extends a session that is past half its lifetime (sliding expiry)', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const id = sessionIdFromToken(cookie.split('=')[1]);
		const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000);
		await server.deps.db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, id));
		const res = await server.fetch('/api/auth/me', { cookie });
		expect(res.status).toBe(200);
		expect(res.headers.get('set-cookie')).toContain('yrka_session=');
		const [row] = await server.deps.db.select().from(sessions).where(eq(sessions.id, id));
		expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
	});

	it('logs out one session, and everywhere', async () => {
		const a = await server.login(secretary.email, secretary.password);
		const b = await server.login(secretary.email, secretary.password);
		expect((await server.fetch('/api/auth/logout', { method: 'POST', cookie: a })).status).toBe(200);
		expect((await server.fetch('/api/auth/me', { cookie: a })).status).toBe(401);
		expect((await server.fetch('/api/auth/me', { cookie: b })).status).toBe(200);
		const c = await server.login(secretary.email, secretary.password);
		expect((await server.fetch('/api/auth/logout-everywhere', { method: 'POST', cookie: c })).status).toBe(200);
		expect((await server.fetch('/api/auth/me', { cookie: b })).status).toBe(401);
		expect((await server.fetch('/api/auth/me', { cookie: c })).status).toBe(401);
	});
});

describe('requests', () => {
	it('refuses a cross-site POST and one without an Origin', async () => {
		const cookie = await server.login(secretary.email, secretary.password);
		const evil = await fetch(`${server.origin}/api/auth/logout-everywhere`, {
			method: 'POST',
			headers: { cookie, origin: 'https://evil.example' }
		});
		expect(evil.status).toBe(403);
		expect((await evil.json()).error.code).toBe('forbidden');
		const none = await fetch(`${server.origin}/api/auth/logout-everywhere`, { method: 'POST', headers: { cookie } });
		expect(none.status).toBe(403);
		expect((await server.fetch('/api/auth/me', { cookie })).status).toBe(200);
	});

	it('answers bad input with 400 and "field: message" in Swedish', async () => {
		const res = await server.fetch('/api/auth/login', { method: 'POST', json: { email: 'inte-en-adress' } });
		expect(res.status).toBe(400);
		const { error } = await res.json();
		expect(error.code).toBe('bad_request');
		expect(error.message).toMatch(/^email: .+; password: .+/);
		const broken = await server.fetch('/api/auth/login', {
			method: 'POST',
			body: '{not json',
			headers: { 'content-type': 'application/json' }
		});
		expect(broken.status).toBe(400);
		expect(await broken.text()).not.toMatch(/SyntaxError|at .*\.ts/);
	});

	it('answers an unknown route with 404 JSON and never leaks internals', async () => {
		const res = await server.fetch('/api/finns-inte');
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toContain('application/json');
		const cookie = await server.login(secretary.email, secretary.password);
		const odd = await server.fetch(`/api/cases/${"x'; drop table cases; --"}`, { cookie });
		expect(odd.status).toBe(404);
		expect(await odd.text()).not.toMatch(/select|drizzle|postgres|stack/i);
	});

	it('sends security headers', async () => {
		const res = await server.fetch('/api/health');
		expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(res.headers.get('cache-control')).toBe('no-store');
	});
});
