import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../db/schema';
import { buildBody, buildUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server?.close());

describe('audit of authentication', () => {
	it('records logins, failed logins with the client address, and logout everywhere', async () => {
		const body = await buildBody(server.deps.db);
		const u = await buildUser(server.deps.db, { bodyId: body.id, role: 'member', party: 'V' });
		await server.fetch('/api/auth/login', { method: 'POST', json: { email: u.email, password: 'fel' } });
		const cookie = await server.login(u.email, u.password);
		await server.fetch('/api/auth/logout-everywhere', { method: 'POST', cookie });
		const rows = await server.deps.db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(3);
		expect(rows.map((r) => r.action)).toEqual(['auth.logout_everywhere', 'auth.login', 'auth.login_failed']);
		expect(rows.every((r) => r.actorId === u.id)).toBe(true);
		expect(rows[2].ip).toMatch(/127\.0\.0\.1/);
		expect(rows[2].details).toEqual({ email: u.email });
	});
});
