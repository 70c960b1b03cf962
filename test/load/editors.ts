/**
 * Load: 200 people typing in 20 drafts for 5 minutes, against the server as its own process on
 * Postgres. Each editor is a stock y-websocket provider (through CollabClient, which reads the
 * server's "saved" messages) typing into its own paragraph of the draft body at about one edit per
 * second, moving its cursor (presence), and reloading the draft list now and then like the page does.
 *
 * Pass: no errors (socket errors or unexpected closes, refused edits, failed requests, errors in the
 * server's log), every edit reported saved, every draft converged and equal to what the server
 * stores, and memory flat: resident memory in the last minute within 20 % (and 64 MB) of the first
 * minute after everyone joined. Prints the figures and writes them as JSON to LOAD_RESULT if set.
 *
 * LOAD_SECONDS (300), LOAD_EDITORS (200), LOAD_DRAFTS (20), LOAD_RATE (edits per editor per second, 1).
 * Needs DATABASE_URL; loopback only.
 */
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { createSession, SESSION_COOKIE } from '../../server/auth/session';
import { CollabClient } from '../../web/src/lib/collab/client';
import { buildBody, buildCase, buildParty, buildUser } from '../support/factories';
import { rssOf } from '../support/rss';
import { launchServer } from '../support/server-process';
import { buildDraft, cookieWebSocket, stockProvider, synced, waitFor } from '../support/sync';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 300);
const EDITORS = Number(process.env.LOAD_EDITORS ?? 200);
const DRAFTS = Number(process.env.LOAD_DRAFTS ?? 20);
const RATE = Number(process.env.LOAD_RATE ?? 1);
const PARTIES = ['S', 'V', 'MP', 'M', 'L', 'KD', 'C', 'SD', 'D'];
const MB = 1024 * 1024;

const pgUrl = process.env.DATABASE_URL;
if (!pgUrl) {
	console.error('test/load/editors.ts: DATABASE_URL must name a Postgres server (the load tier runs on Postgres).');
	process.exit(2);
}

interface Editor {
	draftId: string;
	cookie: string;
	client: CollabClient;
	/** local edits waiting for the server's "saved": [clock after the edit, time] */
	waiting: [number, number][];
	paragraph: Y.XmlText | null;
}

const errors: string[] = [];
const error = (what: string) => {
	if (errors.length < 50) errors.push(what);
	else if (errors.length === 50) errors.push('…');
};

