import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	auditEvents,
	baselineItems,
	baselineItemVersions,
	baselines,
	baselineVersions,
	comments,
	notifications
} from '../../db/schema';
import { anchorFromPoints, type CommentAnchor } from '../../server/domain/comments-anchor';
import {
	amendmentsArray,
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray
} from '../../server/domain/draft-doc';
import { newId } from '../../server/ids';
import { closeCodes } from '../../server/sync/wire';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { rawSocket, stockProvider, synced } from '../support/sync';
import { eventIds, pumpSse } from '../support/sse';

/**
 * Comments at the API: who receives a comment (lists, replies, notifications, the live stream, the
 * sync socket), what is refused, and that what is typed comes back exactly as typed.
 */

let server: TestServer;
let bodyId: string;
let caseId: string;
const cookies: Record<string, string> = {};
const userIds: Record<string, string> = {};

const SENTENCE = 'Kommunstyrelsen får i uppdrag att ställa krav på individens eget ansvar.';
const WORDS = 'ställa krav';
const SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)"> & <b>fet</b> {@html x}';

/** Labels: "sec:SD" SD's secretary, "mem:SD" an SD member, "mem2:SD" another, "clerk", "obs" an observer. */
async function as(label: string): Promise<string> {
	if (cookies[label]) return cookies[label];
	const [kind, party] = label.split(':');
	const role =
		kind === 'sec' ? 'secretary' : kind.startsWith('mem') ? 'member' : kind === 'clerk' ? 'clerk' : 'observer';
	const u = await buildUser(server.deps.db, { bodyId, role, party, name: `Person ${label}` });
	userIds[label] = u.id;
	cookies[label] = await server.login(u.email, u.password);
	return cookies[label];
}

async function call(label: string, method: string, path: string, json?: unknown) {
	const res = await server.fetch(`/api${path}`, { method, cookie: await as(label), json });
	const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
	return { status: res.status, body, contentType: res.headers.get('content-type') };
}

async function newDraft(owner: string, text = SENTENCE): Promise<string> {
	const res = await call(`sec:${owner}`, 'POST', '/drafts', { caseId, partyId: owner, kind: 'yrkande' });
	expect(res.status).toBe(201);
	const id = res.body.draft.id as string;
	await server.deps.sync.writeDoc(`draft.${id}`, (doc) => {
		pointsArray(doc).push([newPointMap('p1', 'ks_kf', 'Kommunstyrelsen avslår förslaget.')]);
		appendBlocks(bodyFragment(doc), paragraphs(text));
	});
	return id;
}

