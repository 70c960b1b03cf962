import { and, count, eq, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { auditEvents, draftSnapshots, syncDocs, syncSnapshots, syncUpdates } from '../../db/schema';
import type { DiffSegment } from '../../server/domain/diff';
import {
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray,
	projectDraft,
	titleText,
	type DraftContent
} from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { synced, waitFor } from '../support/sync';
import { eventually, startVersionsServer, type VersionsTestServer } from '../support/versions';

/**
 * Named versions over the real server: automatic ones when a session goes quiet or ends, manual ones
 * with a label, opening, comparing and restoring one while an editor is connected, and restoring
 * after the update log was compacted. Attribution and privacy are in versions-authors.test.ts.
 */

interface VersionView {
	id: string;
	kind: string;
	label: string | null;
	createdBy: string | null;
	editors: string[];
	restoredFrom: string | null;
}

let server: VersionsTestServer;
let caseId: string;
const cookie: Record<'anna' | 'member' | 'kd', string> = { anna: '', member: '', kd: '' };

async function newDraft(): Promise<string> {
	const res = await server.api<{ draft: { id: string } }>(cookie.anna, 'POST', '/drafts', {
		caseId,
		partyId: 'SD',
		kind: 'yrkande'
	});
	expect(res.status).toBe(201);
	return res.body.draft.id;
}

async function versions(draftId: string, who = cookie.anna): Promise<VersionView[]> {
	const res = await server.api<{ versions: VersionView[] }>(who, 'GET', `/drafts/${draftId}/versions`);
	expect(res.status).toBe(200);
	return res.body.versions;
}

/** The server's copy of the live text, once everything it accepted is durable. */
async function serverText(draftId: string): Promise<DraftContent> {
	await server.deps.sync.flush();
	const doc = await server.deps.sync.readDoc(`draft.${draftId}`);
	try {
		return projectDraft(doc);
	} finally {
		doc.destroy();
	}
}

function firstText(fragment: Y.XmlFragment): Y.XmlText {
	return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

function pointText(doc: Y.Doc, index = 0): Y.XmlText {
	return firstText(pointsArray(doc).get(index).get('content') as Y.XmlFragment);
}

const inserted = (segments: DiffSegment[]) =>
	segments
		.filter((s) => s.type === 'insert')
		.map((s) => s.text)
		.join('');

beforeAll(async () => {
	server = await startVersionsServer({ versions: { idleMs: 400, intervalMs: 3_600_000 }, sync: { compactEvery: 20 } });
	const body = await buildBody(server.deps.db);
	caseId = (await buildCase(server.deps.db, body.id)).id;
	const anna = await buildUser(server.deps.db, { bodyId: body.id, role: 'secretary', party: 'SD', name: 'Anna Ek' });
	const member = await buildUser(server.deps.db, { bodyId: body.id, role: 'member', party: 'SD' });
	const kd = await buildUser(server.deps.db, { bodyId: body.id, role: 'secretary', party: 'KD' });
	cookie.anna = await server.login(anna.email, anna.password);
	cookie.member = await server.login(member.email, member.password);
	cookie.kd = await server.login(kd.email, kd.password);
});

afterAll(async () => {
	await server?.close();
});

describe('named versions of a draft', () => {
	let draftId: string;
	let manualId: string;
	let atManual: DraftContent;
	const editor = { doc: new Y.Doc() };

	it('takes a version by itself when an editing session goes quiet, naming who edited', async () => {
		draftId = await newDraft();
		const c = server.connect(`draft.${draftId}`, cookie.anna);
		editor.doc = c.doc;
		await synced(c.provider);
		c.doc.transact(() => {
			pointsArray(c.doc).push([newPointMap('p1', 'ks_kf', 'Kommunstyrelsen får i uppdrag att se över avgifterna.')]);
			appendBlocks(bodyFragment(c.doc), paragraphs('Avgifterna har inte setts över sedan 2019.'));
		});
		await eventually(async () => (await versions(draftId)).some((v) => v.kind === 'idle'), 'an idle version');
		const [idle] = await versions(draftId);
		expect(idle.kind).toBe('idle');
		expect(idle.editors).toEqual(['Anna Ek']);
		// Quiet, but nothing new: no second version of the same text.
		await new Promise((r) => setTimeout(r, 900));
		expect((await versions(draftId)).length).toBe(1);
	});

	it('saves a version with a label, and opens it read-only as it was', async () => {
		const res = await server.api<{ version: VersionView }>(cookie.anna, 'POST', `/drafts/${draftId}/versions`, {
			label: 'Före gruppmötet'
		});
		expect(res.status).toBe(201);
		expect(res.body.version).toMatchObject({ kind: 'manual', label: 'Före gruppmötet', createdBy: 'Anna Ek' });
		manualId = res.body.version.id;
		atManual = await serverText(draftId);

		// Editing goes on; the saved version does not move with it.
		pointText(editor.doc).insert('Kommunstyrelsen får i uppdrag att '.length, 'noggrant ');
		await eventually(async () => (await serverText(draftId)).points[0].text.includes('noggrant'), 'the edit stored');
		const open = await server.api<{ version: VersionView; content: DraftContent }>(
			cookie.anna,
			'GET',
			`/drafts/${draftId}/versions/${manualId}`
		);
		expect(open.status).toBe(200);
		expect(open.body.content).toEqual(atManual);
		expect(open.body.content.points[0].text).toBe('Kommunstyrelsen får i uppdrag att se över avgifterna.');
		// The stored Yjs state stays on the server.
		expect(JSON.stringify(open.body)).not.toMatch(/"state"/);
		// A member of the party reads the history too.
		expect((await versions(draftId, cookie.member)).map((v) => v.id)).toContain(manualId);
	});

	it('compares a version with the live text and two versions with each other, word by word', async () => {
		const res = await server.api<{
			diff: { changed: boolean; parts: { key: string; change: string; segments: DiffSegment[] }[] };
		}>(cookie.anna, 'GET', `/drafts/${draftId}/versions/compare?from=${manualId}&to=nu`);
		expect(res.status).toBe(200);
		expect(res.body.diff.changed).toBe(true);
		const point = res.body.diff.parts.find((p) => p.key === 'point:p1')!;
		expect(point.change).toBe('changed');
		expect(inserted(point.segments).trim()).toBe('noggrant');
		expect(res.body.diff.parts.find((p) => p.key === 'body')!.change).toBe('equal');

		const [idle] = (await versions(draftId)).filter((v) => v.kind === 'idle');
		const between = await server.api<{ diff: { changed: boolean } }>(
			cookie.anna,
			'GET',
			`/drafts/${draftId}/versions/compare?from=${idle.id}&to=${manualId}`
		);
		expect(between.body.diff.changed).toBe(false);
		const unknown = await server.api(cookie.anna, 'GET', `/drafts/${draftId}/versions/compare?from=finnsinte&to=nu`);
		expect(unknown.status).toBe(404);
	});

	it('restores a version as a new change that a connected editor sees, keeping the text before as a version', async () => {
		const before = await serverText(draftId);
		const res = await server.api<{ backupId: string }>(
			cookie.anna,
			'POST',
			`/drafts/${draftId}/versions/${manualId}/restore`
		);
		expect(res.status).toBe(200);
		// Live: the editor's own document reads like the version, without reconnecting.
		await waitFor(
			() => projectDraft(editor.doc).points[0]?.text === atManual.points[0].text,
			5000,
			'restore seen live'
		);
		expect(projectDraft(editor.doc)).toEqual(atManual);
		expect(await serverText(draftId)).toEqual(atManual);

		const list = await versions(draftId);
		const backup = list.find((v) => v.id === res.body.backupId)!;
		expect(backup).toMatchObject({ kind: 'before_restore', restoredFrom: manualId, createdBy: 'Anna Ek' });
		const open = await server.api<{ content: DraftContent }>(
			cookie.anna,
			'GET',
			`/drafts/${draftId}/versions/${backup.id}`
		);
		expect(open.body.content).toEqual(before);

		// History is not rewritten: every version is still there, and the restore is in the log.
		expect(list.map((v) => v.id)).toEqual(expect.arrayContaining([manualId, backup.id]));
		const [{ n }] = await server.deps.db
			.select({ n: count() })
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'version.restore'), eq(auditEvents.subjectId, draftId)));
		expect(n).toBe(1);

		// Restoring the text from before undoes the restore.
		const undo = await server.api(cookie.anna, 'POST', `/drafts/${draftId}/versions/${backup.id}/restore`);
		expect(undo.status).toBe(200);
		await waitFor(() => projectDraft(editor.doc).points[0]?.text.includes('noggrant'), 5000, 'undo seen live');
		expect(await serverText(draftId)).toEqual(before);
	});

	it('lets only writers save and restore, with the reason in Swedish', async () => {
		const save = await server.api<{ error: { message: string } }>(
			cookie.member,
			'POST',
			`/drafts/${draftId}/versions`,
			{
				label: 'Ledamotens'
			}
		);
		expect(save.status).toBe(403);
		expect(save.body.error.message).toMatch(/sekreterare/);
		const restore = await server.api(cookie.member, 'POST', `/drafts/${draftId}/versions/${manualId}/restore`);
		expect(restore.status).toBe(403);
		const empty = await server.api<{ error: { message: string } }>(cookie.anna, 'POST', `/drafts/${draftId}/versions`, {
			label: '  '
		});
		expect(empty.status).toBe(400);
		expect(empty.body.error.message).toMatch(/label/);
	});

	it('ends a session when everybody leaves: its edits get a version at once', async () => {
		const id = await newDraft();
		const c = server.connect(`draft.${id}`, cookie.anna);
		await synced(c.provider);
		titleText(c.doc).insert(titleText(c.doc).length, ' – sista ändringen');
		await eventually(async () => (await serverText(id)).title.endsWith('sista ändringen'), 'edit stored');
		c.provider.destroy();
		await eventually(async () => (await versions(id)).some((v) => v.kind === 'idle'), 'version after leaving');
		const [v] = await versions(id);
		const open = await server.api<{ content: DraftContent }>(cookie.anna, 'GET', `/drafts/${id}/versions/${v.id}`);
		expect(open.body.content.title.endsWith('sista ändringen')).toBe(true);
	});

	it('lists the version frozen at submit, and refuses to restore into a submitted draft', async () => {
		const id = await newDraft();
		const c = server.connect(`draft.${id}`, cookie.anna);
		await synced(c.provider);
		pointsArray(c.doc).push([newPointMap('p1', 'ks', 'Kommunstyrelsen beslutar att bifalla förslaget.')]);
		await eventually(async () => (await serverText(id)).points.length === 1, 'point stored');
		const saved = await server.api<{ version: VersionView }>(cookie.anna, 'POST', `/drafts/${id}/versions`, {
			label: 'Utkast 1'
		});
		expect((await server.api(cookie.anna, 'POST', `/drafts/${id}/submit`)).status).toBe(200);
		const list = await versions(id);
		expect(list[0]).toMatchObject({ id: 'inlamnad-1', kind: 'submitted', createdBy: 'Anna Ek' });
		const open = await server.api<{ content: DraftContent }>(cookie.anna, 'GET', `/drafts/${id}/versions/inlamnad-1`);
		expect(open.body.content.points[0].text).toBe('Kommunstyrelsen beslutar att bifalla förslaget.');
		const cmp = await server.api<{ diff: { changed: boolean } }>(
			cookie.anna,
			'GET',
			`/drafts/${id}/versions/compare?from=${saved.body.version.id}&to=inlamnad-1`
		);
		expect(cmp.body.diff.changed).toBe(false);
		const restore = await server.api<{ error: { code: string; message: string } }>(
			cookie.anna,
			'POST',
			`/drafts/${id}/versions/${saved.body.version.id}/restore`
		);
		expect(restore.status).toBe(409);
		expect(restore.body.error.message).toMatch(/inlämnat/);
	});
});

