import type { DraftKind } from '../../db/schema';
import type { PointInput } from '../domain/amendment-points';
import {
	amendableKinds,
	amendableParts,
	indexTree,
	isBudgetRow,
	opLabels,
	opsFor,
	pointInput,
	tableOf,
	targetKey,
	targetText,
	targetTitle,
	type Located
} from '../domain/amendment-targets';
import { baselineItemKindLabels, walkItems, type BaselineItem, type BaselineItemKind } from '../domain/baseline';
import {
	applyBudgetAmendments,
	BudgetError,
	budgetTableFromItem,
	type BudgetRow,
	type BudgetTable,
	type CellChange
} from '../domain/budget';
import { combineAmendments, findCollisions, type TextAmendment } from '../domain/collisions';
import { diffText, type DiffSegment, type ParagraphKind, type TextDiff } from '../domain/diff';
import { amendmentOps, type AmendmentContent, type AmendmentOp } from '../domain/draft-doc';
import { consolidatedPreview, type BaseItem, type PreviewAmendment, type PreviewStatus } from '../domain/preview';
import type { DraftStatus } from '../policies';
import { draftKindInfo, draftStatusLabels } from '../presenters/draft';
import type { AmendmentSource, CheckView } from './amendments';
import { checkKey } from './amendments';

/**
 * The case-wide views of amendments, built from what the viewer may read: the overview per
 * baseline item (diffs, filters, counts, collisions) and the consolidated preview. Pure: the route
 * loads the sources and the baseline, these functions decide what leaves the server.
 */

export interface PartyView {
	id: string;
	name: string;
	color: string;
}

/** A diff as it is sent: paragraphs with their segments, the texts themselves left out. */
export interface DiffView {
	changed: boolean;
	paragraphs: { kind: ParagraphKind; segments: DiffSegment[] }[];
	insertedWords: number;
	deletedWords: number;
	changeRatio: number;
}

export function diffView(d: TextDiff): DiffView {
	return {
		changed: d.changed,
		paragraphs: d.paragraphs.map((p) => ({ kind: p.kind, segments: p.segments })),
		insertedWords: d.insertedWords,
		deletedWords: d.deletedWords,
		changeRatio: Math.round(d.changeRatio * 1000) / 1000
	};
}

/**
 * Diffs already worked out, by base and text: the overview is loaded again and again while the
 * amendments change little, and a diff is a pure function of its two texts. Bounded; the oldest
 * entry goes first.
 */
const diffMemo = new Map<string, DiffView>();
const DIFF_MEMO_SIZE = 2000;

function memoDiff(base: string, text: string, compact: boolean): DiffView {
	const key = `${compact ? 'c' : 'f'}\u0000${base}\u0000${text}`;
	const known = diffMemo.get(key);
	if (known) {
		diffMemo.delete(key);
		diffMemo.set(key, known);
		return known;
	}
	const d = diffText(base, text);
	const view = compact ? compactDiffView(d) : diffView(d);
	diffMemo.set(key, view);
	if (diffMemo.size > DIFF_MEMO_SIZE) diffMemo.delete(diffMemo.keys().next().value!);
	return view;
}

/** Forgets the remembered diffs (benchmarks measure the first load too). */
export function clearDiffMemo(): void {
	diffMemo.clear();
}

/** The mark for text left out of a compact diff, as Swedish quotations mark an omission. */
export const OMITTED = '[…]';

/** Cuts `text` to about `chars` characters at a word boundary, from its start or from its end. */
function clip(text: string, chars: number, from: 'start' | 'end'): string {
	if (from === 'start') {
		const cut = text.slice(0, chars);
		const at = cut.lastIndexOf(' ');
		return at > chars / 2 ? cut.slice(0, at + 1) : cut;
	}
	const cut = text.slice(text.length - chars);
	const at = cut.indexOf(' ');
	return at >= 0 && at < chars / 2 ? cut.slice(at) : cut;
}

/**
 * A diff for the overview: each change with some words of context, unchanged paragraphs and long
 * unchanged stretches left out and marked […]. An overview of 200 amendments of long texts would
 * otherwise repeat every text in full; the whole text is one click away in the draft.
 */
