import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { drafts } from '../../../db/schema';
import { replaceAmendmentText } from '../../../server/domain/amendment-doc';
import {
	amendmentsArray,
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray,
	titleText
} from '../../../server/domain/draft-doc';
import { exportFormats } from '../../../server/export/http';
import { newId } from '../../../server/ids';
import { closeCodes } from '../../../server/sync/wire';
import { DEMO_PASSWORD, demoMembers, demoEmail, demoParties, demoSecretary } from '../../../server/seed/demo-data';
import { readResponse } from '../../support/inspect';
import { apiRoutes, combinations, fillPath } from '../../support/routes';
import { startTestServer, type TestServer } from '../../support/server';
import { rawSocket, stockProvider, synced, waitFor } from '../../support/sync';

/**
 * Party privacy, generated rather than picked by hand. Party A (SD) plants unique strings in
 * everything it keeps internal: draft titles, points, motivation, an amendment, presence, a withdrawn
 * draft's frozen version, a draft shared with one other party, export downloads (and so audit rows).
 * Then every route of the app, read from Hono's route table with its parameters filled from A's real
 * rows, is called as the secretary of every other party, as a ledamot, as the clerk and anonymously,
 * and no answer (body, header, error message, opened download) may carry any of it. A route added
 * tomorrow is called by this test the day it is mounted.
 */

const A = 'SD';
/** Unique, one word, so it survives every export format unbroken. */
const canary = (label: string) => `kanarie${label}${newId().slice(0, 12)}`;

interface Principal {
	label: string;
	email: string | null;
	/** A's secrets this principal may legitimately see (a co-signing party sees the shared draft). */
	allowed: Set<string>;
	cookie?: string;
}

let server: TestServer;
let caseId: string;
let itemId: string;
let sdCookie: string;
const ids = { d1: '', d2: '', d3: '', d4: '', amendment: '' };
/** Ids of SD's internal comments and planned positions, when those routes are mounted. */
const commentIds: string[] = [];
const positionIds: string[] = [];
/** What this run could not plant because the route is not there (yet). */
const notPlanted: string[] = [];
const secrets: Record<string, string> = {
	d1Title: canary('titel'),
	d1Point: canary('punkt'),
	d1Body: canary('motivering'),
	amendment: canary('andring'),
	d2Title: canary('delad'),
	d3Title: canary('aterdragen'),
	d3Point: canary('aterdragenpunkt'),
	presence: canary('narvaro'),
	comment: canary('kommentar'),
	commentOnBaseline: canary('underlagskommentar'),
	plannedPosition: canary('planerad')
};
const publicMark = canary('publik');
const principals: Principal[] = [];
const cleanup: (() => void)[] = [];

/** Every secret with its label, the draft ids included: an id of an internal draft is itself a leak. */
function forbiddenFor(p: Principal): [string, string][] {
	const all: [string, string][] = [
		...Object.entries(secrets),
		['d1Id', ids.d1],
		['d2Id', ids.d2],
		['d3Id', ids.d3],
		['amendmentId', ids.amendment],
		...commentIds.map((id, i): [string, string] => [`commentId${i}`, id]),
		...positionIds.map((id, i): [string, string] => [`positionId${i}`, id])
	];
	return all.filter(([label]) => !p.allowed.has(label));
}

async function api(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) {
	const res = await server.fetch(path, init);
	if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
	return res.headers.get('content-type')?.includes('json') ? res.json() : res.arrayBuffer();
}

async function createDraft(): Promise<string> {
	const body = await api('/api/drafts', {
		method: 'POST',
		cookie: sdCookie,
		json: { caseId, partyId: A, kind: 'yrkande' }
	});
	return body.draft.id as string;
}

function write(draftId: string, fn: (doc: Y.Doc) => void) {
	return server.deps.sync.writeDoc(`draft.${draftId}`, fn);
}

function setTitle(doc: Y.Doc, title: string) {
	const t = titleText(doc);
	t.delete(0, t.length);
	t.insert(0, title);
}

/** A baseline item an amendment may change: the first that the API accepts. */
async function plantAmendment(draftId: string): Promise<string> {
	const { published } = await api(`/api/cases/${caseId}/baseline`, { cookie: sdCookie });
	const candidates: string[] = [];
	const walk = (items: { id: string; kind: string; children?: unknown[] }[]) => {
		for (const it of items) {
			if (['point', 'goal', 'assignment', 'paragraph', 'direction'].includes(it.kind)) candidates.push(it.id);
			if (Array.isArray(it.children)) walk(it.children as never);
		}
	};
	walk(published.items);
	for (const baselineItemId of candidates.slice(0, 40)) {
		const res = await server.fetch(`/api/cases/${caseId}/amendments`, {
			method: 'POST',
			cookie: sdCookie,
			json: { draftId, baselineItemId, op: 'change' }
		});
		if (res.status === 201) {
			itemId = baselineItemId;
			return (await res.json()).id as string;
		}
		await res.arrayBuffer();
	}
	throw new Error('no baseline item accepted an amendment');
}

