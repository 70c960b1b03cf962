import { and, asc, desc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
	type BaselineSourceKind,
	type BaselineVersionStatus,
	baselineItemVersions,
	baselineItems,
	baselineVersions,
	baselines
} from '../../db/schema';
import {
	type BaselineItem,
	type BaselineItemKind,
	type ParsedItem,
	baselineItemKinds,
	countByKind,
	walkItems
} from '../domain/baseline';
import { type VersionDiff, diffVersions } from '../domain/baseline-diff';
import { assignStableIds } from '../domain/baseline-match';
import { conflict, notFound, unprocessable } from '../errors';
import { newId } from '../ids';
import { type ParseResult, parseBaselineText } from './parse';

/**
 * Storing baselines: an import becomes a draft version (or, for the demo seed, a published one),
 * the clerk fixes the draft, publishing makes it the case's baseline. Every write that touches
 * several tables runs in one transaction, so nothing half-imported is ever saved.
 */

type DbOrTx = Db | Tx;
type VersionRow = typeof baselineVersions.$inferSelect;

export interface ImportInput {
	sourceName: string;
	sourceKind: BaselineSourceKind;
	text: string;
	userId: string | null;
	/** publish at once (the demo seed); otherwise the import waits as a draft for the clerk */
	publish?: boolean;
}

export type ImportOutcome =
	| { status: 'unchanged'; version: VersionRow; parsed: ParseResult }
	| { status: 'created'; version: VersionRow; parsed: ParseResult; diff: VersionDiff | null };

/** Kinds that show the text is an ärende; paragraphs and headings alone could be any text. */
const STRUCTURED: BaselineItemKind[] = [
	'decision_point',
	'goal',
	'direction',
	'assignment',
	'table',
	'risk',
	'control',
	'timeplan_row'
];

/**
 * Refuses a parse that found nothing of an ärende, with the reason in words: "0 poster hittades"
 * rather than a tree of loose paragraphs.
 */
export function assertSomethingFound(parsed: ParseResult): void {
	const counts = countByKind(parsed.items);
	const structured = STRUCTURED.reduce((n, k) => n + counts[k], 0);
	if (structured > 0) return;
	const words = parsed.items.length ? 'texten liknar inte ett ärende' : 'filen innehåller ingen läsbar text';
	const party = parsed.partyDocuments.length
		? ` Den innehåller ${parsed.partyDocuments.length} partidokument men inget tjänsteutlåtande.`
		: '';
	throw unprocessable(
		`0 poster hittades: ${words} (inget ”Förslag till beslut”, inga mål, uppdrag, tabeller, risker eller tidplan).${party}`,
		'nothing_found'
	);
}

export async function getBaseline(db: DbOrTx, caseId: string) {
	const [row] = await db.select().from(baselines).where(eq(baselines.caseId, caseId)).limit(1);
	return row ?? null;
}

export async function listVersions(db: DbOrTx, baselineId: string): Promise<VersionRow[]> {
	return db
		.select()
		.from(baselineVersions)
		.where(eq(baselineVersions.baselineId, baselineId))
		.orderBy(desc(baselineVersions.number));
}

export async function versionWithStatus(db: DbOrTx, baselineId: string, status: BaselineVersionStatus) {
	const [row] = await db
		.select()
		.from(baselineVersions)
		.where(and(eq(baselineVersions.baselineId, baselineId), eq(baselineVersions.status, status)))
		.orderBy(desc(baselineVersions.number))
		.limit(1);
	return row ?? null;
}

/** The tree of one version, rebuilt from its rows in document order. */
export async function loadTree(db: DbOrTx, versionId: string): Promise<BaselineItem[]> {
	const rows = await db
		.select()
		.from(baselineItemVersions)
		.where(eq(baselineItemVersions.versionId, versionId))
		.orderBy(asc(baselineItemVersions.position));
	return buildTree(rows);
}

type ItemRow = typeof baselineItemVersions.$inferSelect;

export function buildTree(rows: readonly ItemRow[]): BaselineItem[] {
	const byId = new Map<string, BaselineItem>();
	const roots: BaselineItem[] = [];
	for (const r of rows) {
		const item: BaselineItem = { id: r.itemId, kind: r.kind };
		if (r.label !== null) item.label = r.label;
		if (r.title !== null) item.title = r.title;
		if (r.text !== null) item.text = r.text;
		if (r.level !== null) item.level = r.level;
		if (r.fields !== null) item.fields = r.fields;
		if (r.columns !== null) item.columns = r.columns;
		if (r.values !== null) item.values = r.values;
		if (r.sourceFrom !== null && r.sourceTo !== null) item.source = { from: r.sourceFrom, to: r.sourceTo };
		byId.set(r.itemId, item);
		const parent = r.parentId ? byId.get(r.parentId) : undefined;
		if (parent) (parent.children ??= []).push(item);
		else roots.push(item);
	}
	return roots;
}

