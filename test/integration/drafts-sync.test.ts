import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { bodyFragment, fragmentText, newPointMap, pointsArray, titleText } from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { startSyncServer, stockProvider, synced, waitFor, type SyncTestServer } from '../support/sync';

/**
 * The lifecycle as the sync socket sees it: who may open a draft's document, and when writing stops.
 * Drafts are made through the API, so this also checks that every command tells the sync server.
 */
let server: SyncTestServer;
let bodyId: string;
let caseId: string;
const cookies: Record<string, string> = {};
const providers: WebsocketProvider[] = [];

async function secretary(party: string) {
	if (!cookies[party]) {
		const u = await buildUser(server.deps.db, { bodyId, role: 'secretary', party });
		cookies[party] = await server.login(u.email, u.password);
	}
	return cookies[party];
}

async function api(party: string, method: string, path: string, json?: unknown) {
	const res = await fetch(`${server.origin}/api${path}`, {
		method,
		headers: { origin: server.origin, cookie: await secretary(party), 'content-type': 'application/json' },
		body: json === undefined ? undefined : JSON.stringify(json)
	});
	return { status: res.status, body: await res.json() };
}

async function connect(party: string, docName: string) {
	const c = stockProvider(server, docName, await secretary(party));
	providers.push(c.provider);
	let closeCode: number | null = null;
	c.provider.on('connection-close', (e: CloseEvent | null) => {
		if (e) closeCode = e.code;
	});
	return { ...c, closeCode: () => closeCode };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000) {
	const start = Date.now();
	while (!(await check())) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

/** The server's copy, after everything it accepted is durable. */
async function stored(docName: string) {
	await server.deps.sync.flush();
	return server.deps.sync.readDoc(docName);
}

beforeAll(async () => {
	server = await startSyncServer();
	bodyId = (await buildBody(server.deps.db)).id;
	caseId = (await buildCase(server.deps.db, bodyId)).id;
	for (const p of ['SD', 'S', 'M', 'D']) await secretary(p);
});
afterAll(async () => {
	for (const p of providers) p.destroy();
	await server?.close();
});

describe('drafts over the sync socket', () => {
	it('keeps another party off the document until submit, then lets it read but not write', async () => {
		const created = await api('SD', 'POST', '/drafts', { caseId, partyId: 'SD', kind: 'yrkande' });
		const { id, docName } = created.body.draft;

		const s = await connect('S', docName);
		await waitFor(() => s.closeCode() !== null, 5000, 'refusal');
		expect(s.closeCode()).toBe(4403);
		expect(s.provider.synced).toBe(false);
		s.provider.destroy();

		const sd = await connect('SD', docName);
		await synced(sd.provider);
		expect(titleText(sd.doc).toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
		pointsArray(sd.doc).push([newPointMap('p1', 'ks_kf', 'Kommunstyrelsen får i uppdrag att avbryta samarbetet.')]);
		await eventually(async () => pointsArray(await stored(docName)).length === 1, 'point stored');

		expect((await api('SD', 'POST', `/drafts/${id}/submit`)).status).toBe(200);
		// The open SD socket is now read-only: a later edit never reaches the stored document.
		titleText(sd.doc).insert(0, 'EFTER INLÄMNING ');
		await new Promise((r) => setTimeout(r, 300));
		expect(titleText(await stored(docName)).toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');

		const s2 = await connect('S', docName);
		await synced(s2.provider);
		expect(pointsArray(s2.doc).length).toBe(1);
		Y.transact(s2.doc, () => titleText(s2.doc).insert(0, 'S ÄNDRAR '));
		await new Promise((r) => setTimeout(r, 300));
		expect(titleText(await stored(docName)).toString()).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
	});

	it('opens a joint draft to a co-signer when invited, and closes it again when the party is removed', async () => {
		const created = await api('M', 'POST', '/drafts', { caseId, partyId: 'M', kind: 'yttrande' });
		const { id, docName } = created.body.draft;
		const before = await connect('D', docName);
		await waitFor(() => before.closeCode() !== null, 5000, 'refusal');
		expect(before.closeCode()).toBe(4403);
		before.provider.destroy();

		expect((await api('M', 'POST', `/drafts/${id}/cosigners`, { partyIds: ['D'] })).status).toBe(200);
		const d = await connect('D', docName);
		await synced(d.provider);
		bodyFragment(d.doc).insert(0, [new Y.XmlElement('paragraph')]);
		(bodyFragment(d.doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('Demokraternas mening.')]);
		await eventually(
			async () => fragmentText(bodyFragment(await stored(docName))) === 'Demokraternas mening.',
			"D's text stored"
		);

		expect((await api('M', 'DELETE', `/drafts/${id}/cosigners/D`)).status).toBe(200);
		await waitFor(() => d.closeCode() === 4403, 5000, 'D closed out');
	});
});
