import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPointMap, pointsArray } from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildUser, TEST_PASSWORD } from '../support/factories';
import { apiRoutes } from '../support/routes';
import { startVersionsServer, type VersionsTestServer } from '../support/versions';

/**
 * The audit trail over HTTP: every kind of event the issue names leaves an entry (logins, role and
 * membership changes, visibility changes, submissions, withdrawals, positions and on whose behalf,
 * exports, and the drafting history's saves and restores), and who reads which entries: the clerk
 * all of the body's, a party secretary the party's, anyone else nothing.
 */

interface Entry {
	seq: number;
	action: string;
	actionLabel: string;
	actor: { id: string; name: string } | null;
	onBehalfOf: { id: string; name: string } | null;
	party: { id: string; name: string } | null;
	subject: { type: string | null; id: string | null; label: string | null };
	details: Record<string, unknown> | null;
	redacted: boolean;
	ip: string | null;
}

let server: VersionsTestServer;
let bodyId: string;
let caseId: string;
const ids: Record<string, string> = {};
const cookie: Record<string, string> = {};
/** The internal draft, never submitted: its title must reach nobody outside SD. */
const secretTitle = 'Yrkande om hemligt sparpaket';
let internalDraft: string;
let publicDraft: string;

async function ok<T = Record<string, unknown>>(who: string, method: string, path: string, json?: unknown) {
	const res = await server.api<T>(cookie[who], method, path, json);
	if (res.status >= 300) throw new Error(`${who} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

async function log(who: string, query = 'scope=body&limit=500'): Promise<Entry[]> {
	return (await ok<{ entries: Entry[] }>(who, 'GET', `/cases/${caseId}/audit?${query}`)).entries;
}

beforeAll(async () => {
	server = await startVersionsServer({ versions: { idleMs: 60_000, intervalMs: 3_600_000 } });
	const db = server.deps.db;
	const body = await buildBody(db);
	bodyId = body.id;
	caseId = (await buildCase(db, bodyId)).id;
	const other = await buildBody(db, { name: 'Byggnadsnämnden' });
	const people = {
		clerk: await buildUser(db, { bodyId, role: 'clerk', name: 'Cecilia Clerk' }),
		anna: await buildUser(db, { bodyId, role: 'secretary', party: 'SD', name: 'Anna Ek' }),
		sven: await buildUser(db, { bodyId, role: 'member', party: 'SD', name: 'Sven Ledamot' }),
		karin: await buildUser(db, { bodyId, role: 'secretary', party: 'KD', name: 'Karin Lund' }),
		sara: await buildUser(db, { bodyId, role: 'secretary', party: 'S', name: 'Sara S' }),
		observer: await buildUser(db, { bodyId, role: 'observer', name: 'Åhörare' }),
		olle: await buildUser(db, { bodyId, role: 'member', party: 'SD', name: 'Olle Ersättare', seat: 'ersattare' }),
		nils: await buildUser(db, { bodyId: other.id, role: 'observer', name: 'Nils Ny' }),
		outsider: await buildUser(db, { bodyId: other.id, role: 'clerk', name: 'Annan nämnd' })
	};
	for (const [k, u] of Object.entries(people)) {
		ids[k] = u.id;
		ids[`${k}Email`] = u.email;
		cookie[k] = await server.login(u.email, u.password);
	}

	// Logins: a failed one, and a logout everywhere.
	const failed = await server.api(undefined, 'POST', '/auth/login', { email: people.sven.email, password: 'fel' });
	expect(failed.status).toBe(401);
	await ok('olle', 'POST', '/auth/logout-everywhere');

	// Roles and memberships: the clerk adds Nils to SD, moves him to KD, then takes the role away.
	await ok('clerk', 'POST', `/bodies/${bodyId}/members`, {
		email: people.nils.email,
		role: 'secretary',
		partyId: 'SD'
	});
	await ok('clerk', 'PATCH', `/bodies/${bodyId}/members/${ids.nils}/secretary`, {
		role: 'member',
		partyId: 'KD',
		seat: 'ersattare'
	});
	await ok('clerk', 'DELETE', `/bodies/${bodyId}/members/${ids.nils}/member`);

	// An internal SD draft with a saved and a restored version.
	internalDraft = (
		await ok<{ draft: { id: string } }>('anna', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' })
	).draft.id;
	await server.deps.sync.writeDoc(`draft.${internalDraft}`, (doc) => {
		const t = doc.getText('title');
		t.delete(0, t.length);
		t.insert(0, secretTitle);
	});
	const v = await ok<{ version: { id: string } }>('anna', 'POST', `/drafts/${internalDraft}/versions`, {
		label: 'Sparpaketet, första'
	});
	await ok('anna', 'POST', `/drafts/${internalDraft}/versions/${v.version.id}/restore`);

	// A joint draft: shared with KD and S (visibility), S removed, KD approves, submitted, exported, withdrawn.
	publicDraft = (
		await ok<{ draft: { id: string } }>('anna', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' })
	).draft.id;
	await server.deps.sync.writeDoc(`draft.${publicDraft}`, (doc) => {
		pointsArray(doc).push([newPointMap('p1', 'ks', 'Kommunstyrelsen beslutar att bifalla förslaget.')]);
	});
	await ok('anna', 'POST', `/drafts/${publicDraft}/cosigners`, { partyIds: ['KD', 'S'] });
	await ok('anna', 'DELETE', `/drafts/${publicDraft}/cosigners/S`);
	await ok('karin', 'POST', `/drafts/${publicDraft}/approval`, { partyId: 'KD' });
	await ok('anna', 'POST', `/drafts/${publicDraft}/submit`);
	expect((await server.api(cookie.sara, 'GET', `/drafts/${publicDraft}/export/docx`)).status).toBe(200);
	expect((await server.api(cookie.clerk, 'GET', `/cases/${caseId}/package/pdf`)).status).toBe(200);

	// Positions: a secretary records one for a member at the meeting (on his behalf), and plans one.
	await ok('clerk', 'POST', `/cases/${caseId}/meeting/open`, {});
	await ok('clerk', 'PUT', `/cases/${caseId}/meeting/attendance`, {
		entries: [{ memberId: ids.sven, attendance: 'serving' }]
	});
	await ok('anna', 'POST', `/cases/${caseId}/positions`, {
		memberId: ids.sven,
		stage: 'recorded',
		kind: 'bifall',
		target: { type: 'yrkande', draftId: publicDraft }
	});
	await ok('anna', 'POST', `/cases/${caseId}/positions`, {
		memberId: ids.sven,
		stage: 'planned',
		kind: 'protokollsanteckning',
		text: 'Planerad anteckning som bara SD ser',
		target: { type: 'case' }
	});
	// A planned vote made public to the body: a change of visibility.
	const planned = await ok<{ position?: { id: string }; id?: string }>('anna', 'POST', `/cases/${caseId}/positions`, {
		memberId: ids.sven,
		stage: 'planned',
		kind: 'bifall',
		target: { type: 'yrkande', draftId: publicDraft }
	});
	const plannedId = (planned.position?.id ?? planned.id)!;
	await ok('anna', 'POST', `/cases/${caseId}/positions/publish`, { partyId: 'SD', positionIds: [plannedId] });
	await ok('anna', 'POST', `/drafts/${publicDraft}/withdraw`);
}, 120_000);

afterAll(async () => {
	await server?.close();
});

describe('an audit entry for each kind of event', () => {
	it('records logins, roles, visibility, submissions, withdrawals, positions, exports and versions', async () => {
		const entries = await log('clerk');
		const actions = new Set(entries.map((e) => e.action));
		for (const kind of [
			'auth.login',
			'auth.login_failed',
			'auth.logout_everywhere',
			'membership.add',
			'membership.change',
			'membership.remove',
			'draft.create',
			'draft.share',
			'draft.unshare',
			'draft.approve',
			'draft.submit',
			'draft.withdraw',
			'position.record',
			'position.publish',
			'export.docx',
			'export.package.pdf',
			'version.save',
			'version.restore'
		]) {
			expect(actions, kind).toContain(kind);
		}
		// Newest first, every entry named in Swedish.
		expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
		expect(entries.find((e) => e.action === 'draft.submit')!.actionLabel).toBe('Utkast inlämnat');
		expect(entries.find((e) => e.action === 'export.docx')!.actionLabel).toBe('Utkast exporterat (DOCX)');
	});

	it('says who acted and for whom: a position recorded by the secretary on the member’s behalf', async () => {
		const [rec] = (await log('clerk')).filter((e) => e.action === 'position.record' && e.details?.stage === 'recorded');
		expect(rec.actor?.name).toBe('Anna Ek');
		expect(rec.onBehalfOf?.name).toBe('Sven Ledamot');
		expect(rec.party?.id).toBe('SD');
		expect(rec.redacted).toBe(false);
	});

	it('records a change of role and party for both parties, with what it was and what it became', async () => {
		const changes = (await log('clerk')).filter((e) => e.action === 'membership.change');
		expect(changes.map((e) => e.party?.id).sort()).toEqual(['KD', 'SD']);
		for (const e of changes) {
			expect(e.subject.label).toBe('Nils Ny');
			expect(e.details).toEqual({
				from: { role: 'secretary', partyId: 'SD', seat: null },
				to: { role: 'member', partyId: 'KD', seat: 'ersattare' }
			});
		}
		const added = (await log('clerk')).find((e) => e.action === 'membership.add')!;
		expect(added.actor?.name).toBe('Cecilia Clerk');
		// The change took effect: Nils no longer reads anything of the body.
		const nils = await server.login(ids.nilsEmail, TEST_PASSWORD);
		expect((await server.api(nils, 'GET', `/cases/${caseId}`)).status).toBe(404);
	});

	it('records a failed login with the address tried, and logins of the body’s people only', async () => {
		const entries = await log('clerk');
		const failed = entries.find((e) => e.action === 'auth.login_failed')!;
		expect(failed.subject.label).toBe('Sven Ledamot');
		expect(failed.details).toEqual({ email: ids.svenEmail });
		const logins = entries.filter((e) => e.action === 'auth.login').map((e) => e.subject.label);
		expect(logins).toEqual(expect.arrayContaining(['Anna Ek', 'Karin Lund', 'Sven Ledamot']));
		expect(logins).not.toContain('Annan nämnd');
	});

	it('has no way to change or delete an entry', () => {
		const writes = apiRoutes(server.app).filter((r) => r.path.includes('audit') && r.method !== 'GET');
		expect(writes).toEqual([]);
	});
});

describe('who sees which entries', () => {
	it('shows the clerk another party’s internal work as done, without what it was', async () => {
		const entries = await log('clerk');
		const internal = entries.filter((e) => e.subject.type === 'draft' && e.redacted);
		expect(internal.map((e) => e.action)).toEqual(
			expect.arrayContaining(['draft.create', 'version.save', 'version.restore'])
		);
		for (const e of internal) {
			expect(e.subject.id).toBeNull();
			expect(e.details).toBeNull();
			// Who did it stays: that is the record the clerk keeps.
			expect(e.actor).not.toBeNull();
			if (e.action.startsWith('version.')) expect(e.actor?.name).toBe('Anna Ek');
		}
		const text = JSON.stringify(entries);
		expect(text).not.toContain(internalDraft);
		expect(text).not.toContain(secretTitle);
		expect(text).not.toContain('Sparpaketet');
		expect(text).not.toContain('Planerad anteckning');
		// The public record is there in full: the submission of the joint draft, with its subject.
		const submit = entries.find((e) => e.action === 'draft.submit')!;
		expect(submit.redacted).toBe(true);
		// …withdrawn since: another party's withdrawn draft is internal again.
		expect(submit.subject.id).toBeNull();
		// Addresses are for the clerk.
		expect(entries.find((e) => e.action === 'auth.login')!.ip).toBeTruthy();
	});

	it('shows a party secretary exactly the party’s entries and the logins of its people', async () => {
		const entries = await log('anna');
		expect(entries.length).toBeGreaterThan(5);
		for (const e of entries) {
			if (e.party) expect(e.party.id).toBe('SD');
			else expect(e.action.startsWith('auth.')).toBe(true);
		}
		const logins = entries.filter((e) => e.action.startsWith('auth.')).map((e) => e.subject.label);
		expect(logins).toEqual(expect.arrayContaining(['Anna Ek', 'Sven Ledamot', 'Olle Ersättare']));
		expect(logins).not.toContain('Karin Lund');
		expect(entries.some((e) => e.action === 'meeting.open')).toBe(false);
		// The party's own entries in full, the internal draft included.
		const save = entries.find((e) => e.action === 'version.save')!;
		expect(save.redacted).toBe(false);
		expect(save.details).toMatchObject({ label: 'Sparpaketet, första' });
		expect(entries.find((e) => e.action === 'draft.create' && e.subject.id === internalDraft)!.subject.label).toBe(
			secretTitle
		);
		expect(entries.every((e) => e.ip === null)).toBe(true);
	});

	it('shows KD its approval and the role change that concerns it, and none of SD’s own entries', async () => {
		const entries = await log('karin');
		const actions = entries.map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['draft.approve', 'membership.change', 'membership.remove']));
		expect(actions).not.toContain('draft.create');
		expect(actions).not.toContain('version.save');
		expect(JSON.stringify(entries)).not.toContain(secretTitle);
		expect(JSON.stringify(entries)).not.toContain(internalDraft);
	});

	it('refuses members and observers with 403, other bodies with 404, anonymous with 401', async () => {
		for (const who of ['sven', 'observer']) {
			const res = await server.api<{ error: { message: string } }>(cookie[who], 'GET', `/cases/${caseId}/audit`);
			expect(res.status, who).toBe(403);
			expect(res.body.error.message).toMatch(/nämndsekreteraren/);
		}
		expect((await server.api(cookie.outsider, 'GET', `/cases/${caseId}/audit`)).status).toBe(404);
		expect((await server.api(undefined, 'GET', `/cases/${caseId}/audit`)).status).toBe(401);
	});

	it('filters by the case and by kind of event', async () => {
		const caseOnly = await log('clerk', 'limit=500');
		expect(caseOnly.some((e) => e.action.startsWith('auth.'))).toBe(false);
		expect(caseOnly.some((e) => e.action.startsWith('membership.'))).toBe(false);
		expect(caseOnly.some((e) => e.action === 'meeting.open')).toBe(true);
		expect(caseOnly.some((e) => e.action === 'position.record')).toBe(true);
		const memberships = await log('clerk', 'scope=body&category=membership');
		expect(new Set(memberships.map((e) => e.action))).toEqual(
			new Set(['membership.add', 'membership.change', 'membership.remove'])
		);
		const page1 = await ok<{ entries: Entry[]; next: number | null }>(
			'clerk',
			'GET',
			`/cases/${caseId}/audit?scope=body&limit=3`
		);
		expect(page1.entries).toHaveLength(3);
		const page2 = await ok<{ entries: Entry[] }>(
			'clerk',
			'GET',
			`/cases/${caseId}/audit?scope=body&limit=3&before=${page1.next}`
		);
		expect(page2.entries[0].seq).toBeLessThan(page1.entries[2].seq);
		const bad = await server.api<{ error: { message: string } }>(cookie.clerk, 'GET', `/cases/${caseId}/audit?limit=0`);
		expect(bad.status).toBe(400);
	});

	it('answers per draft: the party its entries, the co-signer its own, outsiders 404', async () => {
		const own = await ok<{ entries: Entry[] }>('anna', 'GET', `/drafts/${internalDraft}/audit`);
		expect(own.entries.map((e) => e.action).sort()).toEqual(['draft.create', 'version.restore', 'version.save']);
		for (const who of ['karin', 'sara', 'clerk', 'sven'])
			expect((await server.api(cookie[who], 'GET', `/drafts/${internalDraft}/audit`)).status, who).toBe(
				who === 'sven' ? 403 : 404
			);
		// The withdrawn joint draft: KD is still behind it and reads its own approval.
		const kd = await ok<{ entries: Entry[] }>('karin', 'GET', `/drafts/${publicDraft}/audit`);
		expect(kd.entries.map((e) => e.action)).toEqual(['draft.approve']);
	});
});
