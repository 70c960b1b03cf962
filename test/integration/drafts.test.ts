import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { auditEvents, draftVersions } from '../../db/schema';
import {
	bodyFragment,
	newPointMap,
	paragraphs,
	appendBlocks,
	pointsArray,
	titleText
} from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let bodyId: string;
let caseId: string;
const cookies: Record<string, string> = {};

/** One logged-in user per label: "sec:SD" is SD's secretary, "mem:SD" an SD member, "clerk" the clerk. */
async function as(label: string): Promise<string> {
	if (cookies[label]) return cookies[label];
	const [kind, party] = label.split(':');
	const role = kind === 'sec' ? 'secretary' : kind === 'mem' ? 'member' : kind === 'clerk' ? 'clerk' : 'observer';
	const u = await buildUser(server.deps.db, { bodyId, role, party });
	cookies[label] = await server.login(u.email, u.password);
	return cookies[label];
}

async function call(label: string, method: string, path: string, json?: unknown) {
	const res = await server.fetch(`/api${path}`, { method, cookie: await as(label), json });
	const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
	return { status: res.status, body };
}

async function create(label: string, partyId: string, kind = 'yrkande') {
	const res = await call(label, 'POST', '/drafts', { caseId, partyId, kind });
	expect(res.status).toBe(201);
	return res.body.draft.id as string;
}

function edit(draftId: string, fn: (doc: Y.Doc) => void) {
	return server.deps.sync.writeDoc(`draft.${draftId}`, fn);
}

function writeSdYrkande(doc: Y.Doc) {
	const pts = pointsArray(doc);
	pts.push([
		newPointMap('p1', 'ks_kf', 'Kommunstyrelsen får i uppdrag att ställa krav på individens eget ansvar.'),
		newPointMap('p2', 'ks_kf', 'Kommunstyrelsen får i uppdrag att ta bort hänvisningar till Agenda 2030.')
	]);
	appendBlocks(bodyFragment(doc), paragraphs('Sverigedemokraterna ställer sig skeptiska till delar av budgeten.'));
}

beforeAll(async () => {
	server = await startTestServer();
	bodyId = (await buildBody(server.deps.db)).id;
	caseId = (await buildCase(server.deps.db, bodyId)).id;
	// Every party sits in the body, so each can be invited.
	for (const p of ['S', 'SD', 'M', 'D', 'L', 'KD', 'C']) await as(`sec:${p}`);
});
afterAll(() => server?.close());

