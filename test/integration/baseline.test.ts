import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineItemVersions, baselineItems, baselineVersions } from '../../db/schema';
import { type BaselineItem, walkItems } from '../../server/domain/baseline';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { docxArende, docxLetter, pdfFromText } from '../unit/import/make-files';

const fixture = readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

let server: TestServer;
let bodyId: string;
const cookies: Record<string, string> = {};

async function as(label: 'clerk' | 'sec:SD' | 'mem:M' | 'outsider'): Promise<string> {
	if (cookies[label]) return cookies[label];
	const [kind, party] = label.split(':');
	const otherBody = label === 'outsider' ? (await buildBody(server.deps.db, { name: 'Annan nämnd' })).id : bodyId;
	const role = kind === 'sec' ? 'secretary' : kind === 'mem' ? 'member' : 'clerk';
	const u = await buildUser(server.deps.db, { bodyId: otherBody, role, party });
	cookies[label] = await server.login(u.email, u.password);
	return cookies[label];
}

async function call(label: Parameters<typeof as>[0], method: string, path: string, json?: unknown) {
	const res = await server.fetch(`/api${path}`, { method, cookie: await as(label), json });
	const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
	return { status: res.status, body };
}

async function upload(
	caseId: string,
	bytes: Uint8Array | string,
	name = 'underlag.txt',
	label: 'clerk' | 'sec:SD' = 'clerk'
) {
	const res = await server.fetch(`/api/cases/${caseId}/baseline/imports`, {
		method: 'POST',
		cookie: await as(label),
		headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
		body: new Blob([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes)])
	});
	return { status: res.status, body: await res.json() };
}

async function newCase() {
	return (await buildCase(server.deps.db, bodyId)).id;
}

function flat(items: BaselineItem[]) {
	return [...walkItems(items)].map(({ item }) => item);
}

async function rowCounts() {
	const { db } = server.deps;
	return {
		versions: (await db.select().from(baselineVersions)).length,
		items: (await db.select().from(baselineItems)).length,
		contents: (await db.select().from(baselineItemVersions)).length
	};
}

beforeAll(async () => {
	server = await startTestServer();
	bodyId = (await buildBody(server.deps.db)).id;
});
afterAll(() => server?.close());

