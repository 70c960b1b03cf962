import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsArray, projectDraft } from '../../server/domain/draft-doc';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ seedDemo: true });
});
afterAll(() => server?.close());

describe('demo seed: the party documents of the fixture', () => {
	it('are submitted drafts of their parties, readable by every member, with their live documents', async () => {
		const cookie = await server.login('anna.lindqvist@demo.yrka.se', 'yrka-demo-2025');
		const caseId = server.seed!.caseId!;
		const list = await (await server.fetch(`/api/drafts?caseId=${caseId}&status=submitted`, { cookie })).json();
		const byParties = new Map(list.drafts.map((d: { partyIds: string[] }) => [d.partyIds.join(','), d]));
		expect([...byParties.keys()].sort()).toEqual(['C', 'M,D,L,KD', 'SD']);
		expect(byParties.get('M,D,L,KD')).toMatchObject({ kind: 'yttrande', visibility: 'Inlämnat' });

		const sd = byParties.get('SD') as { id: string };
		const detail = await (await server.fetch(`/api/drafts/${sd.id}`, { cookie })).json();
		expect(detail.draft).toMatchObject({
			kind: 'yrkande',
			title: 'Yrkande angående – Budget 2025 för kommunstyrelsen'
		});
		expect(detail.viewer.canEdit).toBe(false);
		const points = detail.frozen.content.points;
		expect(points.map((p: { level: string }) => p.level)).toEqual(['ks_kf', 'ks_kf', 'ks_kf', 'ks_kf']);
		expect(points[3].text).toBe(
			'Kommunstyrelsen får i uppdrag att avbryta allt samarbete med muslimska Samverkansgruppen.'
		);
		expect(detail.frozen.content.body).toHaveLength(5);

		const doc = await server.deps.sync.readDoc(detail.draft.docName);
		expect(pointsArray(doc).length).toBe(4);
		expect(projectDraft(doc)).toEqual(detail.frozen.content);

		const joint = byParties.get('M,D,L,KD') as { id: string };
		const jd = await (await server.fetch(`/api/drafts/${joint.id}`, { cookie })).json();
		expect(jd.draft.parties.map((p: { approval: string | null }) => p.approval)).toEqual([
			null,
			'approved',
			'approved',
			'approved'
		]);
	});

	it('gives every party a second secretary', async () => {
		const cookie = await server.login('politisk.sekreterare.sd@demo.yrka.se', 'yrka-demo-2025');
		const me = await (await server.fetch('/api/auth/me', { cookie })).json();
		expect(me.user.memberships).toEqual([
			expect.objectContaining({ role: 'secretary', party: expect.objectContaining({ id: 'SD' }) })
		]);
	});
});