describe('retention: compaction of the update log', () => {
	it('keeps every named version restorable after the log it came from is compacted away', async () => {
		const id = await newDraft();
		const name = `draft.${id}`;
		const c = server.connect(name, cookie.anna);
		await synced(c.provider);
		appendBlocks(bodyFragment(c.doc), paragraphs('Ursprunglig motivering med flera ord i.'));
		await eventually(async () => (await serverText(id)).body.length === 1, 'first text stored');
		const saved = await server.api<{ version: VersionView }>(cookie.anna, 'POST', `/drafts/${id}/versions`, {
			label: 'Ursprunget'
		});
		const original = await serverText(id);
		const [{ seq: savedAt }] = await server.deps.db
			.select({ seq: syncDocs.seq })
			.from(syncDocs)
			.where(eq(syncDocs.name, name));

		// Small edits, each sent on its own, until the log the version came from has been compacted away.
		const text = firstText(bodyFragment(c.doc));
		const compactedPast = async () => {
			const [snap] = await server.deps.db.select().from(syncSnapshots).where(eq(syncSnapshots.name, name));
			return !!snap && snap.seq > savedAt;
		};
		for (let i = 0; i < 2000 && !(i % 20 === 19 && (await compactedPast())); i++) {
			if (i % 3 === 2) text.delete(0, 1);
			else text.insert(text.length, i % 2 ? 'x' : ' ');
			await new Promise((r) => setTimeout(r, 3));
		}
		c.doc.transact(() => {
			bodyFragment(c.doc).delete(0, bodyFragment(c.doc).length);
			titleText(c.doc).delete(0, titleText(c.doc).length);
		});
		await eventually(async () => (await serverText(id)).body.length === 0, 'deletions stored');
		await eventually(compactedPast, 'compaction past the saved version');
		const [{ rows }] = await server.deps.db
			.select({ rows: count() })
			.from(syncUpdates)
			.where(and(eq(syncUpdates.name, name), lte(syncUpdates.seq, savedAt)));
		expect(rows).toBe(0);

		const res = await server.api(cookie.anna, 'POST', `/drafts/${id}/versions/${saved.body.version.id}/restore`);
		expect(res.status).toBe(200);
		expect(await serverText(id)).toEqual(original);
		await waitFor(() => projectDraft(c.doc).body.length === 1, 5000, 'restored text seen live');
		expect(projectDraft(c.doc)).toEqual(original);
	});
});