describe('importing, checking and publishing', () => {
	let caseId: string;
	let v1Ids: string[];

	beforeAll(async () => {
		caseId = await newCase();
	});

	it('imports the fixture as a draft the parties cannot see yet', async () => {
		const res = await upload(caseId, fixture, 'goteborg-ks-budget-2025.txt');
		expect(res.status).toBe(201);
		expect(res.body.outcome).toBe('created');
		expect(res.body.version).toMatchObject({ number: 1, status: 'draft', sourceKind: 'text' });
		expect(res.body.counts).toMatchObject({
			decision_point: 4,
			goal: 7,
			assignment: 22,
			table: 2,
			risk: 8,
			control: 4
		});
		expect(res.body.partyDocuments).toBe(3);

		const forMember = await call('mem:M', 'GET', `/cases/${caseId}/baseline`);
		expect(forMember.status).toBe(200);
		expect(forMember.body).toMatchObject({ published: null, draft: null, versions: [], viewer: { canManage: false } });
		expect((await call('mem:M', 'GET', `/cases/${caseId}/baseline/draft`)).status).toBe(403);
		expect((await call('mem:M', 'GET', `/cases/${caseId}/baseline/versions/1`)).status).toBe(404);

		const draft = await call('clerk', 'GET', `/cases/${caseId}/baseline/draft`);
		expect(draft.status).toBe(200);
		expect(draft.body.counts.timeplan_row).toBe(12);
	});

	it('refuses a second import while a draft waits', async () => {
		const res = await upload(caseId, fixture);
		expect(res.status).toBe(409);
		expect(res.body.error.code).toBe('draft_exists');
	});

	it('lets only the clerk import and publish', async () => {
		expect((await upload(caseId, fixture, 'x.txt', 'sec:SD')).status).toBe(403);
		expect((await call('sec:SD', 'POST', `/cases/${caseId}/baseline/draft/publish`)).status).toBe(403);
		expect((await call('outsider', 'GET', `/cases/${caseId}/baseline`)).status).toBe(404);
	});

	it('publishes: everyone in the body then reads the baseline with its sums checked', async () => {
		const pub = await call('clerk', 'POST', `/cases/${caseId}/baseline/draft/publish`);
		expect(pub.status).toBe(200);
		expect(pub.body.version).toMatchObject({ number: 1, status: 'published' });

		const res = await call('mem:M', 'GET', `/cases/${caseId}/baseline`);
		expect(res.body.published.version.number).toBe(1);
		const items = flat(res.body.published.items);
		v1Ids = items.map((i) => i.id);
		expect(items.filter((i) => i.kind === 'decision_point').map((i) => i.label)).toEqual(['1', '2', '3', '4']);
		expect(res.body.published.sums).toHaveLength(2);
		expect(res.body.published.sums.every((t: { checks: { ok: boolean }[] }) => t.checks.every((c) => c.ok))).toBe(true);

		const docs = await call('mem:M', 'GET', `/cases/${caseId}/baseline/party-documents`);
		expect(docs.body.documents.map((d: { parties: string[] }) => d.parties)).toEqual([
			['C'],
			['M', 'D', 'L', 'KD'],
			['SD']
		]);
	});

	it('changes nothing when the same file is imported again', async () => {
		const before = await rowCounts();
		const res = await upload(caseId, fixture);
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('unchanged');
		expect(res.body.version.number).toBe(1);
		expect(await rowCounts()).toEqual(before);
	});

	it('imports a revised file as version 2 with one uppdrag reworded, one removed, one added', async () => {
		const revised = fixture
			.replace(
				'kan bli en bättre arbetsgivare för personer med',
				'kan bli en attraktivare arbetsgivare för personer med'
			)
			.replace(
				'Alla nämnder och bolagsstyrelsen får i uppdrag att säkerställa \nen hållbar livscykelhantering av bärbar elektronik. \n\nKS 2025-09- 24, \ni delårsrapport augusti för \nkommunstyrelsen \n\n',
				''
			)
			.replace(
				'Kommunstyrelsen får i uppdrag att genomföra en översyn och \n',
				'Kommunstyrelsen får i uppdrag att kartlägga stadens samarbete med \ncivilsamhällets organisationer i utsatta områden. \n\nKS Q2 2025 \n\nKommunstyrelsen får i uppdrag att genomföra en översyn och \n'
			);
		const res = await upload(caseId, revised, 'reviderad.txt');
		expect(res.status).toBe(201);
		expect(res.body.version).toMatchObject({ number: 2, status: 'draft' });
		expect(res.body.changes).toMatchObject({ added: 1, removed: 1, changed: 1, moved: 0 });

		const diff = await call('clerk', 'GET', `/cases/${caseId}/baseline/versions/2/diff`);
		expect(diff.status).toBe(200);
		expect(diff.body.changes.map((c: { type: string; kind: string }) => [c.type, c.kind])).toEqual([
			['changed', 'assignment'],
			['added', 'assignment'],
			['removed', 'assignment']
		]);
		const draft = await call('clerk', 'GET', `/cases/${caseId}/baseline/draft`);
		const v2Ids = new Set(flat(draft.body.items).map((i) => i.id));
		const removedId = diff.body.changes.find((c: { type: string }) => c.type === 'removed').id;
		expect(v1Ids.filter((id) => !v2Ids.has(id))).toEqual([removedId]);
	});

	it('lets the clerk fix the draft: edit, change kind, split, merge', async () => {
		const draft = await call('clerk', 'GET', `/cases/${caseId}/baseline/draft`);
		const items = flat(draft.body.items);
		const para = items.find((i) => i.kind === 'paragraph' && i.text?.startsWith('Kommunledningen budgeterar'))!;

		const edited = await call('clerk', 'PATCH', `/cases/${caseId}/baseline/draft/items/${para.id}`, {
			text: 'Kommunledningen budgeterar ett nollresultat 2025. Ramen räknas upp med 0,2 procent.'
		});
		expect(edited.status).toBe(200);
		expect(flat(edited.body.items).find((i) => i.id === para.id)!.text).toMatch(/Ramen räknas upp/);

		const split = await call('clerk', 'POST', `/cases/${caseId}/baseline/draft/items/${para.id}/split`, { at: 50 });
		expect(split.status).toBe(200);
		const afterSplit = flat(split.body.items);
		const i = afterSplit.findIndex((x) => x.id === para.id);
		expect(afterSplit[i].text).toBe('Kommunledningen budgeterar ett nollresultat 2025.');
		expect(afterSplit[i + 1].text).toBe('Ramen räknas upp med 0,2 procent.');

		const kind = await call('clerk', 'PATCH', `/cases/${caseId}/baseline/draft/items/${afterSplit[i + 1].id}`, {
			kind: 'list_item'
		});
		expect(flat(kind.body.items).find((x) => x.id === afterSplit[i + 1].id)!.kind).toBe('list_item');

		const merged = await call('clerk', 'POST', `/cases/${caseId}/baseline/draft/items/${para.id}/merge`);
		expect(merged.status).toBe(200);
		const afterMerge = flat(merged.body.items);
		expect(afterMerge.find((x) => x.id === para.id)!.text).toBe(
			'Kommunledningen budgeterar ett nollresultat 2025. Ramen räknas upp med 0,2 procent.'
		);
		expect(afterMerge.some((x) => x.id === afterSplit[i + 1].id)).toBe(false);

		const bad = await call('clerk', 'PATCH', `/cases/${caseId}/baseline/draft/items/${para.id}`, { kind: 'okänd' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^kind: /);
		const badSplit = await call('clerk', 'POST', `/cases/${caseId}/baseline/draft/items/${para.id}/split`, {
			at: 5000
		});
		expect(badSplit.status).toBe(422);
	});

	it('publishes version 2; version 1 is kept as superseded and the diff stays readable', async () => {
		expect((await call('clerk', 'POST', `/cases/${caseId}/baseline/draft/publish`)).status).toBe(200);
		const res = await call('mem:M', 'GET', `/cases/${caseId}/baseline`);
		expect(res.body.versions.map((v: { number: number; status: string }) => [v.number, v.status])).toEqual([
			[2, 'published'],
			[1, 'superseded']
		]);
		const diff = await call('mem:M', 'GET', `/cases/${caseId}/baseline/versions/2/diff?against=1`);
		expect(diff.body.summary).toMatchObject({ added: 1, removed: 1, changed: 2 });
	});

	it('discards a draft and the ids only it had', async () => {
		const before = await rowCounts();
		const res = await upload(caseId, fixture.replace('Fel lön betalas ut.', 'Felaktig lön betalas ut.'));
		expect(res.status).toBe(201);
		expect((await call('clerk', 'DELETE', `/cases/${caseId}/baseline/draft`)).status).toBe(204);
		expect(await rowCounts()).toEqual(before);
	});
});

describe('files and bad input', () => {
	it('imports a PDF through the same parser', async () => {
		const caseId = await newCase();
		const res = await upload(caseId, new Uint8Array(await pdfFromText(fixture)), 'tjänsteutlåtande.pdf');
		expect(res.status).toBe(201);
		expect(res.body.version).toMatchObject({ sourceKind: 'pdf', sourceName: 'tjänsteutlåtande.pdf' });
		expect(res.body.counts).toMatchObject({
			decision_point: 4,
			goal: 7,
			assignment: 22,
			table_row: 32,
			timeplan_row: 12
		});
	}, 30_000);

	it('imports a DOCX', async () => {
		const caseId = await newCase();
		const res = await upload(caseId, new Uint8Array(await docxArende()), 'budget.docx');
		expect(res.status).toBe(201);
		expect(res.body.counts).toMatchObject({ decision_point: 2, goal: 1, assignment: 2, table: 1 });
	});

	it('answers bad files with a clear message and saves nothing', async () => {
		const caseId = await newCase();
		const before = await rowCounts();
		const cases: [Uint8Array | string, number, string, RegExp][] = [
			['', 422, 'empty', /Filen är tom/],
			[new Uint8Array(3000).map((_, i) => (i * 7919) % 256), 422, 'binary', /varken text, PDF eller DOCX/],
			[new Uint8Array(await pdfFromText('Hemligt', { userPassword: 'x' })), 422, 'encrypted', /lösenordsskyddad/],
			[new Uint8Array(await docxLetter()), 422, 'nothing_found', /^0 poster hittades: texten liknar inte ett ärende/],
			['Hej!\n\nDetta är ett brev.', 422, 'nothing_found', /^0 poster hittades/]
		];
		for (const [bytes, status, code, message] of cases) {
			const res = await upload(caseId, bytes);
			expect(res.status, code).toBe(status);
			expect(res.body.error.code).toBe(code);
			expect(res.body.error.message).toMatch(message);
		}
		expect(await rowCounts()).toEqual(before);
	});

	it('refuses a 50 MB upload before reading it', async () => {
		const caseId = await newCase();
		const res = await upload(caseId, new Uint8Array(50 * 1024 * 1024).fill(0x41));
		expect(res.status).toBe(413);
		expect(res.body.error.message).toMatch(/för stor \(högst 25 MB\)/);
	});
});

describe('the demo seed', () => {
	let demo: TestServer;
	beforeAll(async () => {
		demo = await startTestServer({ seedDemo: true });
	});
	afterAll(() => demo?.close());

	it('publishes the fixture as the demo case’s baseline and keeps its three party documents', async () => {
		const caseId = demo.seed!.caseId!;
		const [version] = await demo.deps.db.select().from(baselineVersions);
		expect(version).toMatchObject({ number: 1, status: 'published', sourceName: 'goteborg-ks-budget-2025.txt' });
		const clerk = demo.seed!.logins.find((l) => l.role === 'Nämndsekreterare')!;
		const cookie = await demo.login(clerk.email, 'yrka-demo-2025');
		const res = await demo.fetch(`/api/cases/${caseId}/baseline/party-documents`, { cookie });
		const { documents } = await res.json();
		expect(
			documents.map((d: { kind: string; parties: string[]; points: unknown[] }) => [d.kind, d.parties, d.points.length])
		).toEqual([
			['yttrande', ['C'], 0],
			['yttrande', ['M', 'D', 'L', 'KD'], 0],
			['yrkande', ['SD'], 4]
		]);
		const rows = await demo.deps.db
			.select()
			.from(baselineItemVersions)
			.where(eq(baselineItemVersions.versionId, version.id));
		expect(rows.filter((r) => r.kind === 'goal')).toHaveLength(7);
	});
});