function toRows(versionId: string, items: readonly BaselineItem[]): ItemRow[] {
	const rows: ItemRow[] = [];
	for (const { item, parent } of walkItems(items)) {
		rows.push({
			versionId,
			itemId: item.id,
			parentId: parent?.id ?? null,
			position: rows.length,
			kind: item.kind,
			label: item.label ?? null,
			title: item.title ?? null,
			text: item.text ?? null,
			level: item.level ?? null,
			fields: item.fields ?? null,
			columns: item.columns ?? null,
			values: item.values ?? null,
			sourceFrom: item.source?.from ?? null,
			sourceTo: item.source?.to ?? null
		});
	}
	return rows;
}

async function insertTree(tx: DbOrTx, baselineId: string, versionId: string, items: BaselineItem[]) {
	const rows = toRows(versionId, items);
	const ids = rows.map((r) => r.itemId);
	const known = new Set<string>();
	for (let i = 0; i < ids.length; i += 500) {
		const found = await tx
			.select({ id: baselineItems.id })
			.from(baselineItems)
			.where(inArray(baselineItems.id, ids.slice(i, i + 500)));
		for (const f of found) known.add(f.id);
	}
	const fresh = ids.filter((id) => !known.has(id));
	for (let i = 0; i < fresh.length; i += 500) {
		await tx.insert(baselineItems).values(fresh.slice(i, i + 500).map((id) => ({ id, baselineId })));
	}
	// Batches keep each statement well under the bind-parameter limit of Postgres.
	for (let i = 0; i < rows.length; i += 200) await tx.insert(baselineItemVersions).values(rows.slice(i, i + 200));
}

/**
 * Imports the text of an ärende for a case. Against the published version, items keep their ids by
 * matching; when nothing changed, nothing is stored and the published version is returned.
 */
export async function importBaseline(db: DbOrTx, caseId: string, input: ImportInput): Promise<ImportOutcome> {
	const parsed = parseBaselineText(input.text);
	assertSomethingFound(parsed);

	return db.transaction(async (tx) => {
		let baseline = await getBaseline(tx, caseId);
		if (!baseline) {
			[baseline] = await tx.insert(baselines).values({ id: newId(), caseId }).returning();
		}
		// Serializes imports and publishing of one baseline.
		await tx.execute(sql`select id from baselines where id = ${baseline.id} for update`);

		const draft = await versionWithStatus(tx, baseline.id, 'draft');
		if (draft) {
			throw conflict(
				`Det finns redan en importerad version (version ${draft.number}) som inte är publicerad. Publicera eller kasta den först.`,
				'draft_exists'
			);
		}
		const published = await versionWithStatus(tx, baseline.id, 'published');
		const previous = published ? await loadTree(tx, published.id) : null;
		const items = assignStableIds(previous, parsed.items, newId);
		const diff = previous ? diffVersions(previous, items) : null;
		if (published && diff && diff.changes.length === 0) {
			return { status: 'unchanged' as const, version: published, parsed };
		}

		const [{ max }] = await tx
			.select({ max: sql<number>`coalesce(max(${baselineVersions.number}), 0)` })
			.from(baselineVersions)
			.where(eq(baselineVersions.baselineId, baseline.id));
		const now = new Date();
		const [version] = await tx
			.insert(baselineVersions)
			.values({
				id: newId(),
				baselineId: baseline.id,
				number: Number(max) + 1,
				status: 'draft',
				sourceName: input.sourceName,
				sourceKind: input.sourceKind,
				sourceText: input.text,
				meta: parsed.meta,
				partyDocuments: parsed.partyDocuments,
				warnings: parsed.warnings,
				createdBy: input.userId
			})
			.returning();
		await insertTree(tx, baseline.id, version.id, items);
		if (input.publish) {
			const done = await publishVersion(tx, baseline.id, version.id, input.userId, now);
			return { status: 'created' as const, version: done, parsed, diff };
		}
		return { status: 'created' as const, version, parsed, diff };
	});
}

async function publishVersion(tx: DbOrTx, baselineId: string, versionId: string, userId: string | null, at: Date) {
	await tx
		.update(baselineVersions)
		.set({ status: 'superseded' })
		.where(and(eq(baselineVersions.baselineId, baselineId), eq(baselineVersions.status, 'published')));
	const [row] = await tx
		.update(baselineVersions)
		.set({ status: 'published', publishedAt: at, publishedBy: userId })
		.where(eq(baselineVersions.id, versionId))
		.returning();
	return row;
}

async function lockedDraft(tx: Tx, caseId: string) {
	const baseline = await getBaseline(tx, caseId);
	if (!baseline) throw notFound('Ärendet har inget underlag ännu.');
	await tx.execute(sql`select id from baselines where id = ${baseline.id} for update`);
	const draft = await versionWithStatus(tx, baseline.id, 'draft');
	if (!draft) throw notFound('Det finns ingen opublicerad version att ändra.');
	return { baseline, draft };
}