describe('drafts: privacy', () => {
	it('keeps a new draft inside its party: every other party and the clerk get 404, as for a missing one', async () => {
		const id = await create('sec:SD', 'SD');
		const own = await call('sec:SD', 'GET', `/drafts/${id}`);
		expect(own.status).toBe(200);
		expect(own.body.draft).toMatchObject({
			kind: 'yrkande',
			status: 'draft',
			visibility: 'Internt för SD',
			title: 'Yrkande angående – Budget 2025 för kommunstyrelsen',
			structure: { hasPoints: true, bodyLabel: 'Yrkandet' }
		});
		expect(own.body.viewer).toMatchObject({ canEdit: true, canManage: true, canSubmit: true });
		const doc = await server.deps.sync.readDoc(`draft.${id}`);
		expect(titleText(doc).toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');

		const member = await call('mem:SD', 'GET', `/drafts/${id}`);
		expect(member.status).toBe(200);
		expect(member.body.viewer).toMatchObject({ canEdit: false, canSubmit: false });

		const missing = await call('sec:S', 'GET', '/drafts/finnsinte');
		for (const label of ['sec:S', 'mem:S', 'clerk', 'sec:C', 'obs']) {
			const res = await call(label, 'GET', `/drafts/${id}`);
			expect(res.status, label).toBe(404);
			expect(res.body).toEqual(missing.body);
			const list = await call(label, 'GET', `/drafts?caseId=${caseId}&partyId=SD`);
			expect(list.body.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
			for (const action of ['submit', 'withdraw']) {
				expect((await call(label, 'POST', `/drafts/${id}/${action}`)).status).toBe(404);
			}
			expect((await call(label, 'POST', `/drafts/${id}/cosigners`, { partyIds: ['S'] })).status).toBe(404);
		}
		const before = (await call('sec:SD', 'GET', `/drafts/${id}`)).body.draft.updatedAt;
		await edit(id, (doc) => titleText(doc).insert(titleText(doc).length, ' (SD)'));
		const list = await call('sec:SD', 'GET', `/drafts?caseId=${caseId}&partyId=SD`);
		// The listing follows the live document: its title and the time of the last edit.
		expect(list.body.drafts[0].title).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen (SD)');
		expect(list.body.drafts[0].updatedAt > before).toBe(true);
		expect(list.body.drafts).toEqual([
			expect.objectContaining({ id, statusLabel: 'Utkast', visibility: 'Internt för SD' })
		]);
	});

	it('lets only a secretary create a draft, and only in the own workspace', async () => {
		expect((await call('mem:SD', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' })).status).toBe(403);
		expect((await call('sec:S', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' })).status).toBe(404);
		expect((await call('clerk', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' })).status).toBe(404);
		const bad = await call('sec:SD', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'motion' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^kind: /);
	});

	it('gives each kind its title and structure', async () => {
		const id = await create('sec:C', 'C', 'yttrande');
		const { body } = await call('sec:C', 'GET', `/drafts/${id}`);
		expect(body.draft).toMatchObject({
			kindLabel: 'Yttrande',
			title: 'Yttrande angående – Budget 2025 för kommunstyrelsen',
			structure: { hasPoints: false, bodyLabel: 'Yttrandet' }
		});
		const plan = await create('sec:C', 'C', 'genomforandeplan');
		expect((await call('sec:C', 'GET', `/drafts/${plan}`)).body.draft.title).toBe(
			'Genomförandeplan – Budget 2025 för kommunstyrelsen'
		);
	});
});

describe('drafts: joint drafts and approval', () => {
	let id: string;

	it('shares a draft with the co-signers it invites, and with no one else', async () => {
		id = await create('sec:M', 'M', 'yttrande');
		expect((await call('sec:D', 'GET', `/drafts/${id}`)).status).toBe(404);
		const shared = await call('sec:M', 'POST', `/drafts/${id}/cosigners`, { partyIds: ['D', 'L', 'KD'] });
		expect(shared.status).toBe(200);
		expect(shared.body.draft).toMatchObject({ status: 'shared', visibility: 'Delat med M, D, L, KD' });
		expect(shared.body.draft.parties.map((p: { id: string; role: string }) => `${p.id}:${p.role}`)).toEqual([
			'M:owner',
			'D:cosigner',
			'L:cosigner',
			'KD:cosigner'
		]);
		for (const p of ['D', 'L', 'KD']) {
			const res = await call(`sec:${p}`, 'GET', `/drafts/${id}`);
			expect(res.status).toBe(200);
			expect(res.body.viewer).toMatchObject({ canEdit: true, canSubmit: false, approvableParties: [p] });
			expect((await call(`mem:${p}`, 'GET', `/drafts/${id}`)).status).toBe(200);
		}
		for (const label of ['sec:C', 'mem:C', 'sec:S', 'clerk']) {
			expect((await call(label, 'GET', `/drafts/${id}`)).status, label).toBe(404);
		}
		expect((await call('sec:D', 'POST', `/drafts/${id}/cosigners`, { partyIds: ['C'] })).status).toBe(403);
		expect((await call('sec:M', 'POST', `/drafts/${id}/cosigners`, { partyIds: ['XX'] })).status).toBe(422);
	});

	it('needs every co-signer to approve exactly the text that is submitted', async () => {
		await edit(id, (doc) => appendBlocks(bodyFragment(doc), paragraphs('I kommunfullmäktige reserverade vi oss.')));
		const early = await call('sec:M', 'POST', `/drafts/${id}/submit`);
		expect(early.status).toBe(409);
		expect(early.body.error.message).toContain('Godkännande saknas från D, L, KD');

		expect((await call('sec:M', 'POST', `/drafts/${id}/approval`, { partyId: 'D' })).status).toBe(403);
		for (const p of ['D', 'L', 'KD']) {
			expect((await call(`sec:${p}`, 'POST', `/drafts/${id}/approval`, { partyId: p })).status).toBe(200);
		}
		// An edit after the approvals: they were given for another text.
		await edit(id, (doc) => appendBlocks(bodyFragment(doc), paragraphs('Vi deltar därför inte i beslutet.')));
		const detail = await call('sec:M', 'GET', `/drafts/${id}`);
		expect(detail.body.draft.parties.map((p: { approval: string | null }) => p.approval)).toEqual([
			null,
			'stale',
			'stale',
			'stale'
		]);
		expect((await call('sec:M', 'POST', `/drafts/${id}/submit`)).status).toBe(409);

		for (const p of ['D', 'L', 'KD']) await call(`sec:${p}`, 'POST', `/drafts/${id}/approval`, { partyId: p });
		expect((await call('sec:D', 'POST', `/drafts/${id}/submit`)).status).toBe(403);
		const submitted = await call('sec:M', 'POST', `/drafts/${id}/submit`);
		expect(submitted.status).toBe(200);
		expect(submitted.body.draft).toMatchObject({ status: 'submitted', visibility: 'Inlämnat' });
		expect(submitted.body.frozen.version).toBe(1);
		expect(submitted.body.frozen.partyIds).toEqual(['M', 'D', 'L', 'KD']);
		expect(submitted.body.viewer.canEdit).toBe(false);

		// Now a public document of the body, read-only for everyone.
		for (const label of ['sec:C', 'clerk', 'mem:S']) {
			const res = await call(label, 'GET', `/drafts/${id}`);
			expect(res.status).toBe(200);
			expect(res.body.viewer).toMatchObject({ canEdit: false, canSubmit: false, canWithdraw: false });
			expect(res.body.frozen.content.body).toHaveLength(2);
		}
		const [audit] = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'draft.submit'), eq(auditEvents.subjectId, id)));
		expect(audit).toMatchObject({ partyId: 'M', bodyId });
	});

	it('lets a co-signer leave a draft it no longer wants to sign, and then keeps it out', async () => {
		const joint = await create('sec:L', 'L');
		await call('sec:L', 'POST', `/drafts/${joint}/cosigners`, { partyIds: ['KD'] });
		expect((await call('sec:KD', 'GET', `/drafts/${joint}`)).status).toBe(200);
		const left = await call('sec:KD', 'DELETE', `/drafts/${joint}/cosigners/KD`);
		expect(left.status).toBe(200);
		expect((await call('sec:KD', 'GET', `/drafts/${joint}`)).status).toBe(404);
		expect((await call('sec:L', 'GET', `/drafts/${joint}`)).body.draft).toMatchObject({
			status: 'draft',
			visibility: 'Internt för L'
		});
	});
});

describe('drafts: submit, freeze and withdraw', () => {
	it('refuses to submit an incomplete yrkande, with the reason', async () => {
		const id = await create('sec:SD', 'SD');
		const empty = await call('sec:SD', 'POST', `/drafts/${id}/submit`);
		expect(empty.status).toBe(422);
		expect(empty.body.error.message).toBe('Utkastet kan inte lämnas in: Förslaget till beslut har inga punkter.');
		await edit(id, (doc) => pointsArray(doc).push([newPointMap('x', 'ks', '')]));
		expect((await call('sec:SD', 'POST', `/drafts/${id}/submit`)).body.error.message).toBe(
			'Utkastet kan inte lämnas in: Punkt 1 under "I kommunstyrelsen" är tom.'
		);
	});

	it('freezes the submitted text; later changes to the document do not touch it', async () => {
		const id = await create('sec:SD', 'SD');
		await edit(id, writeSdYrkande);
		expect((await call('mem:SD', 'POST', `/drafts/${id}/submit`)).status).toBe(403);
		const res = await call('sec:SD', 'POST', `/drafts/${id}/submit`);
		expect(res.status).toBe(200);
		expect(res.body.frozen.content.points.map((p: { level: string }) => p.level)).toEqual(['ks_kf', 'ks_kf']);
		expect((await call('sec:SD', 'POST', `/drafts/${id}/submit`)).status).toBe(409);

		await edit(id, (doc) => titleText(doc).insert(0, 'ÄNDRAT '));
		const after = await call('sec:S', 'GET', `/drafts/${id}`);
		expect(after.body.frozen.content.title).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
		expect(after.body.draft.title).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
		const [stored] = await server.deps.db.select().from(draftVersions).where(eq(draftVersions.draftId, id));
		const frozen = new Y.Doc();
		Y.applyUpdate(frozen, stored.state);
		expect(titleText(frozen).toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');

		// The case page's list: every member and the clerk see it.
		for (const label of ['clerk', 'mem:S', 'sec:C']) {
			const list = await call(label, 'GET', `/drafts?caseId=${caseId}&status=submitted`);
			expect(list.body.drafts.map((d: { id: string }) => d.id)).toContain(id);
		}
	});

	it('withdraws a submitted draft: gone for the others, kept for the party', async () => {
		const id = await create('sec:SD', 'SD');
		await edit(id, writeSdYrkande);
		expect((await call('sec:SD', 'POST', `/drafts/${id}/withdraw`)).status).toBe(409);
		await call('sec:SD', 'POST', `/drafts/${id}/submit`);
		expect((await call('sec:S', 'GET', `/drafts/${id}`)).status).toBe(200);
		expect((await call('mem:SD', 'POST', `/drafts/${id}/withdraw`)).status).toBe(403);
		const res = await call('sec:SD', 'POST', `/drafts/${id}/withdraw`);
		expect(res.status).toBe(200);
		expect(res.body.draft).toMatchObject({ status: 'withdrawn', statusLabel: 'Återtaget' });
		expect(res.body.frozen.version).toBe(1);
		expect((await call('sec:S', 'GET', `/drafts/${id}`)).status).toBe(404);
		const submitted = await call('clerk', 'GET', `/drafts?caseId=${caseId}&status=submitted`);
		expect(submitted.body.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
		const own = await call('mem:SD', 'GET', `/drafts?caseId=${caseId}&partyId=SD`);
		expect(own.body.drafts.find((d: { id: string }) => d.id === id)).toMatchObject({ status: 'withdrawn' });
	});
});