function mounted(method: string, path: string): boolean {
	return apiRoutes(server.app).some((r) => r.method === method && r.path === path);
}

/** SD's internal comments: one on its draft, one on a public baseline item but for SD only. */
async function plantComments() {
	if (!mounted('POST', '/api/comments')) return void notPlanted.push('internal comments');
	const targets = [
		{ target: { kind: 'draft', draftId: ids.d1 }, text: `Intern kommentar ${secrets.comment}` },
		{
			target: { kind: 'baseline_item', baselineItemId: itemId },
			text: `Bara för oss ${secrets.commentOnBaseline}`,
			visibility: 'party'
		}
	];
	for (const json of targets) {
		const body = await api('/api/comments', { method: 'POST', cookie: sdCookie, json });
		const thread = body.thread as { id: string; comments?: { id: string }[] };
		commentIds.push(thread.id, ...(thread.comments ?? []).map((c) => c.id).filter((id) => id !== thread.id));
	}
}

/** A position SD plans for one of its members before the meeting: internal until published. */
async function plantPlannedPosition() {
	if (!mounted('POST', '/api/cases/:caseId/positions')) return void notPlanted.push('planned positions');
	const detail = await api(`/api/cases/${caseId}`, { cookie: sdCookie });
	const member = (detail.members as { userId: string; partyId: string }[]).find((m) => m.partyId === A)!;
	const body = await api(`/api/cases/${caseId}/positions`, {
		method: 'POST',
		cookie: sdCookie,
		json: {
			memberId: member.userId,
			stage: 'planned',
			kind: 'protokollsanteckning',
			text: `Vi antecknar ${secrets.plannedPosition}`,
			target: { type: 'case' }
		}
	});
	const id = (body.position?.id ?? body.id) as string | undefined;
	if (!id) throw new Error(`no position id in ${JSON.stringify(body)}`);
	positionIds.push(id);
}

async function login(p: Principal) {
	if (p.email) p.cookie = await server.login(p.email, DEMO_PASSWORD);
}

beforeAll(async () => {
	server = await startTestServer({
		seedDemo: true,
		env: { API_RATE_BURST: '1000000', API_RATE_PER_MINUTE: '1000000' }
	});
	caseId = server.seed!.caseId!;
	sdCookie = await server.login(demoSecretary(A).email, DEMO_PASSWORD);

	// D1: internal, with text in every part of the document and an amendment.
	ids.d1 = await createDraft();
	await write(ids.d1, (doc) => {
		setTitle(doc, `Yrkande ${secrets.d1Title}`);
		pointsArray(doc).push([newPointMap('p1', 'ks_kf', `Kommunstyrelsen får i uppdrag att ${secrets.d1Point}.`)]);
		appendBlocks(bodyFragment(doc), paragraphs(`Motivering ${secrets.d1Body}.`));
	});
	ids.amendment = await plantAmendment(ids.d1);
	await write(ids.d1, (doc) => {
		const m = amendmentsArray(doc)
			.toArray()
			.find((x) => x.get('id') === ids.amendment);
		if (!m) throw new Error('amendment not in the document');
		replaceAmendmentText(m, `Ny lydelse ${secrets.amendment}.`);
	});

	// D2: shared with KD, so KD may read it and nobody else.
	ids.d2 = await createDraft();
	await write(ids.d2, (doc) => setTitle(doc, `Yrkande ${secrets.d2Title}`));
	await api(`/api/drafts/${ids.d2}/cosigners`, { method: 'POST', cookie: sdCookie, json: { partyIds: ['KD'] } });

	// D3: submitted (a frozen version) and withdrawn: its history stays with SD.
	ids.d3 = await createDraft();
	await write(ids.d3, (doc) => {
		setTitle(doc, `Yrkande ${secrets.d3Title}`);
		pointsArray(doc).push([newPointMap('p1', 'ks', `Kommunstyrelsen beslutar ${secrets.d3Point}.`)]);
	});
	await api(`/api/drafts/${ids.d3}/submit`, { method: 'POST', cookie: sdCookie });
	await api(`/api/drafts/${ids.d3}/withdraw`, { method: 'POST', cookie: sdCookie });

	// D4: submitted and public; the control that a reader of other parties' answers would see it.
	ids.d4 = await createDraft();
	await write(ids.d4, (doc) => {
		setTitle(doc, `Yrkande ${publicMark}`);
		pointsArray(doc).push([newPointMap('p1', 'ks', 'Kommunstyrelsen beslutar att bifalla förslaget.')]);
	});
	await api(`/api/drafts/${ids.d4}/submit`, { method: 'POST', cookie: sdCookie });

	await plantComments();
	await plantPlannedPosition();

	// Downloads of the internal draft leave audit rows naming it.
	for (const f of exportFormats) await api(`/api/drafts/${ids.d1}/export/${f}`, { cookie: sdCookie });

	// SD's presence on its internal draft, kept open through the whole test.
	const presence = stockProvider(
		{ wsUrl: `${server.origin.replace(/^http/, 'ws')}/sync`, origin: server.origin },
		`draft.${ids.d1}`,
		sdCookie
	);
	cleanup.push(() => presence.provider.destroy());
	presence.provider.awareness.setLocalStateField('user', { name: secrets.presence, color: '#B8A300' });
	await synced(presence.provider);

	for (const p of demoParties.filter((x) => x.id !== A)) {
		principals.push({
			label: `sekreterare ${p.id}`,
			email: demoSecretary(p.id).email,
			allowed: new Set(p.id === 'KD' ? ['d2Title', 'd2Id'] : [])
		});
	}
	const ledamot = demoMembers.find(([party, seat]) => party !== A && seat === 'ledamot')!;
	principals.push({ label: `ledamot ${ledamot[0]}`, email: demoEmail(ledamot[2]), allowed: new Set() });
	principals.push({ label: 'nämndsekreterare', email: 'namndsekreterare@demo.yrka.se', allowed: new Set() });
	principals.push({ label: 'anonym', email: null, allowed: new Set() });
	for (const p of principals) await login(p);
}, 180_000);

