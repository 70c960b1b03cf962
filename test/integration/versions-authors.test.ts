import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	appendBlocks,
	bodyFragment,
	newPointMap,
	paragraphs,
	pointsArray,
	projectDraft,
	titleText
} from '../../server/domain/draft-doc';
import { buildBody, buildCase, buildUser } from '../support/factories';
import { synced, waitFor } from '../support/sync';
import { eventually, startVersionsServer, type VersionsTestServer } from '../support/versions';

/**
 * Attribution from the server's record of who wrote as which Yjs client, after two users of two
 * parties edited one shared draft at the same time over real sockets; and the party privacy of the
 * drafting history (versions and authors).
 */

interface AuthorsView {
	authors: { userId: string; name: string; partyId: string | null; characters: number }[];
	parts: { key: string; label: string; runs: { text: string; author: number | null; uncertain?: true }[] }[];
	unattributed: number;
	clients: Record<string, number>;
}

let server: VersionsTestServer;
let caseId: string;
const c: Record<'anna' | 'karin' | 'sdMember' | 's' | 'clerk', string> = {
	anna: '',
	karin: '',
	sdMember: '',
	s: '',
	clerk: ''
};

/** A fixed-seed generator, so a failing interleaving can be replayed. */
function rng(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
}

/** Positions where a word may go without splitting another: the start, and after each space. */
function boundaries(s: string): number[] {
	const out = [0];
	for (let i = 0; i < s.length; i++) if (s[i] === ' ') out.push(i + 1);
	return out;
}

