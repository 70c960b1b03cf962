import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { amendmentMap, setAmendmentValue, syncAmendmentPoints } from '../../server/domain/amendment-doc';
import { amendmentPoint } from '../../server/domain/amendment-points';
import { walkItems, type BaselineItem } from '../../server/domain/baseline';
import { markup, type DiffSegment } from '../../server/domain/diff';
import { appendBlocks, fragmentText, paragraphs, projectDraft } from '../../server/domain/draft-doc';
import type {
	CollisionView,
	Overview,
	OverviewAmendment,
	OverviewTarget,
	PreviewEntry,
	PreviewView
} from '../../server/commands/amendments-view';
import type { CheckView } from '../../server/commands/amendments';
import type { CellChange } from '../../server/domain/budget';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Amendments over HTTP on the demo case: created from a baseline item inside a draft, edited in the
 * draft's Y.Doc as the editor does, read back through the overview (which only shows what the viewer
 * may read), checked against a new baseline version, and the budget totals they change.
 */

const fixture = readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
const PASSWORD = 'yrka-demo-2025';
const PLANNING = 'Stadsledningskontorets planering';
const AGENDA = 'med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ';

let server: TestServer;
let caseId: string;
const cookies = new Map<string, string>();

async function cookie(who: string): Promise<string> {
	if (!cookies.has(who)) cookies.set(who, await server.login(`${who}@demo.yrka.se`, PASSWORD));
	return cookies.get(who)!;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies of many shapes; the typed views say T
async function call<T = any>(who: string, method: string, path: string, json?: unknown) {
	const res = await server.fetch(`/api${path}`, { method, cookie: await cookie(who), json });
	const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
	return { status: res.status, body: body as T };
}

let tree: BaselineItem[];
function find(pred: (item: BaselineItem, parent: BaselineItem | null) => boolean): BaselineItem {
	for (const { item, parent } of walkItems(tree)) if (pred(item, parent)) return item;
	throw new Error('not found');
}
const climateGoal = () => find((i) => i.kind === 'goal' && /klimatomställningen/.test(i.title ?? ''));
const slkGrant = () =>
	find((i, p) => i.kind === 'table_row' && i.title === 'Kommunbidrag' && p?.title === 'Stadsledningskontoret');

async function newDraft(who: string, partyId: string, kind = 'andringsyrkande'): Promise<string> {
	const res = await call(who, 'POST', '/drafts', { caseId, partyId, kind });
	expect(res.status).toBe(201);
	return res.body.draft.id;
}

async function amend(who: string, json: Record<string, unknown>) {
	return call(who, 'POST', `/cases/${caseId}/amendments`, json);
}

/** Edits an amendment's text the way the editor does: in the draft's document, through the sync server. */
async function retype(draftId: string, amendmentId: string, edit: (text: string) => string) {
	await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
		const m = amendmentMap(doc, amendmentId)!;
		const f = m.get('content') as Y.XmlFragment;
		const next = edit(fragmentText(f));
		f.delete(0, f.length);
		appendBlocks(f, paragraphs(next));
	});
}

interface DraftAmendment {
	id: string;
	check:
		| (CheckView & {
				result: { text?: { conflicts: { baseline: { inserted: string }; amendment: { inserted: string } }[] } };
		  })
		| null;
	oldBaseText?: string;
	newBaseText?: string;
}

const inline = (paragraphs: { segments: DiffSegment[] }[]) => paragraphs.map((p) => markup(p.segments)).join('\n\n');

beforeAll(async () => {
	server = await startTestServer({ seedDemo: true });
	caseId = server.seed!.caseId!;
	const res = await call('namndsekreterare', 'GET', `/cases/${caseId}/baseline`);
	tree = res.body.published.items;
});
afterAll(() => server?.close());

