import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBody, buildUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ env: { API_RATE_BURST: '8', API_RATE_PER_MINUTE: '60' } });
});
afterAll(() => server?.close());

describe('API rate limits', () => {
	it('answers 429 with Retry-After past the burst, per user, without affecting another user', async () => {
		const body = await buildBody(server.deps.db);
		const a = await buildUser(server.deps.db, { bodyId: body.id, role: 'member', party: 'S' });
		const b = await buildUser(server.deps.db, { bodyId: body.id, role: 'member', party: 'M' });
		const cookieA = await server.login(a.email, a.password);
		const cookieB = await server.login(b.email, b.password);
		const statuses: number[] = [];
		for (let i = 0; i < 10; i++) statuses.push((await server.fetch('/api/cases', { cookie: cookieA })).status);
		expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
		const limited = await server.fetch('/api/cases', { cookie: cookieA });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await limited.json()).error.message).toMatch(/För många förfrågningar/);
		expect((await server.fetch('/api/cases', { cookie: cookieB })).status).toBe(200);
	});
});