function paragraphText(doc: Y.Doc): Y.XmlText {
	return (bodyFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The author of every character of a part, as the API answers. */
function authorPerChar(view: AuthorsView, key: string): { text: string; who: (string | null)[] } {
	const part = view.parts.find((p) => p.key === key)!;
	let text = '';
	const who: (string | null)[] = [];
	for (const r of part.runs) {
		text += r.text;
		for (let i = 0; i < r.text.length; i++) who.push(r.author === null ? null : view.authors[r.author].name);
	}
	return { text, who };
}

beforeAll(async () => {
	server = await startVersionsServer({ versions: { idleMs: 60_000, intervalMs: 3_600_000 } });
	const db = server.deps.db;
	const body = await buildBody(db);
	caseId = (await buildCase(db, body.id)).id;
	const users = {
		anna: await buildUser(db, { bodyId: body.id, role: 'secretary', party: 'SD', name: 'Anna Ek' }),
		karin: await buildUser(db, { bodyId: body.id, role: 'secretary', party: 'KD', name: 'Karin Lund' }),
		sdMember: await buildUser(db, { bodyId: body.id, role: 'member', party: 'SD' }),
		s: await buildUser(db, { bodyId: body.id, role: 'secretary', party: 'S' }),
		clerk: await buildUser(db, { bodyId: body.id, role: 'clerk' })
	};
	for (const k of Object.keys(users) as (keyof typeof users)[])
		c[k] = await server.login(users[k].email, users[k].password);
});

afterAll(async () => {
	await server?.close();
});

describe('who wrote what', () => {
	it('attributes every word to its writer after two users of two parties typed into the same paragraph at once', async () => {
		const created = await server.api<{ draft: { id: string } }>(c.anna, 'POST', '/drafts', {
			caseId,
			partyId: 'SD',
			kind: 'yrkande'
		});
		const draftId = created.body.draft.id;
		const name = `draft.${draftId}`;
		const anna = server.connect(name, c.anna);
		await synced(anna.provider);
		appendBlocks(bodyFragment(anna.doc), paragraphs('Gemensam motivering från början.'));
		expect((await server.api(c.anna, 'POST', `/drafts/${draftId}/cosigners`, { partyIds: ['KD'] })).status).toBe(200);
		const karin = server.connect(name, c.karin);
		await synced(karin.provider);
		await waitFor(() => bodyFragment(karin.doc).length === 1, 5000, 'Karin has the paragraph');

		// Rounds of concurrent typing: both insert a word in the same tick, before either sees the other's.
		const random = rng(20241211);
		const words: { who: 'Anna Ek' | 'Karin Lund'; word: string }[] = [];
		for (let round = 0; round < 12; round++) {
			for (const [who, doc] of [
				['Anna Ek', anna.doc],
				['Karin Lund', karin.doc]
			] as const) {
				const t = paragraphText(doc);
				const spots = boundaries(t.toString());
				const word = `${who === 'Anna Ek' ? 'anna' : 'karin'}${round} `;
				t.insert(spots[Math.floor(random() * spots.length)], word);
				words.push({ who, word });
			}
			if (round % 3 === 0) {
				titleText(karin.doc).insert(titleText(karin.doc).length, ` k${round}`);
				pointsArray(anna.doc).push([newPointMap(`p${round}`, 'ks_kf', `Punkt från Anna ${round}.`)]);
			}
			await new Promise((r) => setTimeout(r, 5 + Math.floor(random() * 20)));
		}
		await waitFor(
			() => JSON.stringify(projectDraft(anna.doc)) === JSON.stringify(projectDraft(karin.doc)),
			5000,
			'the two editors converge'
		);
		await server.deps.sync.flush();

		const res = await server.api<AuthorsView>(c.anna, 'GET', `/drafts/${draftId}/authors`);
		expect(res.status).toBe(200);
		const view = res.body;
		const body = authorPerChar(view, 'body');
		expect(body.text).toBe(paragraphText(anna.doc).toString());
		for (const { who, word } of words) {
			const at = body.text.indexOf(word);
			expect(at, word).toBeGreaterThanOrEqual(0);
			expect(new Set(body.who.slice(at, at + word.length)), word).toEqual(new Set([who]));
		}
		const start = body.text.indexOf('Gemensam');
		expect(new Set(body.who.slice(start, start + 'Gemensam'.length))).toEqual(new Set(['Anna Ek']));

		// The title: the server wrote the first words (nobody's), Karin the additions.
		const title = authorPerChar(view, 'title');
		const added = title.text.indexOf(' k0');
		expect(added).toBeGreaterThan(0);
		expect(new Set(title.who.slice(0, added))).toEqual(new Set([null]));
		expect(new Set(title.who.slice(added))).toEqual(new Set(['Karin Lund']));
		for (const p of view.parts.filter((x) => x.key.startsWith('point:'))) {
			expect(new Set(p.runs.map((r) => (r.author === null ? null : view.authors[r.author].name)))).toEqual(
				new Set(['Anna Ek'])
			);
		}

		const anna$ = view.authors.find((a) => a.name === 'Anna Ek')!;
		const karin$ = view.authors.find((a) => a.name === 'Karin Lund')!;
		expect(anna$.partyId).toBe('SD');
		expect(karin$.partyId).toBe('KD');
		expect(karin$.characters).toBe(
			words.filter((w) => w.who === 'Karin Lund').reduce((n, w) => n + w.word.length, 0) + ' k0 k3 k6 k9'.length
		);
		// The live editor maps each writer's client to them.
		expect(view.clients[String(anna.doc.clientID)]).toBe(view.authors.indexOf(anna$));
		expect(view.clients[String(karin.doc.clientID)]).toBe(view.authors.indexOf(karin$));
	});

	it('gives re-created text to the user who restored it, and leaves the authors of unchanged text alone', async () => {
		const created = await server.api<{ draft: { id: string } }>(c.anna, 'POST', '/drafts', {
			caseId,
			partyId: 'SD',
			kind: 'yttrande'
		});
		const draftId = created.body.draft.id;
		await server.api(c.anna, 'POST', `/drafts/${draftId}/cosigners`, { partyIds: ['KD'] });
		const anna = server.connect(`draft.${draftId}`, c.anna);
		await synced(anna.provider);
		appendBlocks(bodyFragment(anna.doc), paragraphs('Första stycket.'));
		appendBlocks(bodyFragment(anna.doc), paragraphs('Andra stycket.'));
		const stored = async (n: number) => {
			await server.deps.sync.flush();
			const d = await server.deps.sync.readDoc(`draft.${draftId}`);
			return projectDraft(d).body.length === n;
		};
		await eventually(() => stored(2), 'text stored');
		const saved = await server.api<{ version: { id: string } }>(c.anna, 'POST', `/drafts/${draftId}/versions`, {
			label: 'Två stycken'
		});
		bodyFragment(anna.doc).delete(1, 1);
		await eventually(() => stored(1), 'deletion stored');

		// Karin (KD, co-signing) restores: the second paragraph comes back as her change.
		const res = await server.api(c.karin, 'POST', `/drafts/${draftId}/versions/${saved.body.version.id}/restore`);
		expect(res.status).toBe(200);
		await waitFor(() => bodyFragment(anna.doc).length === 2, 5000, 'restore seen live');
		const view = (await server.api<AuthorsView>(c.anna, 'GET', `/drafts/${draftId}/authors`)).body;
		const body = authorPerChar(view, 'body');
		expect(body.text).toBe('Första stycket.\n\nAndra stycket.');
		const second = body.text.indexOf('Andra');
		expect(new Set(body.who.slice(0, 'Första stycket.'.length))).toEqual(new Set(['Anna Ek']));
		expect(new Set(body.who.slice(second))).toEqual(new Set(['Karin Lund']));
		// The title is the server's (nobody's) and says so.
		expect(view.unattributed).toBe(view.parts.find((p) => p.key === 'title')!.runs[0].text.length);
	});
});

describe('party privacy of the drafting history', () => {
	let draftId: string;
	let versionId: string;
	const secret = 'hemligformulering';

	/** The status of every history route; an outsider's answers are also searched for the secret. */
	async function statuses(cookie: string, outsider = true) {
		const paths = [
			['GET', `/drafts/${draftId}/versions`],
			['GET', `/drafts/${draftId}/versions/${versionId}`],
			['GET', `/drafts/${draftId}/versions/compare?from=${versionId}&to=nu`],
			['GET', `/drafts/${draftId}/authors`],
			['POST', `/drafts/${draftId}/versions`],
			['POST', `/drafts/${draftId}/versions/${versionId}/restore`]
		] as const;
		const out: number[] = [];
		for (const [method, path] of paths) {
			const res = await server.api(cookie, method, path, method === 'POST' ? { label: 'Försök' } : undefined);
			if (outsider) expect(JSON.stringify(res.body)).not.toContain(secret);
			out.push(res.status);
		}
		return out;
	}

	beforeAll(async () => {
		const created = await server.api<{ draft: { id: string } }>(c.anna, 'POST', '/drafts', {
			caseId,
			partyId: 'SD',
			kind: 'yrkande'
		});
		draftId = created.body.draft.id;
		await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
			pointsArray(doc).push([newPointMap('p1', 'ks', `Kommunstyrelsen beslutar att ${secret}.`)]);
		});
		const saved = await server.api<{ version: { id: string } }>(c.anna, 'POST', `/drafts/${draftId}/versions`, {
			label: `Version med ${secret}`
		});
		versionId = saved.body.version.id;
		// The submitted text must not say it: only the history does.
		await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
			const t = ((pointsArray(doc).get(0).get('content') as Y.XmlFragment).get(0) as Y.XmlElement).get(0) as Y.XmlText;
			t.delete(0, t.length);
			t.insert(0, 'Kommunstyrelsen beslutar att bifalla förslaget.');
		});
	});

	it('hides an internal draft’s history from other parties and the clerk as if the draft did not exist', async () => {
		for (const who of [c.karin, c.s, c.clerk]) expect(await statuses(who)).toEqual([404, 404, 404, 404, 404, 404]);
		// The party's own member reads the history but does not write it.
		expect(await statuses(c.sdMember, false)).toEqual([200, 200, 200, 200, 403, 403]);
		const anon = await server.api(undefined, 'GET', `/drafts/${draftId}/versions`);
		expect(anon.status).toBe(401);
	});

	it('keeps the history internal after the final text is submitted and public', async () => {
		expect((await server.api(c.anna, 'POST', `/drafts/${draftId}/submit`)).status).toBe(200);
		for (const who of [c.karin, c.s, c.clerk]) {
			const draft = await server.api(who, 'GET', `/drafts/${draftId}`);
			expect(draft.status).toBe(200);
			expect(JSON.stringify(draft.body)).not.toContain(secret);
			expect(await statuses(who)).toEqual([403, 403, 403, 403, 403, 403]);
		}
		const own = await server.api<{ versions: { id: string; label: string | null }[] }>(
			c.anna,
			'GET',
			`/drafts/${draftId}/versions`
		);
		expect(own.body.versions.map((v) => v.label)).toContain(`Version med ${secret}`);
	});

	it('keeps it with the party after a withdrawal, when the draft leaves everyone else', async () => {
		expect((await server.api(c.anna, 'POST', `/drafts/${draftId}/withdraw`)).status).toBe(200);
		for (const who of [c.karin, c.s, c.clerk]) expect(await statuses(who)).toEqual([404, 404, 404, 404, 404, 404]);
		expect((await server.api(c.sdMember, 'GET', `/drafts/${draftId}/versions`)).status).toBe(200);
	});
});