describe('amendments in drafts and the case overview', () => {
	let sdDraft: string;
	let sdAmendment: string;
	let cDraft: string;
	let cAmendment: string;

	it('starts an amendment of a goal section inside a draft, from the baseline text, with its decision point', async () => {
		sdDraft = await newDraft('sekreterare.sd', 'SD');
		const goal = climateGoal();
		const res = await amend('sekreterare.sd', {
			draftId: sdDraft,
			baselineItemId: goal.id,
			field: PLANNING,
			op: 'change'
		});
		expect(res.status).toBe(201);
		sdAmendment = res.body.id;
		expect(res.body.baselineVersion).toBe(1);

		const content = projectDraft(await server.deps.sync.readDoc(`draft.${sdDraft}`));
		expect(content.amendments).toEqual([
			expect.objectContaining({
				id: sdAmendment,
				baselineItemId: goal.id,
				baselineVersion: 1,
				op: 'change',
				field: PLANNING,
				text: goal.fields![PLANNING]
			})
		]);
		expect(content.points).toHaveLength(1);
		expect(content.points[0].text).toMatch(
			/^Avsnittet ”Stadsledningskontorets planering” under målet ”Göteborg ska vara ledande/
		);
	});

	it('refuses what cannot be amended, and drafts the user may not edit', async () => {
		const goal = climateGoal();
		expect((await amend('sekreterare.sd', { draftId: sdDraft, baselineItemId: goal.id, op: 'amounts' })).status).toBe(
			422
		);
		const sum = find(
			(i, p) =>
				i.kind === 'table_row' && i.title === 'Kommunbidrag' && p?.kind === 'table' && p.title === 'Kommunledningen'
		);
		const refused = await amend('sekreterare.sd', { draftId: sdDraft, baselineItemId: sum.id, op: 'amounts' });
		expect(refused.status).toBe(422);
		expect(refused.body.error.message).toMatch(/summarad/);
		// C's secretary cannot even learn that SD's draft exists.
		expect((await amend('sekreterare.c', { draftId: sdDraft, baselineItemId: goal.id, op: 'strike' })).status).toBe(
			404
		);
		// A member of SD reads the draft but only secretaries write.
		expect((await amend('daniel.strand', { draftId: sdDraft, baselineItemId: goal.id, op: 'strike' })).status).toBe(
			403
		);
		expect((await amend('sekreterare.sd', { draftId: sdDraft, baselineItemId: 'nope', op: 'strike' })).status).toBe(
			404
		);
	});

	it('shows the edited amendment with its word diff to its own party, and to nobody else while it is a draft', async () => {
		await retype(sdDraft, sdAmendment, (t) => t.replace(AGENDA, ''));
		const own = await call<Overview>('sekreterare.sd', 'GET', `/cases/${caseId}/amendments`);
		expect(own.status).toBe(200);
		const target = own.body.targets.find((t: OverviewTarget) => t.itemId === climateGoal().id && t.field === PLANNING)!;
		expect(target.amendments).toHaveLength(1);
		const a = target.amendments[0];
		expect(a).toMatchObject({ op: 'change', partyIds: ['SD'], draft: { id: sdDraft, statusLabel: 'Utkast' } });
		expect(inline(a.diff!.paragraphs)).toContain(`[-${AGENDA}-]för att identifiera`);
		expect(a.diff!.deletedWords).toBe(7);
		// The page writes the decision point from the target's reference, as the draft does.
		const point = amendmentPoint({ item: { ...target.reference, text: target.baseText }, amendment: a });
		expect(point.text).toMatch(
			/^I avsnittet ”Stadsledningskontorets planering” under målet .* stryks ”med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv”\.$/
		);
		// The overview shows the change with some context, not the whole section again.
		expect(inline(a.diff!.paragraphs)).toMatch(/^\[…\] .*\[…\]$/s);
		expect(JSON.stringify(a.diff).length).toBeLessThan(target.baseText.length);
		expect(own.body.counts).toMatchObject({ total: 1, shown: 1, byParty: { SD: 1 }, byKind: { goal: 1 } });

		// The export measures it against the section too, not against the goal's title.
		const md = await call<string>('sekreterare.sd', 'GET', `/drafts/${sdDraft}/export/md`);
		expect(md.status).toBe(200);
		expect(md.body).toContain('avsnittet ”Stadsledningskontorets planering” får följande lydelse');
		expect(md.body).toMatch(/~~med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ?~~/);
		expect(md.body).not.toContain('~~Göteborg ska vara ledande');

		for (const who of ['sekreterare.c', 'per.akesson', 'namndsekreterare']) {
			const other = await call<Overview>(who, 'GET', `/cases/${caseId}/amendments`);
			expect(other.status).toBe(200);
			expect(JSON.stringify(other.body)).not.toContain(sdAmendment);
			expect(JSON.stringify(other.body)).not.toContain(sdDraft);
			expect(other.body.counts.total).toBe(0);
		}
		// Nor through the preview, nor the draft's own amendment list.
		const preview = await call<PreviewView>(
			'sekreterare.c',
			'GET',
			`/cases/${caseId}/amendments/preview?drafts=${sdDraft}`
		);
		expect(preview.status).toBe(200);
		expect(preview.body.applied).toBe(0);
		expect(
			(
				await call<{ amendments: DraftAmendment[] }>(
					'sekreterare.c',
					'GET',
					`/cases/${caseId}/amendments/drafts/${sdDraft}`
				)
			).status
		).toBe(404);
	});

	it('flags a competing amendment of the same words once both drafts are readable, with the overlapping span', async () => {
		cDraft = await newDraft('sekreterare.c', 'C');
		const res = await amend('sekreterare.c', {
			draftId: cDraft,
			baselineItemId: climateGoal().id,
			field: PLANNING,
			op: 'change'
		});
		cAmendment = res.body.id;
		await retype(cDraft, cAmendment, (t) =>
			t.replace('ett Agenda 2030 hållbarhetsperspektiv', 'ett socialt, ekologiskt och ekonomiskt hållbarhetsperspektiv')
		);
		// Each party sees only its own: no collision can be shown yet.
		const sdView = await call<Overview>('sekreterare.sd', 'GET', `/cases/${caseId}/amendments`);
		expect(sdView.body.counts).toMatchObject({ total: 1, collisions: 0 });

		for (const [who, id] of [
			['sekreterare.sd', sdDraft],
			['sekreterare.c', cDraft]
		]) {
			const submitted = await call(who, 'POST', `/drafts/${id}/submit`);
			expect(submitted.status).toBe(200);
		}
		const view = await call<Overview>('per.akesson', 'GET', `/cases/${caseId}/amendments`);
		expect(view.body.counts).toMatchObject({ total: 2, collisions: 1, byParty: { SD: 1, C: 1 } });
		const target = view.body.targets.find((t: OverviewTarget) => t.field === PLANNING)!;
		expect(target.amendments.map((a: OverviewAmendment) => a.partyIds[0]).sort()).toEqual(['C', 'SD']);
		expect(target.collisions).toHaveLength(1);
		expect(target.collisions[0].spans.map((s: CollisionView['spans'][number]) => s.text)).toEqual(['Agenda 2030']);

		const onlyC = await call<Overview>('per.akesson', 'GET', `/cases/${caseId}/amendments?party=C`);
		expect(onlyC.body.counts).toMatchObject({ total: 2, shown: 1 });
		expect(onlyC.body.targets[0].amendments.map((a: OverviewAmendment) => a.id)).toEqual([cAmendment]);
		expect(onlyC.body.targets[0].collisions).toHaveLength(1);
		const onlyRows = await call<Overview>('per.akesson', 'GET', `/cases/${caseId}/amendments?kind=table_row`);
		expect(onlyRows.body.targets).toEqual([]);
	});

	it('previews the baseline with one draft applied, and says which of two competing drafts was left out', async () => {
		const sdOnly = await call<PreviewView>(
			'per.akesson',
			'GET',
			`/cases/${caseId}/amendments/preview?drafts=${sdDraft}`
		);
		const entry = sdOnly.body.entries.find((e: PreviewEntry) => e.field === PLANNING && e.itemId === climateGoal().id)!;
		expect(entry.status).toBe('changed');
		expect(entry.text).not.toContain('Agenda 2030 hållbarhetsperspektiv');
		expect(sdOnly.body.conflicts).toEqual([]);

		const both = await call<PreviewView>(
			'per.akesson',
			'GET',
			`/cases/${caseId}/amendments/preview?drafts=${cDraft},${sdDraft}`
		);
		expect(both.body.conflicts).toEqual([
			expect.objectContaining({ reason: 'overlap', amendmentIds: [sdAmendment], conflictsWith: [cAmendment] })
		]);
		const md = await call(
			'per.akesson',
			'GET',
			`/cases/${caseId}/amendments/preview?drafts=${sdDraft}&format=markdown`
		);
		expect(md.status).toBe(200);
		expect(md.body).toContain('socialt');
		expect(md.body).not.toContain('ett Agenda 2030 hållbarhetsperspektiv för att identifiera');
	});
});