export async function publishDraft(db: Db, caseId: string, userId: string | null) {
	return db.transaction(async (tx) => {
		const { baseline, draft } = await lockedDraft(tx, caseId);
		return publishVersion(tx, baseline.id, draft.id, userId, new Date());
	});
}

/** Throws the draft away, and the item ids that only it had. */
export async function discardDraft(db: Db, caseId: string) {
	await db.transaction(async (tx) => {
		const { baseline, draft } = await lockedDraft(tx, caseId);
		await tx.delete(baselineVersions).where(eq(baselineVersions.id, draft.id));
		await tx.delete(baselineItems).where(
			and(
				eq(baselineItems.baselineId, baseline.id),
				notExists(
					tx
						.select({ one: sql`1` })
						.from(baselineItemVersions)
						.where(eq(baselineItemVersions.itemId, baselineItems.id))
				)
			)
		);
	});
}

export interface ItemPatch {
	kind?: BaselineItemKind;
	label?: string | null;
	title?: string | null;
	text?: string | null;
	fields?: Record<string, string | string[]> | null;
}

/**
 * The clerk's corrections of a draft, each on the whole tree: edit an item, split one in two at a
 * place in its text, merge one with the next sibling, change its kind. The tree is saved again as
 * a whole, which keeps document order and parents consistent.
 */
export async function editDraft(
	db: Db,
	caseId: string,
	change: (items: BaselineItem[]) => BaselineItem[]
): Promise<{ version: VersionRow; items: BaselineItem[] }> {
	return db.transaction(async (tx) => {
		const { baseline, draft } = await lockedDraft(tx, caseId);
		const items = change(await loadTree(tx, draft.id));
		await tx.delete(baselineItemVersions).where(eq(baselineItemVersions.versionId, draft.id));
		await insertTree(tx, baseline.id, draft.id, items);
		// Ids dropped by a merge and not used by any version are gone for good.
		await tx.delete(baselineItems).where(
			and(
				eq(baselineItems.baselineId, baseline.id),
				notExists(
					tx
						.select({ one: sql`1` })
						.from(baselineItemVersions)
						.where(eq(baselineItemVersions.itemId, baselineItems.id))
				)
			)
		);
		return { version: draft, items };
	});
}

function locateIn(items: BaselineItem[], id: string): { list: BaselineItem[]; index: number } {
	const search = (list: BaselineItem[]): { list: BaselineItem[]; index: number } | null => {
		for (let i = 0; i < list.length; i++) {
			if (list[i].id === id) return { list, index: i };
			const inner = list[i].children ? search(list[i].children!) : null;
			if (inner) return inner;
		}
		return null;
	};
	const found = search(items);
	if (!found) throw notFound('Posten finns inte i den opublicerade versionen.');
	return found;
}

export function patchItem(items: BaselineItem[], id: string, patch: ItemPatch): BaselineItem[] {
	const { list, index } = locateIn(items, id);
	const item = { ...list[index] };
	if (patch.kind !== undefined) {
		if (!baselineItemKinds.includes(patch.kind)) throw unprocessable('Okänd typ av post.');
		item.kind = patch.kind;
		if (patch.kind !== 'decision_point') delete item.level;
		else item.level ??= 'ks';
	}
	for (const key of ['label', 'title', 'text'] as const) {
		if (patch[key] === undefined) continue;
		const v = patch[key]?.trim();
		if (v) item[key] = v;
		else delete item[key];
	}
	if (patch.fields !== undefined) {
		if (patch.fields && Object.keys(patch.fields).length) item.fields = patch.fields;
		else delete item.fields;
	}
	list[index] = item;
	return items;
}

/** Splits an item's text at a character offset; the second half becomes a new item after it. */
export function splitItem(items: BaselineItem[], id: string, at: number, makeId: () => string = newId): BaselineItem[] {
	const { list, index } = locateIn(items, id);
	const item = list[index];
	const text = item.text ?? '';
	const head = text.slice(0, at).trim();
	const tail = text.slice(at).trim();
	if (!head || !tail) throw unprocessable('Välj en plats inne i texten att dela vid, så att båda delarna får text.');
	const second: BaselineItem = { id: makeId(), kind: item.kind, text: tail };
	if (item.level) second.level = item.level;
	list.splice(index, 1, { ...item, text: head }, second);
	return items;
}

/** Merges an item with the next item under the same parent; the first keeps its id. */
export function mergeWithNext(items: BaselineItem[], id: string): BaselineItem[] {
	const { list, index } = locateIn(items, id);
	const next = list[index + 1];
	if (!next) throw unprocessable('Det finns ingen följande post på samma nivå att slå ihop med.');
	const item = list[index];
	const merged: BaselineItem = {
		...item,
		text: [item.text, next.title, next.text].filter(Boolean).join(' ')
	};
	const children = [...(item.children ?? []), ...(next.children ?? [])];
	if (children.length) merged.children = children;
	if (item.fields || next.fields) merged.fields = { ...(next.fields ?? {}), ...(item.fields ?? {}) };
	list.splice(index, 2, merged);
	return items;
}

export type { ParsedItem };