export function compactDiffView(d: TextDiff, context = 90): DiffView {
	const full = diffView(d);
	const paragraphs = full.paragraphs.map((p) => {
		if (p.kind === 'equal') return { kind: p.kind, segments: [{ type: 'equal' as const, text: OMITTED }] };
		const segments = p.segments.map((seg, i) => {
			if (seg.type !== 'equal') return seg;
			const text = seg.oldText ?? seg.text;
			if (seg.text.length <= context * 2 + OMITTED.length + 2 && text.length <= context * 2 + OMITTED.length + 2) {
				return seg;
			}
			const first = i === 0;
			const last = i === p.segments.length - 1;
			const cut = (t: string) =>
				first
					? `${OMITTED} ${clip(t, context, 'end').trimStart()}`
					: last
						? `${clip(t, context, 'start').trimEnd()} ${OMITTED}`
						: `${clip(t, context, 'start')}${OMITTED}${clip(t, context, 'end')}`;
			return { type: 'equal' as const, text: cut(seg.text) };
		});
		return { kind: p.kind, segments };
	});
	// Runs of left-out paragraphs read as one omission.
	const merged = paragraphs.filter((p, i) => !(p.kind === 'equal' && i > 0 && paragraphs[i - 1].kind === 'equal'));
	return { ...full, paragraphs: merged };
}

export interface AmountsView {
	columns: string[];
	/** the amended row's cells and the sums that follow, before → after */
	changes: CellChange[];
	/** per column: the net change against the baseline */
	net: Record<string, number>;
	error?: string;
}

export interface OverviewAmendment {
	id: string;
	draft: { id: string; title: string; kind: DraftKind; kindLabel: string; status: DraftStatus; statusLabel: string };
	partyIds: string[];
	op: AmendmentOp;
	opLabel: string;
	/** the proposed text as it applies to the baseline in force (after a rebase, the merged text) */
	text: string;
	/** the proposed amounts, likewise */
	values: Record<string, number | null>;
	baselineVersion: number;
	check: CheckView | null;
	/** against the baseline in force; for a stale amendment, against the wording it was written for */
	diff: DiffView | null;
	amounts: AmountsView | null;
}

export interface CollisionView {
	a: string;
	b: string;
	spans: { text: string; start: number; end: number }[];
}

export interface OverviewTarget {
	key: string;
	itemId: string;
	field?: string;
	kind: BaselineItemKind;
	kindLabel: string;
	label?: string;
	title: string;
	/** the text amendments are measured against, in the version in force */
	baseText: string;
	values?: Record<string, number>;
	columns?: string[];
	ops: AmendmentOp[];
	/**
	 * What amendmentPoint needs besides the amendment, so the page can write an amendment's decision
	 * point when asked: computing 200 of them here would double the server's work for a detail.
	 * Its text is `baseText`; a long title is cut to the words a point quotes.
	 */
	reference: Omit<PointInput['item'], 'text'>;
	amendments: OverviewAmendment[];
	collisions: CollisionView[];
	/** when two or more drafts change separate words of the item: their changes in one text */
	combined: { text: string; diff: DiffView; applied: string[]; left: string[] } | null;
}

export interface OverviewFilter {
	party?: string;
	kind?: BaselineItemKind;
	op?: AmendmentOp;
}

export interface Overview {
	baseline: { version: number; publishedAt: string | null } | null;
	targets: OverviewTarget[];
	counts: {
		/** amendments the viewer may see */
		total: number;
		/** after the filters */
		shown: number;
		byParty: Record<string, number>;
		byKind: Record<string, number>;
		byOp: Record<string, number>;
		collisions: number;
		stale: number;
		drafts: number;
	};
	filters: {
		parties: PartyView[];
		kinds: { id: BaselineItemKind; label: string }[];
		ops: { id: AmendmentOp; label: string }[];
	};
	applied: OverviewFilter;
}