/** The anchor of `words` in the draft's first paragraph, as the browser computes it from a selection. */
async function anchorOf(draftId: string, words = WORDS): Promise<CommentAnchor> {
	const doc = await server.deps.sync.readDoc(`draft.${draftId}`);
	const text = (bodyFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
	const at = text.toString().indexOf(words);
	expect(at).toBeGreaterThanOrEqual(0);
	return anchorFromPoints({ type: text, index: at }, { type: text, index: at + words.length });
}

async function comment(label: string, target: unknown, text: string, extra: Record<string, unknown> = {}) {
	return call(label, 'POST', '/comments', { target, text, ...extra });
}

async function threadsOf(label: string, draftId: string) {
	return call(label, 'GET', `/comments?draftId=${draftId}`);
}

/** Reads the live stream of the case as `label` while `during` runs; returns the events but "ready". */
async function liveEvents(label: string, during: () => Promise<void>, waitMs = 800) {
	const ctrl = new AbortController();
	const res = await server.fetch(`/api/cases/${caseId}/live`, { cookie: await as(label), signal: ctrl.signal });
	expect(res.status).toBe(200);
	const events: { event: string; ids: string[] }[] = [];
	const pump = pumpSse(res.body!, (e) => {
		if (e.event !== 'ready') events.push({ event: e.event, ids: eventIds(e) });
	});
	await new Promise((r) => setTimeout(r, 100));
	await during();
	await new Promise((r) => setTimeout(r, waitMs));
	ctrl.abort();
	await pump;
	return events;
}

/** A published baseline with two items, stored as the import would store it. */
async function publishBaseline(): Promise<{ point: string; goal: string; hidden: string }> {
	const { db } = server.deps;
	const baselineId = newId();
	await db.insert(baselines).values({ id: baselineId, caseId });
	const published = newId();
	const draftVersion = newId();
	await db.insert(baselineVersions).values([
		{
			id: published,
			baselineId,
			number: 1,
			status: 'published',
			sourceName: 'u.txt',
			sourceKind: 'text',
			sourceText: ''
		},
		{
			id: draftVersion,
			baselineId,
			number: 2,
			status: 'draft',
			sourceName: 'u.txt',
			sourceKind: 'text',
			sourceText: ''
		}
	]);
	const [point, goal, hidden] = [newId(), newId(), newId()];
	await db.insert(baselineItems).values([point, goal, hidden].map((id) => ({ id, baselineId })));
	await db.insert(baselineItemVersions).values([
		{
			versionId: published,
			itemId: point,
			position: 0,
			kind: 'decision_point',
			label: '1',
			text: 'Budget 2025 fastställs.'
		},
		{ versionId: published, itemId: goal, position: 1, kind: 'goal', title: 'Mål 1 Stärkt demokrati' },
		{ versionId: draftVersion, itemId: hidden, position: 0, kind: 'decision_point', label: '9', text: 'Ej publicerad.' }
	]);
	return { point, goal, hidden };
}

beforeAll(async () => {
	server = await startTestServer();
	bodyId = (await buildBody(server.deps.db)).id;
	caseId = (await buildCase(server.deps.db, bodyId)).id;
	for (const l of ['sec:SD', 'mem:SD', 'mem2:SD', 'sec:S', 'mem:S', 'sec:KD', 'mem:KD', 'clerk', 'obs']) await as(l);
});
afterAll(() => server?.close());

describe('comments on a party draft: never outside its parties', () => {
	let draftId: string;
	let threadId: string;

	it('lets a member who cannot edit comment on a sentence; the quote is read from the document', async () => {
		draftId = await newDraft('SD');
		const detail = await call('mem:SD', 'GET', `/drafts/${draftId}`);
		expect(detail.body.viewer.canEdit).toBe(false);
		const res = await comment(
			'mem:SD',
			{ kind: 'draft', draftId, anchor: await anchorOf(draftId) },
			'Ska vi verkligen?'
		);
		expect(res.status).toBe(201);
		threadId = res.body.thread.id;
		expect(res.body.thread).toMatchObject({
			quote: WORDS,
			visibility: 'party',
			visibilityLabel: 'Internt för SD',
			partyIds: ['SD'],
			unread: 0,
			comments: [{ text: 'Ska vi verkligen?', author: { name: 'Person mem:SD', partyId: 'SD' }, deleted: false }]
		});
	});

	it('shows it to the secretary of the party, unread, and to nobody else', async () => {
		const own = await threadsOf('sec:SD', draftId);
		expect(own.status).toBe(200);
		expect(own.body.threads.map((t: { id: string }) => t.id)).toEqual([threadId]);
		expect(own.body.unread).toBe(1);
		for (const other of ['sec:S', 'mem:S', 'mem:KD', 'clerk', 'obs']) {
			const res = await threadsOf(other, draftId);
			expect(res.status, other).toBe(404);
			expect(JSON.stringify(res.body)).not.toContain('Ska vi verkligen');
			expect((await call(other, 'POST', `/comments/${threadId}/replies`, { text: 'hej' })).status, other).toBe(404);
			expect((await call(other, 'POST', `/comments/${threadId}/resolve`)).status, other).toBe(404);
			expect((await call(other, 'PATCH', `/comments/${threadId}`, { text: 'hej' })).status, other).toBe(404);
			expect((await call(other, 'GET', `/comments/mentionable?draftId=${draftId}`)).status, other).toBe(404);
			const n = await call(other, 'GET', '/notifications');
			expect(JSON.stringify(n.body)).not.toContain('Ska vi verkligen');
		}
	});

	it('refuses to make a comment on a draft being written public, and to comment on another party’s draft', async () => {
		const pub = await comment('mem:SD', { kind: 'draft', draftId }, 'Offentligt?', { visibility: 'body' });
		expect(pub.status).toBe(400);
		expect(pub.body.error.message).toContain('interna för partierna bakom utkastet');
		const foreign = await comment('mem:S', { kind: 'draft', draftId }, 'Intrång');
		expect(foreign.status).toBe(404);
		expect((await server.deps.db.select().from(comments).where(eq(comments.text, 'Intrång'))).length).toBe(0);
	});

	it('announces a new comment live to the party only, carrying no text', async () => {
		const forSd = liveEvents('sec:SD', async () => {});
		const forS = liveEvents('mem:S', async () => {});
		const forClerk = liveEvents('clerk', async () => {});
		await new Promise((r) => setTimeout(r, 150));
		const res = await call('sec:SD', 'POST', `/comments/${threadId}/replies`, { text: 'Ja, det ska vi.' });
		expect(res.status).toBe(201);
		const reply = res.body.thread.comments[1].id;
		const [sd, s, clerk] = await Promise.all([forSd, forS, forClerk]);
		expect(sd).toEqual([{ event: 'comments', ids: [threadId] }]);
		expect(s).toEqual([]);
		expect(clerk).toEqual([]);
		expect(reply).toBeTruthy();
	});

	it('keeps comments out of the shared document: another party is refused at the socket, the party’s own doc has no comment text', async () => {
		const wsUrl = server.origin.replace(/^http/, 'ws') + '/sync';
		for (const who of ['mem:S', 'sec:KD']) {
			const s = rawSocket(`${wsUrl}/draft.${draftId}`, { cookie: await as(who), origin: server.origin });
			expect((await s.closed).code).toBe(closeCodes.forbidden);
			expect(s.bytes).toBe(0);
		}
		const { doc, provider } = stockProvider({ wsUrl, origin: server.origin }, `draft.${draftId}`, await as('mem:SD'));
		try {
			await synced(provider);
			const everything = JSON.stringify(doc.toJSON()) + JSON.stringify(bodyFragment(doc).toJSON());
			expect(everything).toContain('individens eget ansvar');
			expect(everything).not.toContain('Ska vi verkligen');
			expect(everything).not.toContain('Ja, det ska vi');
		} finally {
			provider.destroy();
		}
	});

	it('notifies the author of a reply, and a mentioned member of the party; never across parties', async () => {
		const forMember = await call('mem:SD', 'GET', '/notifications');
		expect(forMember.body.unread).toBe(1);
		expect(forMember.body.items[0]).toMatchObject({
			kind: 'reply',
			read: false,
			actor: 'Person sec:SD',
			excerpt: 'Ja, det ska vi.',
			threadId,
			href: `/cases/${caseId}/utkast/${draftId}#kommentar-${threadId}`
		});

		const people = await call('sec:SD', 'GET', `/comments/mentionable?draftId=${draftId}`);
		expect(people.body.people.map((p: { name: string }) => p.name).sort()).toEqual(['Person mem2:SD', 'Person mem:SD']);
		const mentioned = await comment('sec:SD', { kind: 'draft', draftId }, '@Person mem2:SD kan du läsa?', {
			mentions: [userIds['mem2:SD']]
		});
		expect(mentioned.status).toBe(201);
		expect(mentioned.body.thread.comments[0].mentions).toEqual([{ id: userIds['mem2:SD'], name: 'Person mem2:SD' }]);
		const n = await call('mem2:SD', 'GET', '/notifications');
		expect(n.body.items.map((i: { kind: string }) => i.kind)).toEqual(['mention']);

		const across = await comment('sec:SD', { kind: 'draft', draftId }, '@Person mem:S', {
			mentions: [userIds['mem:S']]
		});
		expect(across.status).toBe(400);
		expect(across.body.error.message).toContain('Du kan bara nämna personer i ditt eget parti');
		expect((await call('mem:S', 'GET', '/notifications')).body.items).toEqual([]);

		const read = await call('mem2:SD', 'POST', '/notifications/read', {});
		expect(read.body.unread).toBe(0);
	});

	it('lets a co-signer in for what is said after it joins, and out again with the draft', async () => {
		expect((await call('sec:SD', 'POST', `/drafts/${draftId}/cosigners`, { partyIds: ['KD'] })).status).toBe(200);
		const kd = await threadsOf('mem:KD', draftId);
		expect(kd.status).toBe(200);
		// Talk inside SD before KD was invited stays SD's.
		expect(kd.body.threads).toEqual([]);
		const joint = await comment('mem:KD', { kind: 'draft', draftId }, 'KD tycker till.');
		expect(joint.body.thread).toMatchObject({ visibilityLabel: 'Internt för SD, KD', partyIds: ['SD', 'KD'] });
		expect((await threadsOf('mem:SD', draftId)).body.threads.map((t: { id: string }) => t.id)).toContain(
			joint.body.thread.id
		);
		expect((await call('sec:SD', 'DELETE', `/drafts/${draftId}/cosigners/KD`)).status).toBe(200);
		expect((await threadsOf('mem:KD', draftId)).status).toBe(404);
		expect((await call('mem:KD', 'POST', `/comments/${joint.body.thread.id}/replies`, { text: 'hallå' })).status).toBe(
			404
		);
	});
});

describe('comments on a submitted yrkande and on baseline items: party-internal by default, public when chosen', () => {
	let draftId: string;
	let items: Awaited<ReturnType<typeof publishBaseline>>;

	beforeAll(async () => {
		draftId = await newDraft('SD');
		expect((await call('sec:SD', 'POST', `/drafts/${draftId}/submit`)).status).toBe(200);
		items = await publishBaseline();
	});

	it('keeps an S member’s comment on the SD yrkande inside S, unless it is made public', async () => {
		const internal = await comment('mem:S', { kind: 'draft', draftId }, 'S internt om SD-yrkandet');
		expect(internal.status).toBe(201);
		expect(internal.body.thread.visibilityLabel).toBe('Internt för S');
		const open = await comment('mem:S', { kind: 'draft', draftId }, 'S offentligt om SD-yrkandet', {
			visibility: 'body'
		});
		expect(open.body.thread.visibilityLabel).toBe('Offentligt i nämnden');

		const texts = async (who: string) =>
			(await threadsOf(who, draftId)).body.threads.map((t: { comments: { text: string }[] }) => t.comments[0].text);
		expect(await texts('sec:S')).toEqual(['S internt om SD-yrkandet', 'S offentligt om SD-yrkandet']);
		expect(await texts('mem:SD')).toEqual(['S offentligt om SD-yrkandet']);
		expect(await texts('clerk')).toEqual(['S offentligt om SD-yrkandet']);
		expect(await texts('obs')).toEqual(['S offentligt om SD-yrkandet']);

		// Observers read what is public but do not comment; the clerk, without a party, only in public.
		expect((await comment('obs', { kind: 'draft', draftId }, 'Får jag?', { visibility: 'body' })).status).toBe(403);
		expect((await call('obs', 'POST', `/comments/${open.body.thread.id}/replies`, { text: 'Får jag?' })).status).toBe(
			403
		);
		const clerkInternal = await comment('clerk', { kind: 'draft', draftId }, 'Internt?', { visibility: 'party' });
		expect(clerkInternal.status).toBe(400);
		expect(clerkInternal.body.error.message).toContain('Du företräder inget parti');
		const clerk = await comment('clerk', { kind: 'draft', draftId }, 'Noterat.');
		expect(clerk.body.thread.visibility).toBe('body');
	});

	it('sends the live event of an internal comment to its party only, of a public one to the body', async () => {
		const forSd = liveEvents('mem:SD', async () => {});
		const forS = liveEvents('sec:S', async () => {});
		await new Promise((r) => setTimeout(r, 150));
		const internal = await comment('mem:S', { kind: 'draft', draftId }, 'Bara för S');
		const open = await comment('mem:S', { kind: 'draft', draftId }, 'För alla', { visibility: 'body' });
		const [sd, s] = await Promise.all([forSd, forS]);
		expect(s.map((e) => e.ids[0]).sort()).toEqual([internal.body.thread.id, open.body.thread.id].sort());
		expect(sd.map((e) => e.ids[0])).toEqual([open.body.thread.id]);
	});

	it('comments on published baseline items, with the item as quote; unpublished items are not found', async () => {
		const res = await comment('mem:SD', { kind: 'baseline_item', baselineItemId: items.point }, 'Avslag på punkt 1');
		expect(res.status).toBe(201);
		expect(res.body.thread).toMatchObject({
			quote: '1 Budget 2025 fastställs.',
			visibilityLabel: 'Internt för SD',
			target: { kind: 'baseline_item', baselineItemId: items.point }
		});
		const pub = await comment('mem:S', { kind: 'baseline_item', baselineItemId: items.goal }, 'Bra mål', {
			visibility: 'body'
		});
		expect(pub.status).toBe(201);
		const hidden = await comment('mem:SD', { kind: 'baseline_item', baselineItemId: items.hidden }, 'Hm');
		expect(hidden.status).toBe(404);

		const list = async (who: string, item?: string) =>
			(await call(who, 'GET', `/comments?caseId=${caseId}${item ? `&baselineItemId=${item}` : ''}`)).body.threads.map(
				(t: { comments: { text: string }[] }) => t.comments[0].text
			);
		expect(await list('sec:SD')).toEqual(['Avslag på punkt 1', 'Bra mål']);
		expect(await list('sec:S')).toEqual(['Bra mål']);
		expect(await list('sec:SD', items.goal)).toEqual(['Bra mål']);
		expect((await call('obs', 'GET', `/comments?caseId=${caseId}`)).body.viewer.canComment).toBe(false);
	});
});

describe('threads: replies, edits, deletion, resolving, unread counts', () => {
	let draftId: string;

	beforeAll(async () => {
		draftId = await newDraft('SD');
	});

	it('edits and deletes only one’s own; a deleted first comment stays as a placeholder for its replies', async () => {
		const start = await comment('mem:SD', { kind: 'draft', draftId }, 'Första versionen');
		const id = start.body.thread.id;
		expect((await call('sec:SD', 'PATCH', `/comments/${id}`, { text: 'Kapat' })).status).toBe(403);
		expect((await call('sec:SD', 'DELETE', `/comments/${id}`)).status).toBe(403);
		const edited = await call('mem:SD', 'PATCH', `/comments/${id}`, { text: 'Andra versionen' });
		expect(edited.status).toBe(200);
		expect(edited.body.thread.comments[0]).toMatchObject({ text: 'Andra versionen', viewer: { canEdit: true } });
		expect(edited.body.thread.comments[0].editedAt).not.toBeNull();

		await call('sec:SD', 'POST', `/comments/${id}/replies`, { text: 'Ett svar' });
		expect((await call('mem:SD', 'DELETE', `/comments/${id}`)).status).toBe(200);
		const [row] = await server.deps.db.select().from(comments).where(eq(comments.id, id));
		expect(row.text).toBe('');
		expect(row.deletedAt).not.toBeNull();
		const thread = (await threadsOf('sec:SD', draftId)).body.threads.find((t: { id: string }) => t.id === id);
		expect(thread.comments.map((c: { text: string | null; deleted: boolean }) => [c.text, c.deleted])).toEqual([
			[null, true],
			['Ett svar', false]
		]);
		expect((await call('mem:SD', 'PATCH', `/comments/${id}`, { text: 'igen' })).status).toBe(404);

		// A thread with nothing left disappears.
		const lone = await comment('mem:SD', { kind: 'draft', draftId }, 'Ensam');
		await call('mem:SD', 'DELETE', `/comments/${lone.body.thread.id}`);
		expect(
			(await threadsOf('sec:SD', draftId)).body.threads.some((t: { id: string }) => t.id === lone.body.thread.id)
		).toBe(false);
		const actions = (await server.deps.db.select().from(auditEvents).where(eq(auditEvents.subjectType, 'comment')))
			.filter((e) => e.subjectId === id)
			.map((e) => e.action);
		expect(actions).toEqual(['comment.create', 'comment.edit', 'comment.delete']);
	});

	it('resolves and reopens a thread; counts unread comments per user until read', async () => {
		const start = await comment('sec:SD', { kind: 'draft', draftId }, 'Läs detta');
		const id = start.body.thread.id;
		const unreadFor = async (who: string) =>
			(await threadsOf(who, draftId)).body.threads.find((t: { id: string }) => t.id === id).unread;
		expect(await unreadFor('sec:SD')).toBe(0);
		expect(await unreadFor('mem:SD')).toBe(1);
		await call('sec:SD', 'POST', `/comments/${id}/replies`, { text: 'Och detta' });
		expect(await unreadFor('mem:SD')).toBe(2);
		expect((await call('mem:SD', 'POST', '/comments/read', { threadIds: [id] })).status).toBe(200);
		expect(await unreadFor('mem:SD')).toBe(0);
		expect(await unreadFor('mem2:SD')).toBe(2);

		const resolved = await call('mem:SD', 'POST', `/comments/${id}/resolve`);
		expect(resolved.body.thread.resolved).toMatchObject({ by: 'Person mem:SD' });
		const reopened = await call('sec:SD', 'DELETE', `/comments/${id}/resolve`);
		expect(reopened.body.thread.resolved).toBeNull();
	});
});

describe('bad input and script payloads', () => {
	let draftId: string;

	beforeAll(async () => {
		draftId = await newDraft('SD');
	});

	it('refuses an empty comment, one over 10 000 characters and control characters, in Swedish', async () => {
		const cases: [string, string][] = [
			['', 'Kommentaren får inte vara tom.'],
			['   \n\t ', 'Kommentaren får inte vara tom.'],
			['å'.repeat(10_001), 'Kommentaren får vara högst 10 000 tecken.'],
			['nul\u0000byte', 'Kommentaren innehåller otillåtna tecken.']
		];
		for (const [text, message] of cases) {
			const res = await comment('mem:SD', { kind: 'draft', draftId }, text);
			expect(res.status).toBe(400);
			expect(res.body.error.message).toBe(`text: ${message}`);
		}
		expect((await call('mem:SD', 'POST', '/comments', { target: { kind: 'draft', draftId } })).status).toBe(400);
		const longest = await comment('mem:SD', { kind: 'draft', draftId }, '😀'.repeat(10_000));
		expect(longest.status).toBe(201);
		const id = longest.body.thread.id;
		expect((await call('mem:SD', 'PATCH', `/comments/${id}`, { text: '' })).status).toBe(400);
		expect((await call('mem:SD', 'POST', `/comments/${id}/replies`, { text: 'x'.repeat(10_001) })).status).toBe(400);
	});

	it('refuses anchors that are garbage or belong to another document', async () => {
		const garbage = await comment('mem:SD', { kind: 'draft', draftId, anchor: { start: 'AAAA', end: 'AAAA' } }, 'x');
		expect(garbage.status).toBe(400);
		expect(garbage.body.error.message).toContain('Den markerade texten finns inte i utkastet');
		const other = await newDraft('SD');
		const foreign = await comment('mem:SD', { kind: 'draft', draftId, anchor: await anchorOf(other) }, 'x');
		expect(foreign.status).toBe(400);
		const notBase64 = await comment('mem:SD', { kind: 'draft', draftId, anchor: { start: '<b>', end: '<b>' } }, 'x');
		expect(notBase64.status).toBe(400);
	});

	it('stores HTML and script verbatim and returns it as JSON text, in lists and notifications', async () => {
		const res = await comment('sec:SD', { kind: 'draft', draftId }, `@Person mem:SD ${SCRIPT}`, {
			mentions: [userIds['mem:SD']]
		});
		expect(res.status).toBe(201);
		expect(res.contentType).toContain('application/json');
		expect(res.body.thread.comments[0].text).toBe(`@Person mem:SD ${SCRIPT}`);
		const [row] = await server.deps.db.select().from(comments).where(eq(comments.id, res.body.thread.id));
		expect(row.text).toBe(`@Person mem:SD ${SCRIPT}`);
		const listed = (await threadsOf('mem:SD', draftId)).body.threads.find(
			(t: { id: string }) => t.id === res.body.thread.id
		);
		expect(listed.comments[0].text).toBe(`@Person mem:SD ${SCRIPT}`);
		const n = await call('mem:SD', 'GET', '/notifications');
		expect(n.body.items.find((i: { threadId: string }) => i.threadId === res.body.thread.id).excerpt).toBe(
			`@Person mem:SD ${SCRIPT}`.replace(/\s+/g, ' ')
		);
	});

	it('comments on an amendment by its id, with its text as quote; an unknown amendment is not found', async () => {
		await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
			const m = new Y.Map<unknown>();
			m.set('id', 'a1');
			m.set('baselineItemId', 'item-1');
			m.set('baselineVersion', 1);
			m.set('op', 'change');
			const content = new Y.XmlFragment();
			m.set('content', content);
			m.set('values', new Y.Map());
			amendmentsArray(doc).push([m]);
			appendBlocks(content, paragraphs('Budget 2025 fastställs med ändringar.'));
		});
		const res = await comment('mem:SD', { kind: 'amendment', draftId, amendmentId: 'a1' }, 'Bra ändring');
		expect(res.status).toBe(201);
		expect(res.body.thread).toMatchObject({
			quote: 'Budget 2025 fastställs med ändringar.',
			target: { kind: 'amendment', draftId, amendmentId: 'a1' }
		});
		expect((await comment('mem:SD', { kind: 'amendment', draftId, amendmentId: 'nope' }, 'x')).status).toBe(404);
		expect((await comment('mem:S', { kind: 'amendment', draftId, amendmentId: 'a1' }, 'x')).status).toBe(404);
	});

	it('leaves no notifications of deleted comments', async () => {
		const res = await comment('sec:SD', { kind: 'draft', draftId }, '@Person mem2:SD titta', {
			mentions: [userIds['mem2:SD']]
		});
		const id = res.body.thread.id;
		expect((await server.deps.db.select().from(notifications).where(eq(notifications.commentId, id))).length).toBe(1);
		await call('sec:SD', 'DELETE', `/comments/${id}`);
		expect((await server.deps.db.select().from(notifications).where(eq(notifications.commentId, id))).length).toBe(0);
	});
});