afterAll(async () => {
	for (const f of cleanup) f();
	await server?.close();
});

describe('party privacy over every endpoint', () => {
	it('plants what it looks for: SD reads its secrets in answers and downloads, KD its shared draft', async () => {
		const own = await readResponse(await server.fetch(`/api/drafts/${ids.d1}`, { cookie: sdCookie }));
		expect(own.text).toContain(secrets.d1Title);
		for (const f of ['docx', 'pdf'] as const) {
			const file = await readResponse(await server.fetch(`/api/drafts/${ids.d1}/export/${f}`, { cookie: sdCookie }));
			expect(file.text, `${f} export read back`).toContain(secrets.d1Point);
		}
		const kd = principals.find((p) => p.label === 'sekreterare KD')!;
		const shared = await readResponse(await server.fetch(`/api/drafts/${ids.d2}`, { cookie: kd.cookie }));
		expect(shared.text).toContain(secrets.d2Title);
	});

	it('gives no other party, the clerk or an anonymous client anything of SD internal material', async () => {
		const routes = apiRoutes(server.app);
		expect(routes.length).toBeGreaterThan(20);
		const unknownParams = new Set<string>();
		const known: Record<string, string[]> = {
			caseId: [caseId],
			draftId: [ids.d1, ids.d2, ids.d3],
			partyId: [A],
			amendmentId: [ids.amendment],
			format: [...exportFormats],
			number: ['1'],
			itemId: [itemId],
			...(commentIds.length ? { commentId: commentIds } : {}),
			...(positionIds.length ? { positionId: positionIds } : {})
		};
		const choices = (name: string): string[] => {
			if (known[name]) return known[name];
			// A parameter this test does not know yet: try it with ids of SD's material.
			unknownParams.add(name);
			return [ids.d1, ids.amendment];
		};
		const query = new URLSearchParams({
			caseId,
			partyId: A,
			party: A,
			draftId: ids.d1,
			drafts: [ids.d1, ids.d2, ids.d3].join(','),
			amendments: ids.amendment,
			baselineItemId: itemId,
			parties: A,
			ref: `${itemId}:1`,
			q: secrets.d1Title.slice(0, 12)
		}).toString();
		const bodies = [ids.d1, ids.d2, ids.d3].map((draftId) => ({
			caseId,
			draftId,
			partyId: A,
			partyIds: [A],
			doc: `draft.${draftId}`,
			kind: 'yrkande',
			baselineItemId: itemId,
			amendmentId: ids.amendment,
			op: 'change',
			at: 1,
			threadIds: commentIds.length ? commentIds : [draftId],
			positionIds: positionIds.length ? positionIds : [draftId],
			target: { kind: 'draft', type: 'yrkande', draftId },
			text: 'Svar',
			motivation: 'Motivering'
		}));

		const violations: string[] = [];
		const okByPrincipal = new Map<string, number>();
		let calls = 0;
		let sawPublic = 0;
		for (const p of principals) {
			const forbidden = forbiddenFor(p);
			for (const route of routes) {
				for (const values of combinations(route.params, choices)) {
					const path = fillPath(route.path, values);
					// A body naming the draft of the path, or each draft when the path names none.
					const variants =
						route.method === 'GET'
							? [{ url: path }, { url: `${path}?${query}` }]
							: bodies
									.filter((b) => !values.draftId || b.draftId === values.draftId)
									.map((json) => ({ url: path, json }));
					for (const v of variants) {
						const res = await server.fetch(v.url, {
							method: route.method,
							cookie: p.cookie,
							...('json' in v ? { json: v.json } : {})
						});
						const read = await readResponse(res, 100);
						calls++;
						if (read.status < 300) okByPrincipal.set(p.label, (okByPrincipal.get(p.label) ?? 0) + 1);
						if (read.text.includes(publicMark)) sawPublic++;
						const seen = `${read.headers}\n${read.text}`;
						for (const [label, secret] of forbidden) {
							if (seen.includes(secret)) {
								violations.push(`${p.label}: ${route.method} ${v.url} → ${read.status} shows SD's ${label}`);
							}
						}
						// A logout route ends the session it was called with; log in again for the next call.
						if (/yrka_session=;/.test(read.headers)) await login(p);
					}
				}
			}
		}
		console.log(
			`privacy: ${routes.length} routes, ${calls} calls as ${principals.length} principals` +
				(notPlanted.length ? `; not planted (no route): ${notPlanted.join(', ')}` : '') +
				(unknownParams.size ? `; parameters filled with SD's ids: ${[...unknownParams].join(', ')}` : '')
		);
		expect(violations).toEqual([]);
		// Not vacuous: every logged-in principal was answered, and the public document reached them.
		for (const p of principals.filter((x) => x.email)) expect(okByPrincipal.get(p.label) ?? 0).toBeGreaterThan(3);
		expect(sawPublic).toBeGreaterThan(0);

		// Nothing any of them sent changed SD's material.
		const rows = await server.deps.db
			.select({ id: drafts.id, status: drafts.status })
			.from(drafts)
			.where(inArray(drafts.id, [ids.d1, ids.d2, ids.d3]));
		expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
			[ids.d1]: 'draft',
			[ids.d2]: 'shared',
			[ids.d3]: 'withdrawn'
		});
		const d1 = await server.deps.sync.readDoc(`draft.${ids.d1}`);
		expect(titleText(d1).toString()).toBe(`Yrkande ${secrets.d1Title}`);
		const sdDrafts = await server.deps.db.select({ id: drafts.id }).from(drafts).where(eq(drafts.ownerPartyId, A));
		expect(sdDrafts.length).toBeLessThanOrEqual(5 + 4); // the seed's SD documents and this test's four
	}, 600_000);

	it('refuses SD documents on the sync socket with zero document bytes, presence included', async () => {
		const names = (d: string) => [
			`draft.${d}`,
			`draft.${d}?yrka=1`,
			`draft%2E${d}`,
			`%64raft.${d}`,
			`draft.${d}/`,
			`DRAFT.${d}`
		];
		for (const p of principals) {
			const targets = [ids.d1, ids.d3, ...(p.allowed.has('d2Id') ? [] : [ids.d2])];
			for (const d of targets) {
				for (const name of names(d)) {
					const s = rawSocket(`${server.origin.replace(/^http/, 'ws')}/sync/${name}`, {
						...(p.cookie ? { cookie: p.cookie } : {}),
						origin: server.origin
					});
					const closed = await s.closed;
					expect(
						[closeCodes.forbidden, closeCodes.unauthenticated],
						`${p.label} on ${name}: close ${closed.code}`
					).toContain(closed.code);
					expect(s.bytes, `${p.label} on ${name}`).toBe(0);
				}
			}
			// The case's shared document is open to the body, but presence on SD's draft stays in its room.
			if (p.cookie) {
				const s = rawSocket(`${server.origin.replace(/^http/, 'ws')}/sync/case.${caseId}`, {
					cookie: p.cookie,
					origin: server.origin
				});
				await s.opened;
				s.ws.send(new Uint8Array([3]));
				await waitFor(() => s.frames.some((f) => f[0] === 1), 5000, 'awareness answer');
				const all = Buffer.concat(s.frames).toString('utf8');
				for (const [label, secret] of forbiddenFor(p)) expect(all, `${p.label}: ${label}`).not.toContain(secret);
				s.ws.close();
			}
		}
	});

	it('does not tell other parties through the live stream that SD is working', async () => {
		const open = async (cookie: string) => {
			const ac = new AbortController();
			const res = await fetch(`${server.origin}/api/cases/${caseId}/live`, {
				headers: { cookie, origin: server.origin },
				signal: ac.signal
			});
			expect(res.status).toBe(200);
			let text = '';
			const reader = res.body!.getReader();
			void (async () => {
				try {
					for (;;) {
						const { value, done } = await reader.read();
						if (done) break;
						text += new TextDecoder().decode(value);
					}
				} catch {
					/* aborted */
				}
			})();
			return { text: () => text, close: () => ac.abort() };
		};
		const sd = await open(sdCookie);
		const others = await Promise.all(
			principals.filter((p) => p.cookie).map(async (p) => ({ p, stream: await open(p.cookie!) }))
		);
		cleanup.push(() => [sd, ...others.map((o) => o.stream)].forEach((s) => s.close()));
		await waitFor(
			() => [sd, ...others.map((o) => o.stream)].every((s) => s.text().includes('event: ready')),
			5000,
			'streams ready'
		);
		// SD's internal work: an amendment on its own draft, a new draft, an edit.
		await plantAmendment(ids.d1);
		const extra = await createDraft();
		await write(extra, (doc) => setTitle(doc, `Yrkande ${secrets.d1Title}-2`));
		await waitFor(() => /event: (?!ready)/.test(sd.text()), 5000, 'SD sees its own event');
		await new Promise((r) => setTimeout(r, 500));
		for (const { p, stream } of others) {
			const events = stream.text().match(/^event: .+$/gm) ?? [];
			expect(events, `${p.label} got events`).toEqual(['event: ready']);
			for (const id of [ids.d1, extra]) expect(stream.text()).not.toContain(id);
		}
		for (const s of [sd, ...others.map((o) => o.stream)]) s.close();
	});

	it('uses ids nobody can guess: 120 random bits in every id column, no sequences', async () => {
		// Both drivers: postgres-js answers an array, PGlite an object with rows.
		const rows = async <T>(query: string): Promise<T[]> => {
			const res = (await server.deps.db.execute(sql.raw(query))) as unknown as T[] | { rows: T[] };
			return Array.isArray(res) ? res : res.rows;
		};
		// Tables whose id is not a secret by design, with the reason.
		const publicIds: Record<string, string> = {
			parties: 'party abbreviations (S, SD, …) are public',
			bodies: 'a board is a public body; the demo seeds a readable id',
			baseline_items: 'items of a published baseline are public to the board; ids are stable across versions',
			sync_secrets: 'server-side key material, never sent to a client'
		};
		const names = (
			await rows<{ table_name: string }>(
				`select table_name from information_schema.columns where column_name = 'id' and table_schema = 'public' and data_type = 'text'`
			)
		).map((r) => r.table_name);
		expect(names).toContain('drafts');
		const all: string[] = [];
		for (const t of names) {
			if (publicIds[t] || t === 'sessions') continue;
			for (const r of await rows<{ id: string }>(`select id from "${t}"`)) {
				expect(r.id, `${t}.id`).toMatch(/^[a-z2-7]{24}$/);
				all.push(r.id);
			}
		}
		// Sessions store only a hash of the token; the token in the cookie is 160 random bits.
		expect(sdCookie).toMatch(/^yrka_session=[a-z2-7]{32}$/);
		expect(all.length).toBeGreaterThan(20);
		expect(new Set(all).size).toBe(all.length);
		// Created one after another, ids share no more of a prefix than chance gives (1 in 32 per character).
		const created = [ids.d1, ids.d2, ids.d3, ids.d4, ids.amendment];
		for (let i = 1; i < created.length; i++) {
			let common = 0;
			while (created[i][common] === created[i - 1][common]) common++;
			expect(common).toBeLessThan(5);
		}
		// Each of the 5 bits of every position is set about half the time over all ids.
		const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
		let ones = 0;
		for (const id of all) for (const ch of id) ones += alphabet.indexOf(ch).toString(2).split('1').length - 1;
		const bits = all.length * 24 * 5;
		expect(Math.abs(ones / bits - 0.5)).toBeLessThan(0.05);
	});
});
