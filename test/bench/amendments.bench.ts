/**
 * Server time of the case overview of amendments (GET /api/cases/:id/amendments) with 200
 * amendments from eight parties on the demo case, and of the consolidated preview with all of them
 * applied. `npx tsx test/bench/amendments.bench.ts [--quick]` alone, or through `npm run bench`.
 *
 * Target from issue 6: the overview under 300 ms. The server runs in this process on the embedded
 * database (PGlite), as `npm start` does on a fresh machine; the time is measured from request to
 * the last byte of the answer, the in-process part (building the view) separately.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { amendmentMap, replaceAmendmentText, setAmendmentValue } from '../../server/domain/amendment-doc';
import { amendableParts, opsFor, indexTree, targetText, type Located } from '../../server/domain/amendment-targets';
import type { BaselineItem } from '../../server/domain/baseline';
import { CaseBaseline } from '../../server/commands/amendments-baseline';
import { checkAmendments, readableSources } from '../../server/commands/amendments';
import { buildOverview, clearDiffMemo } from '../../server/commands/amendments-view';
import { partyInfos } from '../../server/commands/drafts';
import { startTestServer } from '../support/server';

const PASSWORD = 'yrka-demo-2025';
const PARTIES = ['S', 'V', 'MP', 'M', 'L', 'KD', 'C', 'SD'];

function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
	return { median_ms: at(0.5), p95_ms: at(0.95), max_ms: s[s.length - 1], runs: s.length };
}

/** A plausible edit of a text: a few words replaced, one phrase struck. */
function rewrite(text: string, rnd: () => number): string {
	const words = text.split(/(\s+)/);
	for (let i = 0; i < words.length; i += 2) {
		const r = rnd();
		if (r < 0.04) words[i] = 'ändrat';
		else if (r < 0.06) words[i] = '';
	}
	return words.join('').replace(/ {2,}/g, ' ');
}

export async function run({ quick }: { quick: boolean }) {
	const server = await startTestServer({ seedDemo: true });
	try {
		const caseId = server.seed!.caseId!;
		const login = (who: string) => server.login(`${who}@demo.yrka.se`, PASSWORD);
		const call = async (cookie: string, method: string, path: string, json?: unknown) => {
			const res = await server.fetch(`/api${path}`, { method, cookie, json });
			if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
			return res.json();
		};

		const tree: BaselineItem[] = (await call(await login('namndsekreterare'), 'GET', `/cases/${caseId}/baseline`))
			.published.items;
		const index = indexTree(tree);
		// Every amendable text of the baseline: items, their named parts, budget rows.
		const targets: { located: Located; field?: string; op: 'change' | 'strike' | 'amounts' }[] = [];
		for (const located of index.values()) {
			const ops = opsFor(located);
			if (ops.includes('amounts')) targets.push({ located, op: 'amounts' });
			else if (ops.includes('change')) targets.push({ located, op: 'change' });
			for (const field of amendableParts(located.item)) targets.push({ located, field, op: 'change' });
		}

		const total = 200;
		const rnd = prng(2025);
		const perParty = Math.ceil(total / PARTIES.length);
		let made = 0;
		for (const party of PARTIES) {
			const cookie = await login(`sekreterare.${party.toLowerCase()}`);
			const draft = await call(cookie, 'POST', '/drafts', { caseId, partyId: party, kind: 'andringsyrkande' });
			const draftId: string = draft.draft.id;
			for (let i = 0; i < perParty && made < total; i++, made++) {
				// Parties pick from the same popular targets, so collisions occur as they do in a real case.
				const t = targets[Math.floor(rnd() ** 2 * targets.length)];
				const op = t.op === 'change' && rnd() < 0.15 ? 'strike' : t.op;
				const created = await call(cookie, 'POST', `/cases/${caseId}/amendments`, {
					draftId,
					baselineItemId: t.located.item.id,
					...(t.field ? { field: t.field } : {}),
					op
				});
				await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
					const m = amendmentMap(doc, created.id)!;
					if (op === 'change') replaceAmendmentText(m, rewrite(targetText(t.located.item, t.field), rnd));
					if (op === 'amounts') {
						for (const [column, v] of Object.entries(t.located.item.values ?? {})) {
							if (rnd() < 0.5) setAmendmentValue(m, column, Math.round((v + (rnd() - 0.5) * 20) * 10) / 10);
						}
					}
				});
			}
			// Every party but M submits: the viewer, a member of M, sees its own draft and all the others.
			if (party !== 'M') await call(cookie, 'POST', `/drafts/${draftId}/submit`);
		}

		const viewer = await login('per.akesson');
		const overviewPath = `/api/cases/${caseId}/amendments`;
		const first = await server.fetch(overviewPath, { cookie: viewer });
		const body = await first.json();
		if (body.counts.total !== total) throw new Error(`the viewer sees ${body.counts.total} of ${total} amendments`);

		const runs = quick ? 5 : 25;
		// Cold: no diff worked out before, as after a restart or when every text changed.
		const cold: number[] = [];
		const warm: number[] = [];
		let bytes = 0;
		for (let i = 0; i < runs; i++) {
			clearDiffMemo();
			const t0 = performance.now();
			const res = await server.fetch(overviewPath, { cookie: viewer });
			bytes = (await res.arrayBuffer()).byteLength;
			cold.push(performance.now() - t0);
			// Warm: the page loaded again with the diffs remembered, the usual case.
			const t1 = performance.now();
			await (await server.fetch(overviewPath, { cookie: viewer })).arrayBuffer();
			warm.push(performance.now() - t1);
		}

		// The same work in-process, split into loading (database, projections, checks) and building the view.
		const deps = { db: server.deps.db, sync: server.deps.sync };
		const load: number[] = [];
		const build: number[] = [];
		for (let i = 0; i < runs; i++) {
			clearDiffMemo();
			const t0 = performance.now();
			const baseline = (await CaseBaseline.load(deps.db, caseId))!;
			const sources = await readableSources(deps, null, caseId);
			const checks = await checkAmendments(deps, baseline, caseId, sources);
			const treeNow = await baseline.tree();
			const parties = await partyInfos(deps.db);
			const t1 = performance.now();
			buildOverview({
				tree: treeNow,
				version: { number: baseline.number, publishedAt: baseline.current.publishedAt, issuer: baseline.issuer },
				sources,
				checks,
				parties,
				filter: {}
			});
			build.push(performance.now() - t1);
			load.push(t1 - t0);
		}

		const previewPath = `/api/cases/${caseId}/amendments/preview`;
		const preview: number[] = [];
		for (let i = 0; i < (quick ? 3 : 10); i++) {
			const t0 = performance.now();
			await (await server.fetch(previewPath, { cookie: viewer })).arrayBuffer();
			preview.push(performance.now() - t0);
		}

		return {
			amendments: total,
			items_with_amendments: body.targets.length,
			collisions: body.counts.collisions,
			overview_http_cold: stats(cold),
			overview_http_warm: stats(warm),
			overview_bytes: bytes,
			overview_load: stats(load),
			overview_build: stats(build),
			preview_all_http: stats(preview),
			target_ms: 300,
			under_target_cold: stats(cold).median_ms < 300
		};
	} finally {
		await server.close();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const figures = await run({ quick: process.argv.includes('--quick') });
	console.log(JSON.stringify(figures, null, 2));
}
