import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { auditEvents, syncDocs } from '../../db/schema';
import { findItem, walkItems, type BaselineItem } from '../../server/domain/baseline';
import {
	amendmentsArray,
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray,
	titleText
} from '../../server/domain/draft-doc';
import { importBaseline, loadTree } from '../../server/import/store';
import { buildBody, buildCase, buildParty, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { docxParagraphs, docxParts, firstOutOfOrder, pdfBodyText } from '../unit/export/read';
import { swedishDate } from '../../server/domain/positions/rules';
import { sdYrkandeFromFixture } from '../unit/export/samples';

/**
 * The export routes against a real server and database: who may download what, that a submitted
 * draft is exported from its frozen version, and that the case package holds only submitted
 * documents – never a party's internal draft, never a withdrawn one.
 */

let server: TestServer;
let bodyId: string;
let caseId: string;
let slkPoint1: BaselineItem;
let baselineVersion: number;
const cookies: Record<string, string> = {};
const SECRET = 'HEMLIG FORMULERING FRÅN M';

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

async function download(label: string, path: string) {
	const res = await server.fetch(`/api${path}`, { cookie: await as(label) });
	const bytes = new Uint8Array(await res.arrayBuffer());
	return { res, bytes, text: () => new TextDecoder().decode(bytes) };
}

async function create(label: string, partyId: string, kind: string) {
	const res = await call(label, 'POST', '/drafts', { caseId, partyId, kind });
	expect(res.status).toBe(201);
	return res.body.draft.id as string;
}

const edit = (draftId: string, fn: (doc: Y.Doc) => void) => server.deps.sync.writeDoc(`draft.${draftId}`, fn);

/** SD's yrkande as the fixture prints it, and one amendment to SLK's point 1. */
function writeSdYrkande(doc: Y.Doc) {
	const f = sdYrkandeFromFixture();
	pointsArray(doc).push(f.points.map((text, i) => newPointMap(`p${i + 1}`, 'ks_kf', text)));
	appendBlocks(bodyFragment(doc), paragraphs(f.motivation.join('\n\n')));
	const a = new Y.Map<unknown>();
	const content = new Y.XmlFragment();
	const values = new Y.Map<number | null>();
	a.set('id', 'a1');
	a.set('baselineItemId', slkPoint1.id);
	a.set('baselineVersion', baselineVersion);
	a.set('op', 'change');
	a.set('content', content);
	a.set('values', values);
	appendBlocks(content, paragraphs(`${slkPoint1.text} Ramen för integrationsarbetet ska redovisas särskilt.`));
	amendmentsArray(doc).push([a]);
}

beforeAll(async () => {
	server = await startTestServer();
	const db = server.deps.db;
	bodyId = (await buildBody(db)).id;
	caseId = (await buildCase(db, bodyId, { meetingDate: '2024-12-11', agendaNumber: '4.' })).id;
	for (const [id, name] of [
		['SD', 'Sverigedemokraterna'],
		['S', 'Socialdemokraterna'],
		['M', 'Moderaterna'],
		['L', 'Liberalerna']
	]) {
		await buildParty(db, id, name);
	}
	for (const p of ['SD', 'S', 'M', 'L']) await as(`sec:${p}`);
	const fixture = readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
	const imported = await importBaseline(db, caseId, {
		sourceName: 'SLK-2024-00738.txt',
		sourceKind: 'text',
		text: fixture,
		userId: null,
		publish: true
	});
	baselineVersion = imported.version.number;
	const tree = await loadTree(db, imported.version.id);
	const point = [...walkItems(tree)].map((w) => w.item).find((i) => i.kind === 'decision_point' && i.label === '1');
	if (!point) throw new Error('the fixture has no decision point 1');
	slkPoint1 = findItem(tree, point.id) as BaselineItem;
});
afterAll(() => server?.close());

describe('export of one draft', () => {
	let sdDraft: string;

	it('gives the party its own draft, marked UTKAST, and nobody else anything', async () => {
		sdDraft = await create('sec:SD', 'SD', 'yrkande');
		await edit(sdDraft, writeSdYrkande);

		const own = await download('sec:SD', `/drafts/${sdDraft}/export/docx`);
		expect(own.res.status).toBe(200);
		expect(own.res.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		);
		expect(own.res.headers.get('content-disposition')).toBe(
			`attachment; filename="Yrkande SD - Budget 2025 for kommunstyrelsen (utkast).docx"; ` +
				`filename*=UTF-8''Yrkande%20SD%20%E2%80%93%20Budget%202025%20f%C3%B6r%20kommunstyrelsen%20%28utkast%29.docx`
		);
		expect(own.res.headers.get('cache-control')).toBe('no-store');
		const parts = docxParts(own.bytes);
		expect(Object.entries(parts).some(([n, xml]) => n.startsWith('word/header') && xml.includes('UTKAST'))).toBe(true);

		expect((await download('mem:SD', `/drafts/${sdDraft}/export/pdf`)).res.status).toBe(200);
		for (const label of ['sec:S', 'mem:S', 'clerk', 'obs', 'sec:M']) {
			for (const format of ['docx', 'pdf', 'md', 'html']) {
				const res = await download(label, `/drafts/${sdDraft}/export/${format}`);
				expect(res.res.status, `${label} ${format}`).toBe(404);
				expect(res.text()).not.toContain('Sverigedemokraterna');
			}
		}
	});

	it('exports a submitted draft to everyone from its frozen version, with tracked changes by the party', async () => {
		expect((await call('sec:SD', 'POST', `/drafts/${sdDraft}/submit`)).status).toBe(200);
		// A change to the live document after the submit is not what was handed in.
		await edit(sdDraft, (doc) => titleText(doc).insert(0, 'ÄNDRAT EFTER INLÄMNING '));

		const f = sdYrkandeFromFixture();
		const pdf = await download('sec:S', `/drafts/${sdDraft}/export/pdf`);
		expect(pdf.res.status).toBe(200);
		expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
		expect(pdf.res.headers.get('content-disposition')).toContain(
			"filename*=UTF-8''Yrkande%20SD%20%E2%80%93%20Budget%202025%20f%C3%B6r%20kommunstyrelsen.pdf"
		);
		const text = await pdfBodyText(pdf.bytes);
		expect(text).not.toContain('UTKAST');
		expect(text).not.toContain('ÄNDRAT EFTER INLÄMNING');
		expect(
			firstOutOfOrder(text, [
				'Kommunstyrelsen',
				'Yrkande',
				'Sverigedemokraterna',
				'Sammanträde 2024-12-11, ärende nr 4.',
				'Ärendenummer SLK-2024-00738',
				f.title,
				'Förslag till beslut',
				'I kommunstyrelsen och kommunfullmäktige:',
				...f.points,
				'Ändringsförslag',
				'Punkt 1 i stadsledningskontorets förslag till beslut får följande lydelse:',
				'Ramen för integrationsarbetet ska redovisas särskilt.',
				'Yrkandet',
				f.motivation[0]
			])
		).toBeNull();

		const docx = await download('clerk', `/drafts/${sdDraft}/export/docx`);
		const tracked = docxParagraphs(docxParts(docx.bytes)['word/document.xml']).filter((p) => p.revisions.length);
		expect(tracked).toHaveLength(1);
		expect(tracked[0].rejected.replace(/\s+/g, ' ')).toBe(slkPoint1.text?.replace(/\s+/g, ' '));
		expect(tracked[0].revisions).toEqual([
			expect.objectContaining({
				kind: 'ins',
				author: 'Sverigedemokraterna',
				text: ' Ramen för integrationsarbetet ska redovisas särskilt.'
			})
		]);

		const md = await download('obs', `/drafts/${sdDraft}/export/md`);
		expect(md.res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
		expect(md.text()).toContain('## Förslag till beslut');
		const html = await download('mem:S', `/drafts/${sdDraft}/export/html`);
		expect(html.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(html.text()).toContain('<h2>Yrkandet</h2>');

		// Every download is in the audit log, with who fetched which draft in which format.
		const audited = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.subjectType, 'draft'), eq(auditEvents.subjectId, sdDraft)));
		expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['export.docx', 'export.pdf', 'export.md']));
		expect(audited.find((a) => a.action === 'export.md')).toMatchObject({ partyId: 'SD' });
	});

	it('refuses an unknown format, a missing draft and a visitor', async () => {
		const bad = await call('sec:SD', 'GET', `/drafts/${sdDraft}/export/odt`);
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^format: /);
		expect((await call('sec:SD', 'GET', '/drafts/finnsinte/export/pdf')).status).toBe(404);
		const anonymous = await server.fetch(`/api/drafts/${sdDraft}/export/pdf`);
		expect(anonymous.status).toBe(401);
	});
});

