import { count } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { drafts, users } from '../../../db/schema';
import {
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray,
	titleText
} from '../../../server/domain/draft-doc';
import { DEMO_PASSWORD, demoSecretary } from '../../../server/seed/demo-data';
import { readableText } from '../../support/inspect';
import { apiRoutes } from '../../support/routes';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Script and SQL in every text field a user can fill: stored and answered exactly as typed, never run.
 * The JSON API answers as JSON with nosniff; the HTML export escapes it, the Markdown export
 * backslash-escapes it, DOCX carries it as text, file names drop it. A NUL character, which Postgres
 * cannot store, is refused with 400 wherever it enters, never 500.
 */

const script = `<script>alert("yrka")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>{{7*7}}\${7*7}`;
const sqlish = `'; DROP TABLE drafts; -- ' OR '1'='1" UNION SELECT password_hash FROM users; $1 \\' %_`;
const payload = `${script} ${sqlish} åäö`;

let server: TestServer;
let caseId: string;
let bodyId: string;
let clerk: string;
let sd: string;

async function json(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) {
	const res = await server.fetch(path, init);
	const text = await res.text();
	if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
	expect(res.headers.get('content-type')).toContain('application/json');
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	return JSON.parse(text);
}

function mounted(method: string, path: string) {
	return apiRoutes(server.app).some((r) => r.method === method && r.path === path);
}

beforeAll(async () => {
	server = await startTestServer({ seedDemo: true, env: { API_RATE_BURST: '100000' } });
	caseId = server.seed!.caseId!;
	clerk = await server.login('namndsekreterare@demo.yrka.se', DEMO_PASSWORD);
	sd = await server.login(demoSecretary('SD').email, DEMO_PASSWORD);
	bodyId = (await json(`/api/cases/${caseId}`, { cookie: clerk })).case.bodyId;
}, 120_000);

afterAll(() => server?.close());

