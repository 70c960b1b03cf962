import { and, asc, eq, inArray } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Db } from '../../db/client';
import { amendmentChecks, cases, draftParties, drafts, draftVersions } from '../../db/schema';
import {
	addAmendment,
	amendmentMap,
	replaceAmendmentText,
	replaceAmendmentValues,
	syncAmendmentPoints
} from '../domain/amendment-doc';
import { opsFor, opLabels, targetText, type Located } from '../domain/amendment-targets';
import type { AmendmentContent, AmendmentOp, DraftContent } from '../domain/draft-doc';
import { rebaseAmendment, type AmendmentRebase, type ItemVersions } from '../domain/rebase';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { newId } from '../ids';
import type { LiveHub } from '../live/hub';
import { can, type Principal } from '../policies';
import { draftDocName } from '../presenters/draft';
import { CaseBaseline } from './amendments-baseline';
import { draftThing, loadReadableDraft, type DraftRow } from './drafts-access';

/**
 * Amendments live in their drafts' Y.Docs (co-edited, private like the draft). This module reads
 * them for the case-wide views, creates them from a baseline item, and checks them against a new
 * baseline version. Every read goes through `can()` per draft: an amendment reaches a viewer only
 * with its draft.
 */

export interface AmendmentDocs {
	writeDoc(docName: string, change: (doc: Y.Doc) => void): Promise<void>;
	readProjections(docNames: string[]): Promise<Map<string, { content: unknown }>>;
}

export interface AmendmentDeps {
	db: Db;
	sync: AmendmentDocs;
	live?: Pick<LiveHub, 'publish'>;
}

type CheckRow = typeof amendmentChecks.$inferSelect;

/** A draft whose amendments a viewer may see, with the amendments as the viewer may see them. */
export interface AmendmentSource {
	draft: DraftRow;
	bodyId: string;
	/** owner first */
	partyIds: string[];
	/** submitted: read from the frozen version, never changed by a rebase */
	frozen: boolean;
	amendments: AmendmentContent[];
}

function amendmentsOf(content: unknown): AmendmentContent[] {
	const list = (content as Partial<DraftContent> | null | undefined)?.amendments;
	return Array.isArray(list) ? list : [];
}

/**
 * The case's drafts the user may read, withdrawn ones left out (they are gone from every
 * compilation), with their amendments: a submitted draft's from its frozen version, an open
 * draft's from the live document's projection.
 */
export async function readableSources(
	deps: AmendmentDeps,
	user: Principal | null,
	caseId: string,
	options: { draftIds?: string[] } = {}
): Promise<AmendmentSource[]> {
	const { db } = deps;
	const [c] = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
	if (!c) return [];
	const where = options.draftIds
		? and(eq(drafts.caseId, caseId), inArray(drafts.id, options.draftIds.length ? options.draftIds : ['']))
		: eq(drafts.caseId, caseId);
	const rows = await db.select().from(drafts).where(where).orderBy(asc(drafts.createdAt), asc(drafts.id));
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const partyRows = await db
		.select()
		.from(draftParties)
		.where(inArray(draftParties.draftId, ids))
		.orderBy(asc(draftParties.position));
	const visible = rows
		.filter((r) => r.status !== 'withdrawn')
		.map((draft) => ({
			draft,
			partyIds: partyRows.filter((p) => p.draftId === draft.id).map((p) => p.partyId)
		}))
		// A null user is the server itself (a rebase after publishing): it reads every draft, shows none.
		.filter(
			({ draft, partyIds }) =>
				user === null || can(user, 'read', { type: 'draft', bodyId: c.bodyId, partyIds, status: draft.status })
		);

	const frozenIds = visible.filter((v) => v.draft.status === 'submitted').map((v) => v.draft.id);
	const frozen = new Map<string, { version: number; content: DraftContent }>();
	if (frozenIds.length) {
		const versions = await db
			.select({ draftId: draftVersions.draftId, version: draftVersions.version, content: draftVersions.content })
			.from(draftVersions)
			.where(inArray(draftVersions.draftId, frozenIds));
		for (const v of versions) {
			const known = frozen.get(v.draftId);
			if (!known || v.version > known.version) frozen.set(v.draftId, v);
		}
	}
	const liveIds = visible.filter((v) => v.draft.status !== 'submitted').map((v) => draftDocName(v.draft.id));
	const projections = liveIds.length ? await deps.sync.readProjections(liveIds) : new Map();

	return visible.map(({ draft, partyIds }) => {
		const isFrozen = draft.status === 'submitted';
		const content = isFrozen ? frozen.get(draft.id)?.content : projections.get(draftDocName(draft.id))?.content;
		return { draft, bodyId: c.bodyId, partyIds, frozen: isFrozen, amendments: amendmentsOf(content) };
	});
}