interface Entry {
	source: AmendmentSource;
	amendment: AmendmentContent;
	check: CheckView | null;
	/** what the amendment proposes against the version in force */
	text: string;
	values: Record<string, number | null>;
	/** the wording it was written for, when it is stale */
	staleBase: string | null;
}

/** The amendment as it applies to the version in force, after its check. */
function effective(
	a: AmendmentContent,
	check: CheckView | null,
	current: number,
	oldIndex: ((n: number) => Map<string, Located> | undefined) | null
): Pick<Entry, 'text' | 'values' | 'staleBase'> {
	if (
		a.baselineVersion >= current ||
		!check ||
		check.toVersion !== current ||
		check.fromVersion !== a.baselineVersion
	) {
		return { text: a.text, values: a.values, staleBase: null };
	}
	const r = check.result;
	if (r.status === 'rebased') {
		return { text: r.text ?? a.text, values: r.values ? { ...a.values, ...r.values } : a.values, staleBase: null };
	}
	if (r.status === 'stale') {
		const old = oldIndex?.(a.baselineVersion)?.get(a.baselineItemId);
		return {
			text: a.text,
			values: a.values,
			staleBase: old ? targetText(old.item, a.field) : (r.text?.oldBaseText ?? '')
		};
	}
	return { text: a.text, values: a.values, staleBase: null };
}

function amountsView(located: Located, values: Record<string, number | null>): AmountsView | null {
	const table = tableOf(located);
	if (!table) return null;
	const changed = Object.fromEntries(
		Object.entries(values).filter(([c, v]) => (located.item.values?.[c] ?? null) !== v)
	);
	try {
		const out = applyBudgetAmendments(table.budget, [{ rowId: located.item.id, values: changed }]);
		return { columns: table.budget.columns, changes: out.changes, net: out.net };
	} catch (err) {
		if (err instanceof BudgetError) return { columns: table.budget.columns, changes: [], net: {}, error: err.message };
		throw err;
	}
}

export interface OverviewInput {
	tree: BaselineItem[];
	version: { number: number; publishedAt: Date | null; issuer?: string } | null;
	sources: AmendmentSource[];
	checks: Map<string, CheckView>;
	/** items of earlier versions, for stale amendments; may answer undefined */
	oldIndex?: (n: number) => Map<string, Located> | undefined;
	parties: PartyView[];
	filter: OverviewFilter;
}

/**
 * For each baseline item with amendments the viewer may see: every such amendment from every party
 * with its diff, the collisions between drafts, and the counts. Filters narrow what is listed; the
 * counts of all visible amendments stay, so the filter bar can say how many each choice has.
 */