describe('the case package', () => {
	let lWithdrawn: string;

	beforeAll(async () => {
		// M's draft stays internal; L submits a yttrande and withdraws it; S submits a yttrande.
		const m = await create('sec:M', 'M', 'yrkande');
		await edit(m, (doc) => {
			pointsArray(doc).push([newPointMap('m1', 'ks', SECRET)]);
			appendBlocks(bodyFragment(doc), paragraphs(SECRET));
		});
		lWithdrawn = await create('sec:L', 'L', 'yttrande');
		await edit(lWithdrawn, (doc) => appendBlocks(bodyFragment(doc), paragraphs('Liberalerna drog tillbaka detta.')));
		expect((await call('sec:L', 'POST', `/drafts/${lWithdrawn}/submit`)).status).toBe(200);
		expect((await call('sec:L', 'POST', `/drafts/${lWithdrawn}/withdraw`)).status).toBe(200);
		const s = await create('sec:S', 'S', 'yttrande');
		await edit(s, (doc) => appendBlocks(bodyFragment(doc), paragraphs('Socialdemokraterna står bakom budgeten.')));
		expect((await call('sec:S', 'POST', `/drafts/${s}/submit`)).status).toBe(200);
	});

	it('holds every submitted document and nothing internal or withdrawn, for anyone in the body', async () => {
		for (const label of ['clerk', 'sec:M', 'obs']) {
			const pdf = await download(label, `/cases/${caseId}/package/pdf`);
			expect(pdf.res.status, label).toBe(200);
			expect(pdf.res.headers.get('content-disposition')).toContain(
				"filename*=UTF-8''%C3%84rendepaket%20%E2%80%93%20Budget%202025%20f%C3%B6r%20kommunstyrelsen.pdf"
			);
			const text = await pdfBodyText(pdf.bytes);
			expect(
				firstOutOfOrder(text, [
					'Ärendepaket',
					'4. Budget 2025 för kommunstyrelsen (SLK-2024-00738) – 2 inlämnade dokument',
					'Yrkande – Sverigedemokraterna',
					'Kommunstyrelsen får i uppdrag att avbryta allt samarbete med muslimska Samverkansgruppen.',
					'Yttrande – Socialdemokraterna',
					'Socialdemokraterna står bakom budgeten.'
				])
			).toBeNull();
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain('Liberalerna');
			expect(text).not.toContain('ÄNDRAT EFTER INLÄMNING');
		}
		const docx = await download('sec:S', `/cases/${caseId}/package/docx`);
		expect(docx.res.status).toBe(200);
		const xml = Object.values(docxParts(docx.bytes)).join('\n');
		expect(xml).toContain('Yrkande – Sverigedemokraterna');
		expect(xml).not.toContain(SECRET);
		expect(xml).not.toContain('drog tillbaka');
	});

	it('is the same file each time it is asked for', async () => {
		const a = await download('clerk', `/cases/${caseId}/package/docx`);
		const b = await download('sec:SD', `/cases/${caseId}/package/docx`);
		expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
	});

	it('never exports a withdrawn document, not even to its own party', async () => {
		const own = await call('sec:L', 'GET', `/drafts/${lWithdrawn}/export/pdf`);
		expect(own.status).toBe(409);
		expect(own.body.error).toMatchObject({
			code: 'draft_withdrawn',
			message: 'Ett återtaget dokument kan inte exporteras.'
		});
		expect((await call('sec:S', 'GET', `/drafts/${lWithdrawn}/export/pdf`)).status).toBe(404);
	});

	it('answers a case outside the user’s body like a missing one', async () => {
		const other = await buildBody(server.deps.db, { name: 'Kommunstyrelsen', organization: 'Annan kommun' });
		const otherCase = await buildCase(server.deps.db, other.id);
		const res = await call('clerk', 'GET', `/cases/${otherCase.id}/package/pdf`);
		expect(res.status).toBe(404);
		expect((await call('clerk', 'GET', '/cases/finnsinte/package/pdf')).body).toEqual(res.body);
	});
});

