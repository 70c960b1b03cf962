import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { auditEvents, draftParties, memberships } from '../../db/schema';
import { appendBlocks, bodyFragment, newPointMap, paragraphs, pointsArray } from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildParty, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { docxParagraphs, docxParts, firstOutOfOrder, pdfBodyText } from '../unit/export/read';

/**
 * Signatories over HTTP: the party sets who signs its draft (members of its parties, each once),
 * they are exactly as private as the draft, every change is audited, and every export lists them
 * under their party – the draft's own exports and, once submitted, the case package.
 */

let server: TestServer;
let bodyId: string;
let caseId: string;
const cookies: Record<string, string> = {};
const people: Record<string, { id: string; name: string }> = {};

async function person(label: string, role: 'secretary' | 'member' | 'clerk', party?: string, name?: string) {
	const u = await buildUser(server.deps.db, {
		bodyId,
		role,
		party,
		name,
		...(label.startsWith('ers:') ? { seat: 'ersattare' as const } : {})
	});
	people[label] = { id: u.id, name: u.name };
	cookies[label] = await server.login(u.email, u.password);
}

async function call(label: string, method: string, path: string, json?: unknown) {
	const res = await server.fetch(`/api${path}`, { method, cookie: cookies[label], json });
	const text = await res.text();
	return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : null, text };
}

async function download(label: string, path: string) {
	const res = await server.fetch(`/api${path}`, { cookie: cookies[label] });
	expect(res.status, path).toBe(200);
	return new Uint8Array(await res.arrayBuffer());
}

const edit = (draftId: string, fn: (doc: Y.Doc) => void) => server.deps.sync.writeDoc(`draft.${draftId}`, fn);
const ids = (...labels: string[]) => labels.map((l) => people[l].id);
const SIGN = (draftId: string) => `/drafts/${draftId}/signatories`;

beforeAll(async () => {
	server = await startTestServer();
	const db = server.deps.db;
	bodyId = (await buildBody(db)).id;
	caseId = (await buildCase(db, bodyId, { meetingDate: '2024-12-11', agendaNumber: '4.' })).id;
	await buildParty(db, 'SD', 'Sverigedemokraterna');
	await buildParty(db, 'M', 'Moderaterna');
	await buildParty(db, 'S', 'Socialdemokraterna');
	await person('sec:SD', 'secretary', 'SD');
	await person('mem:SD1', 'member', 'SD', 'Daniel Strand');
	await person('mem:SD2', 'member', 'SD', 'Malin Öberg');
	await person('ers:SD', 'member', 'SD', 'Tobias Engström');
	await person('sec:M', 'secretary', 'M');
	await person('mem:M', 'member', 'M', 'Per Åkesson');
	await person('sec:S', 'secretary', 'S');
	await person('mem:S', 'member', 'S', 'Anna Lindqvist');
	await person('clerk', 'clerk');
});
afterAll(() => server?.close());