export function buildOverview(input: OverviewInput): Overview {
	const { tree, version, sources, checks, parties, filter } = input;
	const index = indexTree(tree);
	const partyOrder = new Map(parties.map((p, i) => [p.id, i]));
	const current = version?.number ?? 0;

	const byTarget = new Map<string, { located: Located; field?: string; entries: Entry[] }>();
	for (const source of sources) {
		for (const amendment of source.amendments) {
			const located = index.get(amendment.baselineItemId);
			// An amendment of an item the version in force no longer has shows under no item; its check says why.
			if (!located) continue;
			const check = checks.get(checkKey(source.draft.id, amendment.id)) ?? null;
			const key = targetKey(located.item.id, amendment.field);
			let group = byTarget.get(key);
			if (!group) byTarget.set(key, (group = { located, field: amendment.field, entries: [] }));
			group.entries.push({
				source,
				amendment,
				check,
				...effective(amendment, check, current, input.oldIndex ?? null)
			});
		}
	}

	const counts: Overview['counts'] = {
		total: 0,
		shown: 0,
		byParty: {},
		byKind: {},
		byOp: {},
		collisions: 0,
		stale: 0,
		drafts: sources.filter((s) => s.amendments.length > 0).length
	};
	const bump = (rec: Record<string, number>, k: string) => (rec[k] = (rec[k] ?? 0) + 1);

	const targets: OverviewTarget[] = [];
	const groups = [...byTarget.entries()].sort(([, x], [, y]) => x.located.position - y.located.position);
	for (const [key, { located, field, entries }] of groups) {
		const { item } = located;
		const baseText = targetText(item, field);
		entries.sort(
			(x, y) =>
				(partyOrder.get(x.source.partyIds[0]) ?? 99) - (partyOrder.get(y.source.partyIds[0]) ?? 99) ||
				x.source.draft.createdAt.getTime() - y.source.draft.createdAt.getTime()
		);
		for (const e of entries) {
			counts.total++;
			for (const p of e.source.partyIds) bump(counts.byParty, p);
			bump(counts.byKind, item.kind);
			bump(counts.byOp, e.amendment.op);
			if (e.check?.status === 'stale' && !e.check.resolved) counts.stale++;
		}

		// Collisions: text changes and strikes of the same words by different drafts.
		const textual: TextAmendment[] = entries
			.filter((e) => e.amendment.op === 'change' || e.amendment.op === 'strike')
			.map((e) => ({
				id: e.amendment.id,
				draftId: e.source.draft.id,
				party: e.source.partyIds[0],
				baseText: e.staleBase ?? baseText,
				text: e.amendment.op === 'strike' ? '' : e.text
			}));
		const collisions: CollisionView[] = findCollisions(textual).collisions.map((c) => ({
			a: c.a,
			b: c.b,
			spans: c.spans.map((s) => ({ text: s.text, start: s.start, end: s.end }))
		}));
		// Amounts: two drafts setting one cell to different values.
		const amounts = entries.filter((e) => e.amendment.op === 'amounts');
		for (let i = 0; i < amounts.length; i++) {
			for (let j = i + 1; j < amounts.length; j++) {
				const x = amounts[i];
				const y = amounts[j];
				if (x.source.draft.id === y.source.draft.id) continue;
				const cells = Object.keys(x.values).filter(
					(c) =>
						c in y.values &&
						x.values[c] !== y.values[c] &&
						x.values[c] !== (item.values?.[c] ?? null) &&
						y.values[c] !== (item.values?.[c] ?? null)
				);
				if (cells.length) {
					collisions.push({
						a: x.amendment.id,
						b: y.amendment.id,
						spans: cells.map((c) => ({ text: c, start: 0, end: 0 }))
					});
				}
			}
		}
		counts.collisions += collisions.length;

		const drafts = new Set(textual.map((t) => t.draftId));
		const fresh = entries.filter((e) => e.amendment.op === 'change' && e.staleBase === null);
		const combined =
			drafts.size >= 2 && fresh.length >= 2
				? (() => {
						const r = combineAmendments(
							baseText,
							fresh.map((e) => ({ id: e.amendment.id, text: e.text }))
						);
						return {
							text: r.text,
							diff: memoDiff(baseText, r.text, true),
							applied: r.applied,
							left: r.rejected.map((x) => x.id)
						};
					})()
				: null;

		const shown = entries.filter(
			(e) =>
				(!filter.party || e.source.partyIds.includes(filter.party)) &&
				(!filter.kind || item.kind === filter.kind) &&
				(!filter.op || e.amendment.op === filter.op)
		);
		if (shown.length === 0) continue;
		counts.shown += shown.length;
		const shownIds = new Set(shown.map((e) => e.amendment.id));

		targets.push({
			key,
			itemId: item.id,
			...(field ? { field } : {}),
			kind: item.kind,
			kindLabel: baselineItemKindLabels[item.kind],
			...(item.label ? { label: item.label } : {}),
			title: targetTitle(item, field),
			baseText,
			...(isBudgetRow(item) ? { values: item.values, columns: tableOf(located)?.budget.columns } : {}),
			ops: opsFor(located, field),
			reference: briefReference(located, field, version?.issuer),
			amendments: shown.map((e) => presentEntry(e, located, baseText)),
			collisions: collisions.filter((c) => shownIds.has(c.a) || shownIds.has(c.b)),
			combined
		});
	}

	const presentKinds = new Set(targets.map((t) => t.kind));
	return {
		baseline: version
			? { version: version.number, publishedAt: version.publishedAt ? version.publishedAt.toISOString() : null }
			: null,
		targets,
		counts,
		filters: {
			parties: parties.filter((p) => counts.byParty[p.id]),
			kinds: amendableKinds
				.filter((k) => counts.byKind[k] || presentKinds.has(k))
				.map((id) => ({ id, label: baselineItemKindLabels[id] })),
			ops: amendmentOps.filter((o) => counts.byOp[o]).map((id) => ({ id, label: opLabels[id] }))
		},
		applied: filter
	};
}