describe('an unsubmitted draft', () => {
	it('is dated by its last change, not by the day it is exported: the same draft gives the same file', async () => {
		const draft = await create('sec:S', 'S', 'yttrande');
		await edit(draft, (doc) => appendBlocks(bodyFragment(doc), paragraphs('Ett utkast som inte ändras.')));
		const [doc] = await server.deps.db
			.select({ updatedAt: syncDocs.updatedAt })
			.from(syncDocs)
			.where(eq(syncDocs.name, `draft.${draft}`));
		const changed = swedishDate(doc.updatedAt);

		const first: Record<string, Uint8Array> = {};
		for (const f of ['docx', 'pdf', 'md', 'html'])
			first[f] = (await download('sec:S', `/drafts/${draft}/export/${f}`)).bytes;
		expect(new TextDecoder().decode(first.md)).toContain(changed);
		try {
			// Ten days on (the session still holds): nothing in the draft changed, so neither does the file.
			vi.useFakeTimers({ toFake: ['Date'] });
			vi.setSystemTime(Date.now() + 10 * 24 * 3600_000);
			expect(swedishDate(new Date())).not.toBe(changed);
			for (const f of ['docx', 'pdf', 'md', 'html']) {
				const again = (await download('sec:S', `/drafts/${draft}/export/${f}`)).bytes;
				expect(Buffer.from(again).equals(Buffer.from(first[f])), f).toBe(true);
			}
		} finally {
			vi.useRealTimers();
		}
		const md = new TextDecoder().decode(first.md);
		expect(md).toContain('UTKAST');
		expect(md).not.toContain(swedishDate(new Date(Date.now() + 10 * 24 * 3600_000)));
	});
});
