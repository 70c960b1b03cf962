import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let bodyId: string;
let caseId: string;

beforeAll(async () => {
	server = await startTestServer();
	bodyId = (await buildBody(server.deps.db)).id;
	caseId = (await buildCase(server.deps.db, bodyId, { meetingDate: '2024-12-11' })).id;
});
afterAll(() => server?.close());

async function as(opts: Parameters<typeof buildUser>[1]) {
	const u = await buildUser(server.deps.db, opts);
	return server.login(u.email, u.password);
}

describe('cases and workspaces', () => {
	it('lists the cases of the bodies a user belongs to, and no others', async () => {
		const member = await as({ bodyId, role: 'member', party: 'S' });
		const res = await server.fetch('/api/cases', { cookie: member });
		const { cases } = await res.json();
		expect(cases.map((c: { id: string }) => c.id)).toEqual([caseId]);
		expect(cases[0]).toMatchObject({
			caseNumber: 'SLK-2024-00738',
			meetingDate: '2024-12-11',
			bodyName: 'Kommunstyrelsen'
		});

		const otherBody = await buildBody(server.deps.db, { name: 'Nämnd B' });
		const outsider = await as({ bodyId: otherBody.id, role: 'member', party: 'S' });
		expect((await (await server.fetch('/api/cases', { cookie: outsider })).json()).cases).toEqual([]);
		expect((await server.fetch(`/api/cases/${caseId}`, { cookie: outsider })).status).toBe(404);
		expect((await server.fetch('/api/cases')).status).toBe(401);
	});

	it("opens a party's workspace to its own people only", async () => {
		const sd = await as({ bodyId, role: 'member', party: 'SD' });
		const s = await as({ bodyId, role: 'secretary', party: 'S' });
		const clerk = await as({ bodyId, role: 'clerk' });
		const ok = await server.fetch(`/api/cases/${caseId}/workspaces/SD`, { cookie: sd });
		expect(ok.status).toBe(200);
		expect((await ok.json()).viewer.canEdit).toBe(false);
		expect((await server.fetch(`/api/cases/${caseId}/workspaces/SD`, { cookie: s })).status).toBe(404);
		expect((await server.fetch(`/api/cases/${caseId}/workspaces/SD`, { cookie: clerk })).status).toBe(404);
		const detail = await (await server.fetch(`/api/cases/${caseId}`, { cookie: s })).json();
		expect(detail.viewer).toMatchObject({
			canManage: false,
			parties: ['S'],
			workspaces: [{ partyId: 'S', canEdit: true }]
		});
	});

	it('lets only the clerk create a case, and validates the input', async () => {
		const clerk = await as({ bodyId, role: 'clerk' });
		const secretary = await as({ bodyId, role: 'secretary', party: 'M' });
		const input = { bodyId, title: 'Nytt ärende', caseNumber: 'SLK-2025-00001', meetingDate: '2025-01-15' };
		expect((await server.fetch('/api/cases', { method: 'POST', json: input, cookie: secretary })).status).toBe(403);
		const created = await server.fetch('/api/cases', { method: 'POST', json: input, cookie: clerk });
		expect(created.status).toBe(201);
		expect((await created.json()).case).toMatchObject({ title: 'Nytt ärende', status: 'preparing' });
		const bad = await server.fetch('/api/cases', {
			method: 'POST',
			json: { ...input, title: '', meetingDate: '15/1' },
			cookie: clerk
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.message).toMatch(/title: .*; meetingDate: /);
	});
});
