import { Hono, type Context } from 'hono';
import {
	checkAmendments,
	createAmendment,
	readableSources,
	resolveStale,
	type AmendmentDeps
} from '../../commands/amendments';
import { CaseBaseline } from '../../commands/amendments-baseline';
import {
	buildOverview,
	buildPreview,
	previewMarkdown,
	targetInfo,
	type TargetInfo
} from '../../commands/amendments-view';
import { partyInfos } from '../../commands/drafts';
import { loadReadableDraft } from '../../commands/drafts-access';
import { amendmentPoint } from '../../domain/amendment-points';
import { pointInput, targetText, type Located } from '../../domain/amendment-targets';
import type { AppEnv } from '../../context';
import { notFound } from '../../errors';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import type { Principal } from '../../policies';
import { loadReadableCase } from '../cases/loaders';
import {
	amendmentParam,
	caseParam,
	createAmendmentSchema,
	draftParam,
	overviewQuery,
	previewQuery,
	targetsQuery
} from './schema';

/**
 * Amendments of a case, mounted at /api/cases/:caseId/amendments: the overview per baseline item,
 * the baseline targets a draft's amendment editor needs, creating an amendment from a baseline
 * item, resolving a stale one, and the consolidated preview. What leaves the server about a draft
 * has passed `can()` for that draft (readableSources, loadReadableDraft).
 */

function amendmentDeps(c: Context<AppEnv>): AmendmentDeps {
	const { db, sync, live } = c.get('deps');
	return { db, sync, live };
}

/** The visible drafts, checked against the baseline in force, and the old versions their checks need. */
async function loadChecked(c: Context<AppEnv>, user: Principal, caseId: string, draftIds?: string[]) {
	const deps = amendmentDeps(c);
	const baseline = await CaseBaseline.load(deps.db, caseId);
	const sources = await readableSources(deps, user, caseId, draftIds ? { draftIds } : {});
	if (!baseline) return { baseline, sources, checks: new Map(), oldIndex: () => undefined };
	const checks = await checkAmendments(deps, baseline, caseId, sources);
	const older = new Set<number>();
	for (const s of sources)
		for (const a of s.amendments) if (a.baselineVersion < baseline.number) older.add(a.baselineVersion);
	const loaded = await baseline.preload(older);
	return { baseline, sources, checks, oldIndex: (n: number) => loaded.get(n) };
}

export const amendmentRoutes = new Hono<AppEnv>()
	.get('/', validate('param', caseParam), validate('query', overviewQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await loadReadableCase(db, user, caseId);
		const { baseline, sources, checks, oldIndex } = await loadChecked(c, user, caseId);
		const overview = buildOverview({
			tree: baseline ? await baseline.tree() : [],
			version: baseline
				? { number: baseline.number, publishedAt: baseline.current.publishedAt, issuer: baseline.issuer }
				: null,
			sources,
			checks,
			oldIndex,
			parties: await partyInfos(db),
			filter: c.req.valid('query')
		});
		return c.json(overview);
	})
	.get('/targets', validate('param', caseParam), validate('query', targetsQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await loadReadableCase(db, user, caseId);
		const baseline = await CaseBaseline.load(db, caseId);
		if (!baseline) return c.json({ version: null, targets: {} });
		const targets: Record<string, TargetInfo> = {};
		for (const ref of new Set(c.req.valid('query').ref)) {
			const [itemId, v, ...rest] = ref.split(':');
			const field = rest.length ? rest.join(':') : undefined;
			// Baseline text only, readable by everyone in the body; an unpublished version is not answered.
			const version = baseline.has(Number(v)) ? Number(v) : baseline.number;
			const located = (await baseline.index(version)).get(itemId);
			if (located) targets[ref] = targetInfo(located, version, field, baseline.issuer);
		}
		return c.json({ version: baseline.number, targets });
	})
	.post('/', validate('param', caseParam), validate('json', createAmendmentSchema), async (c) => {
		const user = requireUser(c);
		const { caseId } = c.req.valid('param');
		const created = await createAmendment(amendmentDeps(c), user, caseId, c.req.valid('json'));
		return c.json(created, 201);
	})
	.get('/drafts/:draftId', validate('param', draftParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, draftId } = c.req.valid('param');
		const d = await loadReadableDraft(db, user, draftId);
		if (d.draft.caseId !== caseId) throw notFound('Utkastet hittades inte.');
		const { baseline, sources, checks, oldIndex } = await loadChecked(c, user, caseId, [draftId]);
		const source = sources[0];
		const current = baseline ? await baseline.index() : new Map<string, Located>();
		return c.json({
			version: baseline?.number ?? null,
			amendments: (source?.amendments ?? []).map((a) => {
				const check = checks.get(`${draftId}:${a.id}`) ?? null;
				const old = oldIndex(a.baselineVersion)?.get(a.baselineItemId);
				const now = current.get(a.baselineItemId);
				return {
					id: a.id,
					baselineVersion: a.baselineVersion,
					check,
					// For a stale amendment both wordings of the item, for the author to resolve.
					...(check?.status === 'stale' && !check.resolved
						? {
								oldBaseText: old ? targetText(old.item, a.field) : null,
								newBaseText: now ? targetText(now.item, a.field) : null
							}
						: {}),
					point: now && baseline ? amendmentPoint(pointInput(now, a.field, a, baseline.issuer)) : null
				};
			})
		});
	})
	.post('/drafts/:draftId/:amendmentId/resolve', validate('param', amendmentParam), async (c) => {
		const user = requireUser(c);
		const { caseId, draftId, amendmentId } = c.req.valid('param');
		return c.json({ check: await resolveStale(amendmentDeps(c), user, caseId, draftId, amendmentId) });
	})
	.get('/preview', validate('param', caseParam), validate('query', previewQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		const q = c.req.valid('query');
		const { case: caseRow } = await loadReadableCase(db, user, caseId);
		const { baseline, sources, checks, oldIndex } = await loadChecked(c, user, caseId, q.drafts);
		// The chosen order decides which of two conflicting amendments applies: the first draft named wins.
		const order = q.drafts ?? [];
		const ordered = [...sources].sort((x, y) => order.indexOf(x.draft.id) - order.indexOf(y.draft.id));
		const view = buildPreview({
			tree: baseline ? await baseline.tree() : [],
			version: baseline ? { number: baseline.number } : null,
			sources: ordered,
			checks,
			oldIndex,
			...(q.amendments ? { amendmentIds: q.amendments } : {})
		});
		if (q.format === 'markdown') {
			const parties = new Map((await partyInfos(db)).map((p) => [p.id, p.name]));
			const body = previewMarkdown(view, caseRow.title, (id) => parties.get(id) ?? id);
			c.header('Content-Type', 'text/markdown; charset=utf-8');
			c.header('Content-Disposition', `attachment; filename="forhandsvisning-${caseRow.caseNumber || caseRow.id}.md"`);
			return c.body(body);
		}
		return c.json(view);
	});