describe('signatories of a draft', () => {
	let draft: string;

	beforeAll(async () => {
		const res = await call('sec:SD', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' });
		draft = res.body.draft.id;
		await edit(draft, (doc) => {
			pointsArray(doc).push([newPointMap('p1', 'ks_kf', 'Kommunstyrelsen får i uppdrag att redovisa kostnaderna.')]);
			appendBlocks(bodyFragment(doc), paragraphs('Vi vill se en tydligare redovisning.'));
		});
	});

	it('offers the party’s ledamöter and ersättare and stores the ones chosen, in order, with an audit entry', async () => {
		const empty = await call('sec:SD', 'GET', SIGN(draft));
		expect(empty.status).toBe(200);
		expect(empty.body.signatories).toEqual([]);
		expect(empty.body.canEdit).toBe(true);
		expect(empty.body.candidates.map((c: { name: string; seatLabel: string }) => `${c.name} ${c.seatLabel}`)).toEqual([
			'Daniel Strand Ledamot',
			'Malin Öberg Ledamot',
			'Tobias Engström Ersättare'
		]);

		const set = await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids('mem:SD2', 'mem:SD1') });
		expect(set.status).toBe(200);
		expect(set.body.signatories.map((s: { name: string }) => s.name)).toEqual(['Malin Öberg', 'Daniel Strand']);
		// A member reads them, and may not change them.
		const member = await call('mem:SD1', 'GET', SIGN(draft));
		expect(member.body).toMatchObject({ canEdit: false, candidates: [] });
		expect(member.body.signatories.map((s: { partyId: string }) => s.partyId)).toEqual(['SD', 'SD']);
		const refused = await call('mem:SD1', 'PUT', SIGN(draft), { userIds: [] });
		expect(refused.status).toBe(403);
		expect(refused.body.error.message).toBe('Bara sekreterare för partierna bakom utkastet kan ändra undertecknarna.');

		const audit = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'draft.signatories'), eq(auditEvents.subjectId, draft)));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: people['sec:SD'].id, partyId: 'SD', subjectType: 'draft' });
		expect(audit[0].details).toMatchObject({ before: [], after: ids('mem:SD2', 'mem:SD1') });
		// Setting the same list again changes nothing and logs nothing.
		await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids('mem:SD2', 'mem:SD1') });
		const again = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'draft.signatories'), eq(auditEvents.subjectId, draft)));
		expect(again).toHaveLength(1);
	});

	it('refuses anyone who is no member of the draft’s parties, and anyone named twice, in Swedish', async () => {
		for (const who of [['mem:S'], ['sec:SD'], ['clerk'], ['mem:M']]) {
			const res = await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids(...who) });
			expect(res.status, who[0]).toBe(422);
			expect(res.body.error).toEqual({
				code: 'signatory_not_member',
				message: 'Bara ledamöter och ersättare för partierna bakom utkastet kan skriva under det.'
			});
		}
		const twice = await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids('mem:SD1', 'ers:SD', 'mem:SD1') });
		expect(twice.status).toBe(422);
		expect(twice.body.error).toEqual({
			code: 'signatory_duplicate',
			message: 'Daniel Strand står redan bland undertecknarna; var och en skriver under en gång.'
		});
		const unknown = await call('sec:SD', 'PUT', SIGN(draft), { userIds: ['finnsinte'] });
		expect(unknown.status).toBe(422);
		const malformed = await call('sec:SD', 'PUT', SIGN(draft), { userIds: 'Daniel Strand' });
		expect(malformed.status).toBe(400);
		// Nothing of that was stored.
		const now = await call('sec:SD', 'GET', SIGN(draft));
		expect(now.body.signatories.map((s: { name: string }) => s.name)).toEqual(['Malin Öberg', 'Daniel Strand']);
	});

	it('keeps them as private as the draft: another party gets 404 and learns no name', async () => {
		for (const label of ['sec:S', 'mem:S', 'clerk', 'sec:M', 'mem:M']) {
			for (const [method, json] of [
				['GET', undefined],
				['PUT', { userIds: ids('mem:SD1') }]
			] as const) {
				const res = await call(label, method, SIGN(draft), json);
				expect(res.status, `${label} ${method}`).toBe(404);
				expect(res.text).not.toContain('Strand');
				expect(res.text).not.toContain('Öberg');
			}
		}
		const anonymous = await server.fetch(`/api${SIGN(draft)}`);
		expect(anonymous.status).toBe(401);
	});

	it('lists them under the party in every export of the draft', async () => {
		const md = new TextDecoder().decode(await download('sec:SD', `/drafts/${draft}/export/md`));
		expect(md.trimEnd().endsWith('**Sverigedemokraterna**\\\nMalin Öberg\\\nDaniel Strand')).toBe(true);
		const html = new TextDecoder().decode(await download('mem:SD1', `/drafts/${draft}/export/html`));
		expect(html).toContain(
			'<div class="signature-group"><p><strong>Sverigedemokraterna</strong></p><p>Malin Öberg</p><p>Daniel Strand</p></div>'
		);
		const docx = docxParagraphs(
			docxParts(await download('sec:SD', `/drafts/${draft}/export/docx`))['word/document.xml']
		);
		expect(docx.map((p) => p.text).slice(-3)).toEqual(['Sverigedemokraterna', 'Malin Öberg', 'Daniel Strand']);
		const pdf = await pdfBodyText(await download('sec:SD', `/drafts/${draft}/export/pdf`));
		expect(
			firstOutOfOrder(pdf, [
				'Yrkandet',
				'Vi vill se en tydligare redovisning.',
				'Sverigedemokraterna',
				'Malin Öberg Daniel Strand'
			])
		).toBeNull();
	});

	it('takes a co-signing party’s members, lets approvals lapse on a change, and drops them when the party leaves', async () => {
		expect((await call('sec:SD', 'POST', `/drafts/${draft}/cosigners`, { partyIds: ['M'] })).status).toBe(200);
		expect((await call('sec:M', 'POST', `/drafts/${draft}/approval`, { partyId: 'M' })).status).toBe(200);
		// M's secretary edits the signatories too: M is behind the draft now.
		const set = await call('sec:M', 'PUT', SIGN(draft), { userIds: ids('mem:SD1', 'mem:M') });
		expect(set.status).toBe(200);
		const [m] = await server.deps.db
			.select()
			.from(draftParties)
			.where(and(eq(draftParties.draftId, draft), eq(draftParties.partyId, 'M')));
		expect(m.approvedDigest).toBeNull();

		const md = new TextDecoder().decode(await download('sec:M', `/drafts/${draft}/export/md`));
		expect(md).toContain('**Sverigedemokraterna**\\\nDaniel Strand\n\n**Moderaterna**\\\nPer Åkesson');

		expect((await call('sec:SD', 'DELETE', `/drafts/${draft}/cosigners/M`)).status).toBe(200);
		const after = await call('sec:SD', 'GET', SIGN(draft));
		expect(after.body.signatories.map((s: { name: string }) => s.name)).toEqual(['Daniel Strand']);
		const left = new TextDecoder().decode(await download('sec:SD', `/drafts/${draft}/export/md`));
		expect(left).not.toContain('Per Åkesson');
		expect(left).not.toContain('Moderaterna');
		// M can no longer read the signatories either.
		expect((await call('sec:M', 'GET', SIGN(draft))).status).toBe(404);
	});

	it('freezes them at submit; the submitted document and the case package list them', async () => {
		await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids('mem:SD1', 'mem:SD2') });
		expect((await call('sec:SD', 'POST', `/drafts/${draft}/submit`)).status).toBe(200);
		const frozen = await call('sec:SD', 'PUT', SIGN(draft), { userIds: ids('mem:SD1') });
		expect(frozen.status).toBe(409);
		expect(frozen.body.error.code).toBe('draft_frozen');
		// Submitted, the draft is public in the body, and so are its signatories; still nobody else sets them.
		const read = await call('sec:S', 'GET', SIGN(draft));
		expect(read.status).toBe(200);
		expect(read.body).toMatchObject({ canEdit: false, candidates: [] });
		expect((await call('sec:S', 'PUT', SIGN(draft), { userIds: [] })).status).toBe(403);

		const pdf = await pdfBodyText(await download('clerk', `/cases/${caseId}/package/pdf`));
		expect(
			firstOutOfOrder(pdf, [
				'Yrkande – Sverigedemokraterna',
				'Kommunstyrelsen får i uppdrag att redovisa kostnaderna.',
				'Sverigedemokraterna',
				'Daniel Strand',
				'Malin Öberg'
			])
		).toBeNull();
		const md = new TextDecoder().decode(await download('mem:S', `/drafts/${draft}/export/md`));
		expect(md).toContain('**Sverigedemokraterna**\\\nDaniel Strand\\\nMalin Öberg');
	});
});