/** amendmentPoint quotes at most 15 words of a title and marks the rest "…"; 16 words give the same point. */
function briefReference(located: Located, field: string | undefined, issuer?: string): OverviewTarget['reference'] {
	const {
		text: _text,
		title,
		...rest
	} = pointInput(located, field, { op: 'change', text: '', values: {} }, issuer).item;
	if (title === undefined) return rest;
	const words = title.trim().split(/\s+/);
	return { ...rest, title: words.length > 16 ? words.slice(0, 16).join(' ') : title };
}

function presentEntry(e: Entry, located: Located, baseText: string): OverviewAmendment {
	const { amendment: a, source } = e;
	let diff: DiffView | null = null;
	let amounts: AmountsView | null = null;
	switch (a.op) {
		case 'change':
			diff = memoDiff(e.staleBase ?? baseText, e.text, true);
			break;
		case 'strike':
			diff = memoDiff(e.staleBase ?? baseText, '', true);
			break;
		case 'insert_after':
			diff = memoDiff('', e.text, false);
			break;
		case 'amounts':
			amounts = amountsView(located, e.values);
			break;
	}
	return {
		id: a.id,
		draft: {
			id: source.draft.id,
			title: source.draft.title,
			kind: source.draft.kind,
			kindLabel: draftKindInfo[source.draft.kind].label,
			status: source.draft.status,
			statusLabel: draftStatusLabels[source.draft.status]
		},
		partyIds: source.partyIds,
		op: a.op,
		opLabel: opLabels[a.op],
		text: e.text,
		values: e.values,
		baselineVersion: a.baselineVersion,
		check: e.check,
		diff,
		amounts
	};
}

// ---- targets of a draft's amendment editor ---------------------------------------------------------

export interface TargetInfo {
	itemId: string;
	version: number;
	field?: string;
	kind: Located['item']['kind'];
	kindLabel: string;
	label?: string;
	title: string;
	/** the text the amendment is measured against */
	baseText: string;
	ops: ReturnType<typeof opsFor>;
	/** what amendmentPoint needs besides the amendment: the same input the server writes points from */
	reference: ReturnType<typeof pointInput>['item'];
	/** for a budget row: its table, rows keyed by item id */
	table?: { title: string; unit?: string; columns: string[]; rows: BudgetRow[] };
}

export function targetInfo(located: Located, version: number, field: string | undefined, issuer?: string): TargetInfo {
	const { item } = located;
	const table = item.kind === 'table_row' ? tableOf(located) : null;
	const unit = table?.table.fields?.['Enhet'];
	return {
		itemId: item.id,
		version,
		...(field ? { field } : {}),
		kind: item.kind,
		kindLabel: baselineItemKindLabels[item.kind],
		...(item.label ? { label: item.label } : {}),
		title: targetTitle(item, field),
		baseText: targetText(item, field),
		ops: opsFor(located, field),
		reference: pointInput(located, field, { op: 'change', text: '', values: {} }, issuer).item,
		...(table
			? {
					table: {
						title: table.table.title ?? '',
						...(typeof unit === 'string' ? { unit } : {}),
						columns: table.budget.columns,
						rows: table.budget.rows
					}
				}
			: {})
	};
}

// ---- consolidated preview ------------------------------------------------------------------------

export interface PreviewEntry {
	/** target key for amendable texts, the item id for headings */
	key: string;
	itemId: string;
	field?: string;
	kind: BaselineItemKind;
	/** the item's number in the document, e.g. a decision point's "3" */
	label?: string;
	depth: number;
	/** a heading line: a section, a goal, a table; absent for running text */
	heading?: string;
	status: PreviewStatus | 'heading';
	text: string;
	diff: DiffView | null;
	values?: Record<string, number | null>;
	valueChanges: Omit<CellChange, 'rowId' | 'label'>[];
	amendmentIds: string[];
	/** for an inserted item: the key it follows */
	after?: string;
}