// ---- checking against a new baseline version -------------------------------------------------------

function partText(located: Located | undefined, field: string | undefined): ItemVersions['now'] {
	if (!located) return null;
	if (field && !(field in (located.item.fields ?? {}))) return null;
	return { text: targetText(located.item, field), values: located.item.values ?? {} };
}

/** What the check found, as the views show it. */
export interface CheckView {
	status: AmendmentRebase['status'];
	fromVersion: number;
	toVersion: number;
	applied: boolean;
	resolved: boolean;
	result: AmendmentRebase;
}

export function checkView(row: CheckRow): CheckView {
	return {
		status: row.status,
		fromVersion: row.fromVersion,
		toVersion: row.toVersion,
		applied: row.applied,
		resolved: row.resolvedAt !== null,
		result: row.result
	};
}

export const checkKey = (draftId: string, amendmentId: string) => `${draftId}:${amendmentId}`;

/**
 * Checks every amendment of the sources written against an older baseline version than the one in
 * force: untouched item → valid, clean three-way merge → rebased (written into an open draft's
 * document), conflict → stale with both texts kept. Amendments checked against this version before
 * are not merged again. Updates the sources in memory to what the documents now hold, and returns
 * the checks of the sources' amendments.
 */
export async function checkAmendments(
	deps: AmendmentDeps,
	baseline: CaseBaseline,
	caseId: string,
	sources: AmendmentSource[]
): Promise<Map<string, CheckView>> {
	const { db } = deps;
	const n = baseline.number;
	const rows = await db.select().from(amendmentChecks).where(eq(amendmentChecks.caseId, caseId));
	const known = new Map(rows.map((r) => [checkKey(r.draftId, r.amendmentId), r]));

	for (const source of sources) {
		const due = source.amendments.filter((a) => {
			if (a.baselineVersion >= n) return false;
			const row = known.get(checkKey(source.draft.id, a.id));
			return !(row && row.toVersion === n && row.fromVersion === a.baselineVersion);
		});
		if (due.length === 0) continue;
		const loaded = await baseline.preload([...source.amendments.map((a) => a.baselineVersion)]);
		const now = loaded.get(n)!;
		const results = due.map((a) => {
			// An amendment naming a version that was never published has no old wording to merge from.
			const before = baseline.has(a.baselineVersion) ? loaded.get(a.baselineVersion)! : now;
			const old = partText(before.get(a.baselineItemId), a.field);
			const current = partText(now.get(a.baselineItemId), a.field);
			const item: ItemVersions = { before: old ?? current ?? { text: '' }, now: current };
			return { a, result: rebaseAmendment({ op: a.op, text: a.text, values: a.values }, item) };
		});

		const applied = new Set<string>();
		if (!source.frozen) {
			const pointFor = baseline.pointWriter(loaded);
			await deps.sync.writeDoc(draftDocName(source.draft.id), (doc) => {
				for (const { a, result } of results) {
					if (result.status === 'stale') continue;
					const m = amendmentMap(doc, a.id);
					// Someone may have resolved or rewritten it meanwhile: only carry over what was checked.
					if (!m || Number(m.get('baselineVersion') ?? 0) !== a.baselineVersion) continue;
					if (result.status === 'rebased' && result.text !== undefined) replaceAmendmentText(m, result.text);
					if (result.status === 'rebased' && result.values !== undefined) {
						const base = now.get(a.baselineItemId)?.item.values ?? {};
						replaceAmendmentValues(m, { ...base, ...result.values });
					}
					m.set('baselineVersion', n);
					applied.add(a.id);
				}
				syncAmendmentPoints(doc, pointFor);
			});
		}

		const checkedAt = new Date();
		for (const { a, result } of results) {
			const values = {
				draftId: source.draft.id,
				amendmentId: a.id,
				caseId,
				fromVersion: a.baselineVersion,
				toVersion: n,
				status: result.status,
				result,
				applied: applied.has(a.id),
				checkedAt,
				resolvedAt: null,
				resolvedBy: null
			};
			const [row] = await db
				.insert(amendmentChecks)
				.values(values)
				.onConflictDoUpdate({ target: [amendmentChecks.draftId, amendmentChecks.amendmentId], set: values })
				.returning();
			known.set(checkKey(row.draftId, row.amendmentId), row);
			if (applied.has(a.id)) {
				if (result.status === 'rebased' && result.text !== undefined) a.text = result.text;
				if (result.status === 'rebased' && result.values !== undefined) {
					a.values = { ...(now.get(a.baselineItemId)?.item.values ?? {}), ...result.values };
				}
				a.baselineVersion = n;
			}
		}
		if (deps.live) {
			deps.live.publish({
				caseId,
				bodyId: source.bodyId,
				audience: source.frozen ? { kind: 'body' } : { kind: 'parties', partyIds: source.partyIds },
				topic: 'amendments',
				ids: [source.draft.id]
			});
		}
	}
	// Only the checks of the drafts asked about: the rows of the case include drafts this caller may not read.
	const asked = new Set(sources.map((src) => src.draft.id));
	return new Map([...known].filter(([, r]) => asked.has(r.draftId)).map(([k, r]) => [k, checkView(r)]));
}