describe('script and SQL payloads', () => {
	it('stores a case title and number verbatim', async () => {
		const created = await json('/api/cases', {
			method: 'POST',
			cookie: clerk,
			json: { bodyId, title: payload, caseNumber: sqlish.slice(0, 60) }
		});
		const read = await json(`/api/cases/${created.case.id}`, { cookie: clerk });
		expect(read.case.title).toBe(payload);
		expect(read.case.caseNumber).toBe(sqlish.slice(0, 60).trim());
	});

	it('keeps a draft typed with payloads verbatim in the API and inert in every export', async () => {
		const { draft } = await json('/api/drafts', {
			method: 'POST',
			cookie: sd,
			json: { caseId, partyId: 'SD', kind: 'yrkande' }
		});
		await server.deps.sync.writeDoc(`draft.${draft.id}`, (doc: Y.Doc) => {
			const t = titleText(doc);
			t.delete(0, t.length);
			t.insert(0, payload);
			pointsArray(doc).push([newPointMap('p1', 'ks', payload)]);
			appendBlocks(bodyFragment(doc), paragraphs(payload));
		});
		const detail = await json(`/api/drafts/${draft.id}`, { cookie: sd });
		expect(detail.draft.title).toBe(payload);
		const listed = await json(`/api/drafts?caseId=${caseId}&partyId=SD`, { cookie: sd });
		expect(listed.drafts.map((d: { title: string }) => d.title)).toContain(payload);

		const file = async (format: string) => {
			const res = await server.fetch(`/api/drafts/${draft.id}/export/${format}`, { cookie: sd });
			expect(res.status, format).toBe(200);
			const disposition = res.headers.get('content-disposition') ?? '';
			expect(disposition, format).not.toMatch(/[<>"\r\n]script|<|javascript:/);
			return new Uint8Array(await res.arrayBuffer());
		};
		const html = strFromU8(await file('html'));
		// No tag of the payload survives as markup: its < is &lt;, so the rest is text too.
		expect(html).not.toMatch(/<(script|img|a)\b/i);
		expect(html).toContain('&lt;script&gt;alert(&quot;yrka&quot;)&lt;/script&gt;');

		const md = strFromU8(await file('md'));
		// Every < that would open a tag is escaped; a Markdown renderer shows it as text.
		expect(md).not.toMatch(/(^|[^\\])<(script|img|a )/m);
		expect(md).toContain('\\<script\\>');

		const docx = unzipSync(await file('docx'));
		const xml = strFromU8(docx['word/document.xml']);
		expect(xml).not.toMatch(/<script|<img/);
		expect(xml).toContain('&lt;script&gt;');
		expect(await readableText(await file('pdf'))).toContain('alert');
	});

	it('keeps comments and positions verbatim where those routes are mounted', async () => {
		const checked: string[] = [];
		if (mounted('POST', '/api/comments')) {
			const { draft } = await json('/api/drafts', {
				method: 'POST',
				cookie: sd,
				json: { caseId, partyId: 'SD', kind: 'yrkande' }
			});
			await json('/api/comments', {
				method: 'POST',
				cookie: sd,
				json: { target: { kind: 'draft', draftId: draft.id }, text: payload }
			});
			const listed = await json(`/api/comments?draftId=${draft.id}`, { cookie: sd });
			expect(JSON.stringify(listed)).toContain(JSON.stringify(payload).slice(1, -1));
			checked.push('comments');
		}
		if (mounted('POST', '/api/cases/:caseId/positions')) {
			const detail = await json(`/api/cases/${caseId}`, { cookie: sd });
			const member = (detail.members as { userId: string; partyId: string }[]).find((m) => m.partyId === 'SD')!;
			const created = await json(`/api/cases/${caseId}/positions`, {
				method: 'POST',
				cookie: sd,
				json: {
					memberId: member.userId,
					stage: 'planned',
					kind: 'protokollsanteckning',
					text: payload,
					target: { type: 'case' }
				}
			});
			expect(JSON.stringify(created)).toContain(JSON.stringify(payload).slice(1, -1));
			checked.push('positions');
		}
		console.log(`payloads: checked ${checked.join(', ') || 'nothing (routes not mounted)'}`);
	});

	it('keeps a baseline file name and edited item verbatim', async () => {
		const text = `Förslag till beslut\n\nI kommunstyrelsen\n\n1. ${payload}\n`;
		const res = await server.fetch(`/api/cases/${caseId}/baseline/imports`, {
			method: 'POST',
			cookie: clerk,
			headers: { 'x-file-name': encodeURIComponent(`${script}.txt`), 'content-type': 'text/plain' },
			body: text
		});
		expect(res.status, await res.clone().text()).toBeLessThan(300);
		const imported = await res.json();
		expect(imported.version.sourceName).toBe(`${script}.txt`);
		const draftView = await json(`/api/cases/${caseId}/baseline/draft`, { cookie: clerk });
		const first = draftView.items[0] as { id: string };
		const patched = await json(`/api/cases/${caseId}/baseline/draft/items/${first.id}`, {
			method: 'PATCH',
			cookie: clerk,
			json: { title: payload, text: payload, label: script.slice(0, 40) }
		});
		const item = (patched.items as { id: string; title?: string; text?: string }[]).find((i) => i.id === first.id)!;
		expect(item.title).toBe(payload);
		expect(item.text).toBe(payload);
		await server.fetch(`/api/cases/${caseId}/baseline/draft`, { method: 'DELETE', cookie: clerk });
	});

	/** A draft whose text has a NUL pasted into it (it comes with text copied from some PDFs). */
	async function draftWithNul(): Promise<string> {
		const { draft } = await json('/api/drafts', {
			method: 'POST',
			cookie: sd,
			json: { caseId, partyId: 'SD', kind: 'yrkande' }
		});
		await server.deps.sync.writeDoc(`draft.${draft.id}`, (doc: Y.Doc) => {
			const t = titleText(doc);
			t.delete(0, t.length);
			t.insert(0, 'Rubrik med NUL\u0000 i');
			pointsArray(doc).push([newPointMap('p1', 'ks', 'Punkt\u0000.')]);
		});
		// The projection that listings read is written a moment after the edit.
		await new Promise((r) => setTimeout(r, 1500));
		return draft.id as string;
	}

	it('answers below 500 for a draft with a NUL typed into it', async () => {
		const id = await draftWithNul();
		expect((await server.fetch(`/api/drafts/${id}`, { cookie: sd })).status).toBe(200);
		expect((await server.fetch(`/api/drafts?caseId=${caseId}&partyId=SD`, { cookie: sd })).status).toBe(200);
		for (const f of ['html', 'docx', 'pdf', 'md']) {
			expect((await server.fetch(`/api/drafts/${id}/export/${f}`, { cookie: sd })).status, f).toBeLessThan(500);
		}
		expect((await server.fetch(`/api/drafts/${id}/submit`, { method: 'POST', cookie: sd })).status).toBeLessThan(500);
	});

	// Postgres cannot keep NUL in jsonb: the projection (listings, search) and the snapshots (submit,
	// versions) leave control characters out, while the Y.Doc keeps what was typed.
	it('lists a draft with a NUL by its live title and lets it be submitted', async () => {
		const id = await draftWithNul();
		const listed = await json(`/api/drafts?caseId=${caseId}&partyId=SD`, { cookie: sd });
		const row = (listed.drafts as { id: string; title: string }[]).find((d) => d.id === id);
		expect(row?.title.replaceAll('\u0000', '')).toBe('Rubrik med NUL i');
		const submitted = await server.fetch(`/api/drafts/${id}/submit`, { method: 'POST', cookie: sd });
		expect(submitted.status, await submitted.text()).toBe(200);
	});

	it('lists and submits a draft by its live title without other control characters', async () => {
		const { draft } = await json('/api/drafts', {
			method: 'POST',
			cookie: sd,
			json: { caseId, partyId: 'SD', kind: 'yrkande' }
		});
		await server.deps.sync.writeDoc(`draft.${draft.id}`, (doc: Y.Doc) => {
			const t = titleText(doc);
			t.delete(0, t.length);
			t.insert(0, 'Ringklocka\u0007 och\u001b escape\u007f\tmed tabb');
			pointsArray(doc).push([newPointMap('p1', 'ks', 'Punkt\u000b ett.')]);
		});
		await server.deps.sync.flush();
		const listed = await json(`/api/drafts?caseId=${caseId}&partyId=SD`, { cookie: sd });
		const row = (listed.drafts as { id: string; title: string }[]).find((d) => d.id === draft.id);
		expect(row?.title).toBe('Ringklocka och escape\tmed tabb');
		const submitted = await server.fetch(`/api/drafts/${draft.id}/submit`, { method: 'POST', cookie: sd });
		expect(submitted.status, await submitted.text()).toBe(200);
	});

	it('refuses control characters in titles, names and numbers with a Swedish message', async () => {
		const { draft } = await json('/api/drafts', {
			method: 'POST',
			cookie: sd,
			json: { caseId, partyId: 'SD', kind: 'yrkande' }
		});
		const message = /otillåtna tecken \(styrtecken\)/;
		const attempts: [string, Promise<Response>][] = [
			[
				'case title',
				server.fetch('/api/cases', {
					method: 'POST',
					cookie: clerk,
					json: { bodyId, title: 'Ärende\u0007', caseNumber: 'X-2' }
				})
			],
			[
				'case number',
				server.fetch('/api/cases', {
					method: 'POST',
					cookie: clerk,
					json: { bodyId, title: 'Ärende', caseNumber: 'X-\u001b3' }
				})
			],
			[
				'version name',
				server.fetch(`/api/drafts/${draft.id}/versions`, {
					method: 'POST',
					cookie: sd,
					json: { label: 'Version\u0008 1' }
				})
			]
		];
		for (const [what, p] of attempts) {
			const res = await p;
			const body = await res.json();
			expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(400);
			expect(body.error.message, what).toMatch(message);
		}
		// Tabs and line breaks are text, not control characters.
		const ok = await server.fetch(`/api/drafts/${draft.id}/versions`, {
			method: 'POST',
			cookie: sd,
			json: { label: 'Version\t2' }
		});
		expect(ok.status, await ok.text()).toBeLessThan(300);
	});

	it('leaves the database as it was: the SQL was text, not a statement', async () => {
		const [{ n }] = await server.deps.db.select({ n: count() }).from(drafts);
		expect(n).toBeGreaterThan(0);
		const [{ u }] = await server.deps.db.select({ u: count() }).from(users);
		expect(u).toBeGreaterThan(30);
	});

	it('refuses the NUL character with 400 wherever it enters, never 500', async () => {
		const nul = 'a\u0000b';
		const attempts: [string, Promise<Response>][] = [
			[
				'case title',
				server.fetch('/api/cases', { method: 'POST', cookie: clerk, json: { bodyId, title: nul, caseNumber: 'X-1' } })
			],
			['path id', server.fetch(`/api/drafts/${encodeURIComponent(nul)}`, { cookie: sd })],
			['query id', server.fetch(`/api/drafts?caseId=${encodeURIComponent(nul)}`, { cookie: sd })],
			[
				'login email',
				server.fetch('/api/auth/login', { method: 'POST', json: { email: `${nul}@x.se`, password: nul } })
			],
			[
				'upload file name',
				server.fetch(`/api/cases/${caseId}/baseline/imports`, {
					method: 'POST',
					cookie: clerk,
					headers: { 'x-file-name': '%00.txt', 'content-type': 'text/plain' },
					body: 'Förslag till beslut\n\n1. Text.\n'
				})
			],
			[
				'upload text',
				server.fetch(`/api/cases/${caseId}/baseline/imports`, {
					method: 'POST',
					cookie: clerk,
					headers: { 'content-type': 'text/plain' },
					body: 'Förslag till beslut\n\n1. Te\u0000xt.\n'
				})
			]
		];
		for (const [what, p] of attempts) {
			const res = await p;
			const body = await res.json();
			expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(400);
			expect(body.error.message, what).toMatch(/otillåtet tecken|inte kan sparas|Ogiltig|ogiltig|:/);
		}
	});
});