export interface PreviewView {
	baseline: { version: number } | null;
	drafts: { id: string; title: string; kindLabel: string; partyIds: string[]; amendments: number }[];
	entries: PreviewEntry[];
	conflicts: { key: string; reason: string; amendmentIds: string[]; conflictsWith: string[]; message: string }[];
	/** how many amendments the preview applies */
	applied: number;
}

export interface PreviewInput {
	tree: BaselineItem[];
	version: { number: number } | null;
	sources: AmendmentSource[];
	checks: Map<string, CheckView>;
	oldIndex?: (n: number) => Map<string, Located> | undefined;
	/** only these amendments of the sources; all when absent */
	amendmentIds?: string[];
}

function headingOf(item: BaselineItem): string | undefined {
	switch (item.kind) {
		case 'section':
		case 'table':
		case 'goal':
		case 'risk':
		case 'control':
			return [item.label, item.title].filter(Boolean).join(' ') || undefined;
		case 'table_row':
			return isBudgetRow(item) ? undefined : item.title;
		default:
			return undefined;
	}
}

/**
 * The baseline in force with the chosen amendments applied ("if the SD yrkande passes"), in document
 * order: every heading and every amendable text, changed ones with their diff. Where two chosen
 * amendments cannot both apply, the earlier draft's wins and the conflict is listed.
 */
export function buildPreview(input: PreviewInput): PreviewView {
	const { tree, version, sources, checks } = input;
	const index = indexTree(tree);
	const chosen = input.amendmentIds ? new Set(input.amendmentIds) : null;
	const current = version?.number ?? 0;

	const items: BaseItem[] = [];
	const tables: BudgetTable[] = [];
	const layout: { key: string; located: Located; field?: string; depth: number }[] = [];
	for (const { item, depth } of walkItems(tree)) {
		if (item.kind === 'party_document') continue;
		const located = index.get(item.id)!;
		if (item.kind === 'table') tables.push(budgetTableFromItem(item));
		layout.push({ key: item.id, located, depth });
		if (amendableKinds.includes(item.kind)) {
			items.push({ id: item.id, text: targetText(item), ...(item.values ? { values: item.values } : {}) });
			for (const field of amendableParts(item)) {
				const key = targetKey(item.id, field);
				items.push({ id: key, text: targetText(item, field) });
				layout.push({ key, located, field, depth: depth + 1 });
			}
		}
	}

	const amendments: PreviewAmendment[] = [];
	const usedDrafts: PreviewView['drafts'] = [];
	for (const source of sources) {
		let n = 0;
		for (const a of source.amendments) {
			if (chosen && !chosen.has(a.id)) continue;
			const located = index.get(a.baselineItemId);
			const check = checks.get(checkKey(source.draft.id, a.id)) ?? null;
			const e = effective(a, check, current, input.oldIndex ?? null);
			const old = a.baselineVersion < current ? input.oldIndex?.(a.baselineVersion)?.get(a.baselineItemId) : undefined;
			n++;
			amendments.push({
				id: a.id,
				baselineItemId: located ? targetKey(located.item.id, a.field) : targetKey(a.baselineItemId, a.field),
				op: a.op,
				text: e.text,
				values: e.values,
				// A stale amendment is merged again by the preview and reported as a conflict there.
				...(e.staleBase !== null ? { baseText: e.staleBase } : {}),
				...(e.staleBase !== null && old?.item.values ? { baseValues: old.item.values } : {})
			});
		}
		if (n > 0) {
			usedDrafts.push({
				id: source.draft.id,
				title: source.draft.title,
				kindLabel: draftKindInfo[source.draft.kind].label,
				partyIds: source.partyIds,
				amendments: n
			});
		}
	}

	const preview = consolidatedPreview(items, amendments, { tables });
	const byKey = new Map(preview.items.filter((p) => p.status !== 'inserted').map((p) => [p.id, p]));
	const inserted = new Map<string, typeof preview.items>();
	for (const p of preview.items) {
		if (p.status === 'inserted' && p.after) inserted.set(p.after, [...(inserted.get(p.after) ?? []), p]);
	}

	const entries: PreviewEntry[] = [];
	for (const { key, located, field, depth } of layout) {
		const { item } = located;
		const p = byKey.get(key);
		const heading = field ? field : headingOf(item);
		if (!p) {
			entries.push({
				key,
				itemId: item.id,
				kind: item.kind,
				depth,
				...(heading ? { heading } : {}),
				status: 'heading',
				text: '',
				diff: null,
				valueChanges: [],
				amendmentIds: []
			});
			continue;
		}
		entries.push({
			key,
			itemId: item.id,
			...(field ? { field } : {}),
			kind: item.kind,
			...(item.label && !field ? { label: item.label } : {}),
			depth,
			...(heading ? { heading } : {}),
			status: p.status,
			text: p.text,
			diff: p.status === 'unchanged' ? null : diffView(p.diff),
			...(p.values ? { values: p.values } : {}),
			valueChanges: p.valueChanges,
			amendmentIds: p.amendmentIds
		});
		for (const ins of inserted.get(key) ?? []) {
			entries.push({
				key: ins.id,
				itemId: item.id,
				kind: item.kind,
				depth,
				status: 'inserted',
				text: ins.text,
				diff: diffView(ins.diff),
				valueChanges: [],
				amendmentIds: ins.amendmentIds,
				after: key
			});
		}
	}

	return {
		baseline: version ? { version: version.number } : null,
		drafts: usedDrafts,
		entries,
		conflicts: preview.conflicts.map((c) => ({
			key: c.itemId,
			reason: c.reason,
			amendmentIds: c.amendmentIds,
			conflictsWith: c.conflictsWith,
			message: c.message
		})),
		applied: amendments.length - new Set(preview.conflicts.flatMap((c) => c.amendmentIds)).size
	};
}

