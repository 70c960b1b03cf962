import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveHub } from '../../server/live/hub';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { pumpSse, type SseEvent } from '../support/sse';

let server: TestServer;
let bodyId: string;
let caseId: string;
beforeAll(async () => {
	server = await startTestServer();
	bodyId = (await buildBody(server.deps.db)).id;
	caseId = (await buildCase(server.deps.db, bodyId)).id;
});
afterAll(() => server?.close());

/** Reads server-sent events of a case as the user with this cookie, until `count` events other than ready. */
async function collect(cookie: string, count: number, during: () => Promise<void>, waitMs = 1500) {
	const ctrl = new AbortController();
	const res = await server.fetch(`/api/cases/${caseId}/live`, { cookie, signal: ctrl.signal });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('text/event-stream');
	const events: SseEvent[] = [];
	const pump = pumpSse(res.body!, (e) => events.push(e));
	await new Promise((r) => setTimeout(r, 100));
	await during();
	const until = Date.now() + waitMs;
	while (events.filter((e) => e.event !== 'ready').length < count && Date.now() < until) {
		await new Promise((r) => setTimeout(r, 20));
	}
	ctrl.abort();
	await pump;
	return events.filter((e) => e.event !== 'ready');
}

describe('live notifications', () => {
	it("delivers body-wide events to everyone and a party's events only to that party", async () => {
		const sd = await buildUser(server.deps.db, { bodyId, role: 'member', party: 'SD' });
		const s = await buildUser(server.deps.db, { bodyId, role: 'member', party: 'S' });
		const sdCookie = await server.login(sd.email, sd.password);
		const sCookie = await server.login(s.email, s.password);
		const publish = async () => {
			server.deps.live.publish({
				caseId,
				bodyId,
				audience: { kind: 'parties', partyIds: ['SD'] },
				topic: 'positions',
				ids: ['p1']
			});
			server.deps.live.publish({ caseId, bodyId, audience: { kind: 'body' }, topic: 'comments', ids: ['c1'] });
		};
		const [forSd, forS] = await Promise.all([collect(sdCookie, 2, publish), collect(sCookie, 2, async () => {})]);
		expect(forSd.map((e) => e.event).sort()).toEqual(['comments', 'positions']);
		expect(JSON.parse(forSd.find((e) => e.event === 'positions')!.data).ids).toEqual(['p1']);
		expect(forS.map((e) => e.event)).toEqual(['comments']);
	});

	it('refuses anonymous clients and people outside the body', async () => {
		expect((await server.fetch(`/api/cases/${caseId}/live`)).status).toBe(401);
		const other = await buildBody(server.deps.db, { name: 'Annan nämnd' });
		const outsider = await buildUser(server.deps.db, { bodyId: other.id, role: 'member', party: 'S' });
		const cookie = await server.login(outsider.email, outsider.password);
		expect((await server.fetch(`/api/cases/${caseId}/live`, { cookie })).status).toBe(404);
	});
});

describe.skipIf(!process.env.REDIS_URL)('live notifications across processes', () => {
	it('reaches subscribers of another process through Redis', async () => {
		const a = new LiveHub();
		const b = new LiveHub();
		await a.connect(process.env.REDIS_URL);
		await b.connect(process.env.REDIS_URL);
		try {
			const user = {
				id: 'u',
				name: 'U',
				email: 'u@x',
				memberships: [{ bodyId: 'B', role: 'member' as const, partyId: 'V', seat: null }]
			};
			const got: string[] = [];
			b.subscribe(user, 'case-x', (m) => got.push(m.topic));
			a.publish({ caseId: 'case-x', bodyId: 'B', audience: { kind: 'parties', partyIds: ['V'] }, topic: 'positions' });
			a.publish({ caseId: 'case-x', bodyId: 'B', audience: { kind: 'parties', partyIds: ['M'] }, topic: 'secret' });
			const until = Date.now() + 2000;
			while (got.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
			await new Promise((r) => setTimeout(r, 100));
			expect(got).toEqual(['positions']);
		} finally {
			await a.close();
			await b.close();
		}
	});
});