async function main() {
	// Every provider registers an exit handler; 200 of them are expected here.
	process.setMaxListeners(EDITORS + 20);
	console.log(`[load] ${EDITORS} editors over ${DRAFTS} drafts for ${SECONDS} s at ${RATE} edit/s each, Postgres`);
	const { server, setup } = await launchServer({
		pgUrl,
		env: { LOG_LEVEL: 'info', REDIS_URL: '' },
		setup: async (db) => {
			for (const p of PARTIES) await buildParty(db, p);
			const bodyId = (await buildBody(db)).id;
			const caseId = (await buildCase(db, bodyId)).id;
			const drafts: { id: string; party: string }[] = [];
			for (let i = 0; i < DRAFTS; i++) {
				const party = PARTIES[i % PARTIES.length];
				drafts.push({ id: (await buildDraft(db, { caseId, owner: party })).id, party });
			}
			// Secretaries of the owning party, ten to a draft; sessions made directly, as 200 logins would only
			// measure scrypt.
			const editors: { draftId: string; cookie: string }[] = [];
			for (let i = 0; i < EDITORS; i++) {
				const d = drafts[i % DRAFTS];
				const user = await buildUser(db, { bodyId, role: 'secretary', party: d.party });
				const { token } = await createSession(db, user.id);
				editors.push({ draftId: d.id, cookie: `${SESSION_COOKIE}=${token}` });
			}
			return { caseId, drafts, editors };
		}
	});
	const pid = server.pid;
	const rss: { t: number; rss: number }[] = [];
	const t0 = Date.now();
	const sampler = setInterval(() => {
		const r = rssOf(pid);
		if (r !== null) rss.push({ t: (Date.now() - t0) / 1000, rss: r });
	}, 2000);

	let edits = 0;
	let acked = 0;
	let apiCalls = 0;
	const ackLatencies: number[] = [];
	const editors: Editor[] = setup.editors.map(({ draftId, cookie }) => {
		const e: Editor = { draftId, cookie, waiting: [], paragraph: null, client: undefined as unknown as CollabClient };
		e.client = new CollabClient(`draft.${draftId}`, {
			serverUrl: server.wsUrl,
			WebSocketPolyfill: cookieWebSocket(cookie, server.origin),
			disableBc: true,
			onChange: () => {
				const saved = e.client?.savedClock();
				if (saved === undefined) return;
				const now = performance.now();
				while (e.waiting.length && e.waiting[0][0] <= saved) {
					ackLatencies.push(now - e.waiting.shift()![1]);
					acked++;
				}
				if (e.client?.error) error(`editor on ${draftId}: ${e.client.error}`);
			}
		});
		e.client.provider.on('connection-error', () => error(`socket error on ${draftId}`));
		e.client.provider.on('connection-close', (ev: CloseEvent | null) => {
			if (running && ev) error(`socket closed on ${draftId}: ${ev.code}`);
		});
		return e;
	});
	let running = true;

	// Everyone joins over a few seconds, as a meeting's secretaries would.
	await waitFor(() => editors.every((e) => e.client.status === 'saved'), 120_000, 'all editors synced');
	const joinedAt = (Date.now() - t0) / 1000;
	console.log(
		`[load] ${EDITORS} editors joined in ${joinedAt.toFixed(1)} s; RSS ${Math.round((rssOf(pid) ?? 0) / MB)} MB`
	);
	for (const e of editors) {
		const body = e.client.doc.getXmlFragment('body');
		const p = new Y.XmlElement('paragraph');
		const text = new Y.XmlText();
		p.insert(0, [text]);
		body.insert(body.length, [p]);
		e.paragraph = text;
	}

	const words = ['Kommunstyrelsen ', 'får ', 'i ', 'uppdrag ', 'att ', 'budgeten ', 'för ', '2025 ', 'ska ', 'ökas. '];
	const endAt = Date.now() + SECONDS * 1000;
	const typing = editors.map(async (e, i) => {
		let n = 0;
		await new Promise((r) => setTimeout(r, (i * 1000) / EDITORS));
		while (Date.now() < endAt) {
			const t = e.paragraph!;
			if (n % 10 === 9 && t.length > 0) t.delete(Math.floor(Math.random() * t.length), 1);
			else t.insert(t.length, words[n % words.length]);
			const clock = Y.getState(e.client.doc.store, e.client.doc.clientID);
			e.waiting.push([clock, performance.now()]);
			edits++;
			if (n % 5 === 0) e.client.awareness.setLocalStateField('cursor', { at: t.length, n });
			n++;
			await new Promise((r) => setTimeout(r, (1000 / RATE) * (0.5 + Math.random())));
		}
	});
	// The draft list, reloaded by each editor about every 30 s.
	const listing = (async () => {
		let i = 0;
		while (Date.now() < endAt) {
			const e = editors[i++ % editors.length];
			try {
				const res = await fetch(`${server.origin}/api/drafts?caseId=${setup.caseId}`, {
					headers: { cookie: e.cookie, origin: server.origin }
				});
				apiCalls++;
				if (res.status !== 200) error(`draft list: ${res.status} ${await res.text()}`);
				else await res.arrayBuffer();
			} catch (err) {
				error(`draft list: ${(err as Error).message}`);
			}
			await new Promise((r) => setTimeout(r, 30_000 / EDITORS));
		}
	})();
	const progress = setInterval(() => {
		const s = (Date.now() - t0) / 1000;
		console.log(
			`[load] ${s.toFixed(0)} s: ${edits} edits, ${acked} saved, RSS ${Math.round((rssOf(pid) ?? 0) / MB)} MB, ${errors.length} errors`
		);
	}, 30_000);
	await Promise.all([...typing, listing]);
	clearInterval(progress);
	const typedFor = (Date.now() - t0) / 1000 - joinedAt;

	// Everything saved, everyone converged, and the server stores exactly that.
	await waitFor(() => editors.every((e) => e.waiting.length === 0), 60_000, 'every edit saved').catch((err: Error) =>
		error(`${err.message}: ${editors.reduce((s, e) => s + e.waiting.length, 0)} edits unsaved`)
	);
	await new Promise((r) => setTimeout(r, 1000));
	let diverged = 0;
	for (const d of setup.drafts) {
		const mine = editors.filter((e) => e.draftId === d.id);
		const texts = new Set(mine.map((e) => e.client.doc.getXmlFragment('body').toString()));
		const fresh = stockProvider(server, `draft.${d.id}`, mine[0].cookie);
		await synced(fresh.provider, 30_000);
		texts.add(fresh.doc.getXmlFragment('body').toString());
		fresh.provider.destroy();
		if (texts.size !== 1) {
			diverged++;
			error(`draft ${d.id}: ${texts.size} different texts among its editors and the server`);
		}
	}
	running = false;
	for (const e of editors) e.client.destroy();
	clearInterval(sampler);
	const endRss = rssOf(pid) ?? 0;
	const logErrors = server
		.output()
		.split('\n')
		.filter((l) => /error|failed|unhandled/i.test(l));
	for (const l of logErrors.slice(0, 10)) error(`server log: ${l}`);
	await server.stop();
	await server.dispose();

	const after = rss.filter((r) => r.t >= joinedAt);
	const firstMinute = after.filter((r) => r.t < joinedAt + 60);
	const lastMinute = after.filter((r) => r.t >= joinedAt + typedFor - 60);
	const avg = (xs: { rss: number }[]) => xs.reduce((s, x) => s + x.rss, 0) / Math.max(1, xs.length);
	const sorted = ackLatencies.sort((a, b) => a - b);
	const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
	const figures = {
		editors: EDITORS,
		drafts: DRAFTS,
		seconds: Math.round(typedFor),
		edits,
		saved: acked,
		updatesPerSecond: Math.round(edits / typedFor),
		savedLatencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: Math.round(sorted[sorted.length - 1] ?? 0) },
		draftListRequests: apiCalls,
		rssMB: {
			start: Math.round((after[0]?.rss ?? 0) / MB),
			firstMinuteAvg: Math.round(avg(firstMinute) / MB),
			lastMinuteAvg: Math.round(avg(lastMinute) / MB),
			end: Math.round(endRss / MB),
			max: Math.round(Math.max(...after.map((r) => r.rss)) / MB)
		},
		diverged,
		errors: errors.length,
		errorSamples: errors.slice(0, 10)
	};
	console.log(JSON.stringify(figures, null, 2));
	if (process.env.LOAD_RESULT) writeFileSync(process.env.LOAD_RESULT, JSON.stringify(figures, null, 2));

	const growth = avg(lastMinute) - avg(firstMinute);
	const flat = growth < Math.max(64 * MB, avg(firstMinute) * 0.2);
	const ok = errors.length === 0 && diverged === 0 && acked === edits && flat;
	console.log(
		ok
			? '[load] passed'
			: `[load] FAILED: ${errors.length} errors, ${diverged} diverged, ${edits - acked} unsaved, memory ${flat ? 'flat' : `grew ${Math.round(growth / MB)} MB`}`
	);
	process.exit(ok ? 0 : 1);
}

main().catch((err) => {
	console.error('[load] crashed', err);
	process.exit(1);
});