/**
 * After a new baseline version is published: checks the amendments of every draft of the case,
 * whoever's they are. Nothing is shown to anyone here; each party sees its own results through the
 * views, which ask `can()` as always.
 */
export async function checkCase(deps: AmendmentDeps, caseId: string): Promise<number> {
	const baseline = await CaseBaseline.load(deps.db, caseId);
	if (!baseline) return 0;
	const sources = await readableSources(deps, null, caseId);
	const before = sources.flatMap((s) => s.amendments.filter((a) => a.baselineVersion < baseline.number)).length;
	await checkAmendments(deps, baseline, caseId, sources);
	return before;
}

// ---- writing ---------------------------------------------------------------------------------------

export interface CreateAmendmentInput {
	draftId: string;
	baselineItemId: string;
	field?: string;
	op: AmendmentOp;
}

async function editableDraft(db: Db, user: Principal, caseId: string, draftId: string) {
	const d = await loadReadableDraft(db, user, draftId);
	if (d.draft.caseId !== caseId) throw notFound('Utkastet hittades inte.');
	if (!can(user, 'edit', draftThing(d))) {
		throw forbidden(
			d.draft.status === 'draft' || d.draft.status === 'shared'
				? 'Endast partiets sekreterare kan ändra i utkastet.'
				: 'Utkastet är inlämnat och kan inte ändras.'
		);
	}
	return d;
}

/**
 * Starts an amendment of a baseline item (or one named part of it) inside one of the party's
 * drafts: a text change starts from the baseline text, new amounts from the baseline amounts. The
 * amendment records the item's id and the baseline version in force, and its decision point is
 * added to the draft's "Förslag till beslut" in the same change.
 */