/** The preview as a Markdown document: the consolidated text, ready to hand on or print. */
export function previewMarkdown(view: PreviewView, title: string, partyName: (id: string) => string): string {
	const lines: string[] = [`# ${title}`, ''];
	if (view.drafts.length) {
		lines.push(
			`Underlaget (version ${view.baseline?.version ?? '?'}) med ändringarna i: ${view.drafts
				.map((d) => `${d.kindLabel} (${d.partyIds.map(partyName).join(', ')})`)
				.join('; ')}.`,
			''
		);
	} else lines.push(`Underlaget (version ${view.baseline?.version ?? '?'}) utan ändringar.`, '');
	for (const e of view.entries) {
		if (e.status === 'heading') {
			if (e.heading) lines.push(`${'#'.repeat(Math.min(6, e.depth + 2))} ${e.heading}`, '');
			continue;
		}
		if (e.status === 'struck') continue;
		if (e.heading && (e.field || e.kind === 'goal' || e.kind === 'risk' || e.kind === 'control')) {
			lines.push(`${'#'.repeat(Math.min(6, e.depth + 2))} ${e.field ? e.heading : e.text}`, '');
			if (!e.field) continue;
		}
		if (e.values) {
			const cells = Object.entries(e.values)
				.map(([c, v]) => `${c}: ${v === null ? '–' : String(v).replace('.', ',').replace('-', '−')}`)
				.join(', ');
			lines.push(`- ${e.text} – ${cells}`, '');
			continue;
		}
		const prefix = e.kind === 'decision_point' && e.label ? `${e.label}. ` : e.kind === 'list_item' ? '- ' : '';
		if (e.text.trim()) lines.push(`${prefix}${e.text}`, '');
	}
	if (view.conflicts.length) {
		lines.push('## Ändringar som inte kunde tas med', '');
		for (const c of view.conflicts) lines.push(`- ${c.message}`);
		lines.push('');
	}
	return `${lines.join('\n').trimEnd()}\n`;
}