describe('budget row amendments', () => {
	it('recomputes the sums and the net change of kommunbidrag 285,7 → 280,7', async () => {
		const draftId = await newDraft('sekreterare.m', 'M', 'yrkande');
		const row = slkGrant();
		const res = await amend('sekreterare.m', { draftId, baselineItemId: row.id, op: 'amounts' });
		expect(res.status).toBe(201);
		// As the editor does: the new amount, and the decision point written from the target the API gives.
		const ref = `${row.id}:1`;
		const { body: targets } = await call('sekreterare.m', 'GET', `/cases/${caseId}/amendments/targets?ref=${ref}`);
		expect(targets.targets[ref]).toMatchObject({ kind: 'table_row', ops: ['amounts'], baseText: 'Kommunbidrag' });
		expect(targets.targets[ref].table.columns).toEqual(['Budget 2024', 'Budget 2025']);
		await server.deps.sync.writeDoc(`draft.${draftId}`, (doc) => {
			setAmendmentValue(amendmentMap(doc, res.body.id)!, 'Budget 2025', 280.7);
			syncAmendmentPoints(doc, (a) => amendmentPoint({ item: targets.targets[ref].reference, amendment: a }));
		});
		const view = await call<Overview>('sekreterare.m', 'GET', `/cases/${caseId}/amendments?party=M`);
		const target = view.body.targets.find((t: OverviewTarget) => t.itemId === row.id)!;
		const a = target.amendments[0];
		const point = amendmentPoint({ item: { ...target.reference, text: target.baseText }, amendment: a });
		expect(a.amounts!.net).toEqual({ 'Budget 2024': 0, 'Budget 2025': -5 });
		const cells = a.amounts!.changes.map((c: CellChange) => [c.label, c.column, c.before, c.after, c.delta, c.isSum]);
		expect(cells).toEqual([
			['Kommunbidrag', 'Budget 2025', 397.8, 392.8, -5, true],
			['Resultat', 'Budget 2025', 0, -5, -5, true],
			['Kommunbidrag', 'Budget 2025', 285.7, 280.7, -5, false],
			['Resultat', 'Budget 2025', 0, -5, -5, true]
		]);
		expect(point.text).toBe(
			'Kommunbidrag för Stadsledningskontoret (Budget 2025) ändras från 285,7 mnkr till 280,7 mnkr.'
		);
		const content = projectDraft(await server.deps.sync.readDoc(`draft.${draftId}`));
		expect(content.points.map((p) => p.text)).toEqual([point.text]);
	});
});