export async function createAmendment(
	deps: AmendmentDeps,
	user: Principal,
	caseId: string,
	input: CreateAmendmentInput
): Promise<{ id: string; draftId: string; baselineVersion: number }> {
	const d = await editableDraft(deps.db, user, caseId, input.draftId);
	const baseline = await CaseBaseline.load(deps.db, caseId);
	if (!baseline) throw conflict('Ärendet har inget publicerat underlag att föreslå ändringar i.', 'no_baseline');
	const index = await baseline.index();
	const located = index.get(input.baselineItemId);
	if (!located) throw notFound('Punkten finns inte i det publicerade underlaget.');
	const ops = opsFor(located, input.field);
	if (input.field && !(input.field in (located.item.fields ?? {}))) {
		throw unprocessable(`Punkten har ingen del som heter ”${input.field}”.`, 'unknown_field');
	}
	if (!ops.includes(input.op)) {
		const allowed = ops.map((o) => opLabels[o].toLowerCase()).join(', ');
		throw unprocessable(
			ops.length
				? `Den här delen av underlaget kan inte ändras så. Möjligt: ${allowed}.`
				: 'Den här delen av underlaget kan inte ändras i ett yrkande (en summarad räknas fram ur raderna den summerar).',
			'op_not_allowed'
		);
	}

	const id = newId();
	const projection = (await deps.sync.readProjections([draftDocName(d.draft.id)])).get(draftDocName(d.draft.id));
	const loaded = await baseline.preload(amendmentsOf(projection?.content).map((a) => a.baselineVersion));
	const pointFor = baseline.pointWriter(loaded);
	await deps.sync.writeDoc(draftDocName(d.draft.id), (doc) => {
		addAmendment(doc, {
			id,
			baselineItemId: located.item.id,
			baselineVersion: baseline.number,
			op: input.op,
			...(input.field ? { field: input.field } : {}),
			text: input.op === 'change' ? targetText(located.item, input.field) : '',
			...(input.op === 'amounts' ? { values: { ...(located.item.values ?? {}) } } : {})
		});
		syncAmendmentPoints(doc, pointFor);
	});
	deps.live?.publish({
		caseId,
		bodyId: d.bodyId,
		audience: { kind: 'parties', partyIds: d.parties.map((p) => p.partyId) },
		topic: 'amendments',
		ids: [d.draft.id]
	});
	return { id, draftId: d.draft.id, baselineVersion: baseline.number };
}

/**
 * The author has gone through a stale amendment (edited it against the new wording, or kept it as
 * it is) and accepts it against the version in force: it is marked rebased, resolved by the user.
 */
export async function resolveStale(
	deps: AmendmentDeps,
	user: Principal,
	caseId: string,
	draftId: string,
	amendmentId: string
): Promise<CheckView> {
	const d = await editableDraft(deps.db, user, caseId, draftId);
	const baseline = await CaseBaseline.load(deps.db, caseId);
	if (!baseline) throw conflict('Ärendet har inget publicerat underlag.', 'no_baseline');
	const [row] = await deps.db
		.select()
		.from(amendmentChecks)
		.where(and(eq(amendmentChecks.draftId, draftId), eq(amendmentChecks.amendmentId, amendmentId)))
		.limit(1);
	if (!row || row.status !== 'stale') throw conflict('Ändringen behöver inte lösas.', 'not_stale');

	const projection = (await deps.sync.readProjections([draftDocName(draftId)])).get(draftDocName(draftId));
	const loaded = await baseline.preload([
		row.fromVersion,
		...amendmentsOf(projection?.content).map((a) => a.baselineVersion)
	]);
	const pointFor = baseline.pointWriter(loaded);
	let found = false;
	await deps.sync.writeDoc(draftDocName(draftId), (doc) => {
		const m = amendmentMap(doc, amendmentId);
		if (!m) return;
		found = true;
		m.set('baselineVersion', baseline.number);
		syncAmendmentPoints(doc, pointFor);
	});
	if (!found) throw notFound('Ändringen finns inte längre i utkastet.');
	const values = {
		status: 'rebased' as const,
		toVersion: baseline.number,
		result: { status: 'rebased', stillChanges: true } satisfies AmendmentRebase,
		applied: true,
		resolvedAt: new Date(),
		resolvedBy: user.id
	};
	const [updated] = await deps.db
		.update(amendmentChecks)
		.set(values)
		.where(and(eq(amendmentChecks.draftId, draftId), eq(amendmentChecks.amendmentId, amendmentId)))
		.returning();
	deps.live?.publish({
		caseId,
		bodyId: d.bodyId,
		audience: { kind: 'parties', partyIds: d.parties.map((p) => p.partyId) },
		topic: 'amendments',
		ids: [draftId]
	});
	return checkView(updated);
}