describe('hourly versions while a draft is being edited', () => {
	let hourly: VersionsTestServer;
	afterAll(async () => {
		await hourly?.close();
	});

	it('takes a version every interval during a session that never goes quiet', async () => {
		// An "hour" of 400 ms, and a quiet time the session never reaches.
		hourly = await startVersionsServer({ versions: { idleMs: 60_000, intervalMs: 400 } });
		const body = await buildBody(hourly.deps.db);
		const cid = (await buildCase(hourly.deps.db, body.id)).id;
		const u = await buildUser(hourly.deps.db, { bodyId: body.id, role: 'secretary', party: 'SD' });
		const ck = await hourly.login(u.email, u.password);
		const created = await hourly.api<{ draft: { id: string } }>(ck, 'POST', '/drafts', {
			caseId: cid,
			partyId: 'SD',
			kind: 'yttrande'
		});
		const id = created.body.draft.id;
		const c = hourly.connect(`draft.${id}`, ck);
		await synced(c.provider);
		appendBlocks(bodyFragment(c.doc), paragraphs('Start'));
		const t = firstText(bodyFragment(c.doc));
		const end = Date.now() + 1500;
		while (Date.now() < end) {
			t.insert(t.length, '.');
			await new Promise((r) => setTimeout(r, 50));
		}
		await hourly.versions.settled();
		const rows = await hourly.deps.db
			.select({ kind: draftSnapshots.kind })
			.from(draftSnapshots)
			.where(eq(draftSnapshots.draftId, id));
		const n = rows.filter((r) => r.kind === 'hourly').length;
		expect(n).toBeGreaterThanOrEqual(2);
		expect(n).toBeLessThanOrEqual(4);
		expect(rows.every((r) => r.kind === 'hourly')).toBe(true);
	});
});