describe('a signatory who sits in two bodies', () => {
	it('is shown with the seat in the body the draft is for', async () => {
		const db = server.deps.db;
		// Ledamot in another board first, then ersättare in this one.
		const other = (await buildBody(db)).id;
		const u = await buildUser(db, { bodyId: other, role: 'member', party: 'SD', name: 'Lena Tvåsits' });
		await db.insert(memberships).values({ userId: u.id, bodyId, role: 'member', partyId: 'SD', seat: 'ersattare' });
		const res = await call('sec:SD', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' });
		const draft = res.body.draft.id;
		const set = await call('sec:SD', 'PUT', SIGN(draft), { userIds: [u.id] });
		expect(set.status).toBe(200);
		const view = await call('sec:SD', 'GET', SIGN(draft));
		expect(view.body.signatories.map((s: { name: string; seatLabel: string }) => `${s.name} ${s.seatLabel}`)).toEqual([
			'Lena Tvåsits Ersättare'
		]);
	});
});

describe('the demo', () => {
	let demo: TestServer;
	beforeAll(async () => {
		demo = await startTestServer({ seedDemo: true });
	}, 120_000);
	afterAll(() => demo?.close());

	it('seeds the party documents with their signatories under their parties', async () => {
		const cookie = await demo.login('namndsekreterare@demo.yrka.se', 'yrka-demo-2025');
		const list = await (await demo.fetch(`/api/drafts?caseId=${demo.seed!.caseId!}`, { cookie })).json();
		const byParties = (p: string) => list.drafts.find((d: { partyIds: string[] }) => d.partyIds.join(',') === p);
		const sd = byParties('SD');
		const sdMd = await (await demo.fetch(`/api/drafts/${sd.id}/export/md`, { cookie })).text();
		expect(sdMd).toContain('**Sverigedemokraterna**\\\nDaniel Strand\\\nMalin Öberg');
		const joint = byParties('M,D,L,KD');
		const md = await (await demo.fetch(`/api/drafts/${joint.id}/export/md`, { cookie })).text();
		expect(md).toContain(
			[
				'**Moderaterna**\\\nPer Åkesson\\\nLouise Hedlund',
				'**Demokraterna**\\\nCecilia Forsberg',
				'**Liberalerna**\\\nFredrik Nyström',
				'**Kristdemokraterna**\\\nBirgitta Ålund'
			].join('\n\n')
		);
	});
});