describe('rebase on a new baseline version', () => {
	it('marks untouched items valid, merges a clean change and keeps a conflicting one stale with both texts', async () => {
		const sd = 'sekreterare.s';
		const draftId = await newDraft(sd, 'S', 'yrkande');
		const point = (n: string) => find((i) => i.kind === 'decision_point' && i.label === n);
		const goal = climateGoal();
		const mk = async (json: Record<string, unknown>) => (await amend(sd, { draftId, ...json })).body.id as string;
		const untouched = await mk({ baselineItemId: point('4').id, op: 'change' });
		const clean = await mk({ baselineItemId: goal.id, field: PLANNING, op: 'change' });
		const stale = await mk({ baselineItemId: point('1').id, op: 'change' });
		await retype(draftId, untouched, (t) => `${t} Planen stäms av halvårsvis.`);
		await retype(draftId, clean, (t) =>
			t.replace('Stödet till nämnder med stor klimatpåverkan', 'Stödet till alla nämnder')
		);
		await retype(draftId, stale, (t) => t.replace('fastställs', 'godkänns'));

		// Version 2 rewords the end of the planning text and point 1's verb: only point 1 collides.
		const revised = fixture
			.replace(
				'Inom uppföljningsprocessen avser kontoret att stärka samarbetet',
				'Inom uppföljningsprocessen ska kontoret stärka samarbetet'
			)
			.replace(
				'bilaga 1 till stadsledningskontorets tjänsteutlåtande, fastställs.',
				'bilaga 1 till stadsledningskontorets tjänsteutlåtande, antas.'
			);
		expect(revised).not.toBe(fixture);
		const up = await server.fetch(`/api/cases/${caseId}/baseline/imports`, {
			method: 'POST',
			cookie: await cookie('namndsekreterare'),
			headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'underlag-v2.txt' },
			body: new Blob([new TextEncoder().encode(revised)])
		});
		expect(up.status).toBe(201);
		const published = await call('namndsekreterare', 'POST', `/cases/${caseId}/baseline/draft/publish`);
		expect(published.status).toBe(200);
		expect(published.body.version.number).toBe(2);

		// Publishing checked every amendment: the open draft already holds the results.
		const content = projectDraft(await server.deps.sync.readDoc(`draft.${draftId}`));
		const byId = new Map(content.amendments.map((a) => [a.id, a]));
		expect(byId.get(untouched)!.baselineVersion).toBe(2);
		expect(byId.get(clean)!.baselineVersion).toBe(2);
		expect(byId.get(clean)!.text).toContain('Stödet till alla nämnder');
		expect(byId.get(clean)!.text).toContain('Inom uppföljningsprocessen ska kontoret stärka samarbetet');
		expect(byId.get(stale)!.baselineVersion).toBe(1);
		expect(byId.get(stale)!.text).toContain('godkänns');

		const mine = await call<{ amendments: DraftAmendment[] }>(
			sd,
			'GET',
			`/cases/${caseId}/amendments/drafts/${draftId}`
		);
		const check = new Map(mine.body.amendments.map((a: DraftAmendment) => [a.id, a]));
		expect(check.get(untouched)!.check).toMatchObject({
			status: 'valid',
			fromVersion: 1,
			toVersion: 2,
			applied: true
		});
		expect(check.get(clean)!.check).toMatchObject({ status: 'rebased', applied: true });
		const st = check.get(stale)!;
		expect(st.check).toMatchObject({ status: 'stale', applied: false, resolved: false });
		expect(st.oldBaseText).toContain('fastställs');
		expect(st.newBaseText).toContain('antas');
		expect(st.check!.result.text!.conflicts[0].baseline.inserted).toBe('antas');
		expect(st.check!.result.text!.conflicts[0].amendment.inserted).toBe('godkänns');

		const view = await call<Overview>(sd, 'GET', `/cases/${caseId}/amendments?party=S`);
		expect(view.body.baseline!.version).toBe(2);
		expect(view.body.counts.stale).toBe(1);
		const staleEntry = view.body.targets
			.flatMap((t: OverviewTarget) => t.amendments)
			.find((a: OverviewAmendment) => a.id === stale)!;
		// A stale amendment's diff is against the wording it was written for.
		expect(inline(staleEntry.diff!.paragraphs)).toContain('[-fastställs-]{+godkänns+}');

		// Checking again changes nothing.
		const again = await call<{ amendments: DraftAmendment[] }>(
			sd,
			'GET',
			`/cases/${caseId}/amendments/drafts/${draftId}`
		);
		expect(again.body.amendments.map((a: DraftAmendment) => a.check?.status)).toEqual(['valid', 'rebased', 'stale']);

		// The author rewrites it against the new wording and resolves it.
		await retype(draftId, stale, (t) => t.replace('godkänns', 'antas med ändringarna i detta yrkande'));
		const resolved = await call(sd, 'POST', `/cases/${caseId}/amendments/drafts/${draftId}/${stale}/resolve`);
		expect(resolved.status).toBe(200);
		expect(resolved.body.check).toMatchObject({ status: 'rebased', resolved: true });
		const after = projectDraft(await server.deps.sync.readDoc(`draft.${draftId}`));
		expect(after.amendments.find((a) => a.id === stale)!.baselineVersion).toBe(2);
		expect((await call<Overview>(sd, 'GET', `/cases/${caseId}/amendments?party=S`)).body.counts.stale).toBe(0);
		expect((await call(sd, 'POST', `/cases/${caseId}/amendments/drafts/${draftId}/${stale}/resolve`)).status).toBe(409);

		// The submitted SD and C drafts stay frozen; their check is recorded and the view applies it.
		const frozen = await call<Overview>('per.akesson', 'GET', `/cases/${caseId}/amendments`);
		const planning = frozen.body.targets.find((t: OverviewTarget) => t.field === PLANNING)!;
		for (const a of planning.amendments) {
			expect(a.baselineVersion).toBe(1);
			expect(a.check).toMatchObject({ status: 'rebased', applied: false, toVersion: 2 });
			expect(a.text).toContain('Inom uppföljningsprocessen ska kontoret');
		}
	});
});
