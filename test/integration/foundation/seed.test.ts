import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, users } from '../../../db/schema';
import { DEMO_PASSWORD } from '../../../server/seed/demo-data';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ seedDemo: true });
});
afterAll(() => server?.close());

describe('demo seed', () => {
	it('creates the board of Göteborg with 13 ledamöter, S+V+MP holding 7, and every party', async () => {
		const clerk = await server.login('namndsekreterare@demo.yrka.se', DEMO_PASSWORD);
		const { cases } = await (await server.fetch('/api/cases', { cookie: clerk })).json();
		expect(cases).toHaveLength(1);
		expect(cases[0]).toMatchObject({
			title: 'Budget 2025 för kommunstyrelsen',
			caseNumber: 'SLK-2024-00738',
			meetingDate: '2024-12-11',
			bodyName: 'Kommunstyrelsen'
		});
		const detail = await (await server.fetch(`/api/cases/${cases[0].id}`, { cookie: clerk })).json();
		expect(detail.viewer.canManage).toBe(true);
		const ledamoter = detail.members.filter((m: { seat: string }) => m.seat === 'ledamot');
		expect(ledamoter).toHaveLength(13);
		const majority = ledamoter.filter((m: { partyId: string }) => ['S', 'V', 'MP'].includes(m.partyId));
		expect(majority).toHaveLength(7);
		expect(detail.parties.map((p: { id: string }) => p.id).sort()).toEqual(
			['C', 'D', 'KD', 'L', 'M', 'MP', 'S', 'SD', 'V'].sort()
		);
		expect(detail.parties.find((p: { id: string }) => p.id === 'D').name).toBe('Demokraterna');
	});

	it('lets every printed demo login in', async () => {
		for (const l of server.seed!.logins.filter((_, i) => i % 5 === 0)) {
			await expect(server.login(l.email, DEMO_PASSWORD)).resolves.toMatch(/^yrka_session=/);
		}
	});

	it('seeds only once', async () => {
		const again = await startTestServer({ seedDemo: true, dbHandle: server.dbHandle });
		try {
			expect(again.seed?.seeded).toBe(false);
			const [{ n }] = await server.deps.db.select({ n: count() }).from(users);
			expect(n).toBe(server.seed!.logins.length);
			const [{ m }] = await server.deps.db.select({ m: count() }).from(memberships);
			expect(m).toBe(n);
		} finally {
			await again.close();
		}
	});
});
