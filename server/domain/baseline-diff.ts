import { diffWords } from 'diff';
import {
	type BaselineItem,
	type BaselineItemKind,
	type FieldValue,
	contentKey,
	itemSummary,
	walkItems
} from './baseline';

/** One run of a word diff: unchanged text, or text only in the old or only in the new version. */
export interface DiffRun {
	text: string;
	added?: boolean;
	removed?: boolean;
}

export interface AttributeChange {
	/** "title", "text", "label", "kind", "level", "values", "columns", or "fields.<name>" */
	attribute: string;
	before: unknown;
	after: unknown;
	/** word diff when both sides are text */
	runs?: DiffRun[];
}

export interface ItemSnapshot {
	id: string;
	kind: BaselineItemKind;
	label?: string;
	title?: string;
	text?: string;
	parentId: string | null;
	/** titles of the sections, tables and groups above, for showing where the item sits */
	path: string[];
}

export type ItemChange =
	| { type: 'added'; id: string; kind: BaselineItemKind; after: ItemSnapshot }
	| { type: 'removed'; id: string; kind: BaselineItemKind; before: ItemSnapshot }
	| {
			type: 'changed';
			id: string;
			kind: BaselineItemKind;
			before: ItemSnapshot;
			after: ItemSnapshot;
			/** moved under another parent */
			moved: boolean;
			changes: AttributeChange[];
	  };

export interface VersionDiff {
	changes: ItemChange[];
	summary: { added: number; removed: number; changed: number; moved: number; unchanged: number };
}

interface Located {
	item: BaselineItem;
	parentId: string | null;
	path: string[];
	order: number;
}

function locate(items: readonly BaselineItem[]): Map<string, Located> {
	const out = new Map<string, Located>();
	const paths = new Map<string, string[]>();
	let order = 0;
	for (const { item, parent } of walkItems(items)) {
		const parentPath = parent ? (paths.get(parent.id) ?? []) : [];
		const own = item.children?.length
			? [[item.label, item.title].filter(Boolean).join(' ') || itemSummary(item, 60)]
			: [];
		paths.set(item.id, [...parentPath, ...own]);
		out.set(item.id, { item, parentId: parent?.id ?? null, path: parentPath, order: order++ });
	}
	return out;
}

function snapshot(l: Located): ItemSnapshot {
	const { item } = l;
	return {
		id: item.id,
		kind: item.kind,
		...(item.label ? { label: item.label } : {}),
		...(item.title ? { title: item.title } : {}),
		...(item.text ? { text: item.text } : {}),
		parentId: l.parentId,
		path: l.path
	};
}

/**
 * The per-item diff between two versions of a baseline, by stable id: what was added, removed,
 * reworded or moved. Order of the result follows the new version, removed items where they stood.
 */
export function diffVersions(before: readonly BaselineItem[], after: readonly BaselineItem[]): VersionDiff {
	const a = locate(before);
	const b = locate(after);
	const changes: (ItemChange & { order: number })[] = [];
	const summary = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 };

	for (const [id, nb] of b) {
		const na = a.get(id);
		if (!na) {
			summary.added++;
			changes.push({ type: 'added', id, kind: nb.item.kind, after: snapshot(nb), order: nb.order });
			continue;
		}
		const moved = na.parentId !== nb.parentId;
		const same = contentKey(na.item) === contentKey(nb.item);
		if (same && !moved) {
			summary.unchanged++;
			continue;
		}
		if (moved) summary.moved++;
		if (!same) summary.changed++;
		changes.push({
			type: 'changed',
			id,
			kind: nb.item.kind,
			before: snapshot(na),
			after: snapshot(nb),
			moved,
			changes: same ? [] : attributeChanges(na.item, nb.item),
			order: nb.order
		});
	}
	// Old siblings, to place a removed item after the nearest one that survived.
	const oldSiblings = new Map<string | null, string[]>();
	for (const [id, na] of a) oldSiblings.set(na.parentId, [...(oldSiblings.get(na.parentId) ?? []), id]);
	for (const [id, na] of a) {
		if (b.has(id)) continue;
		summary.removed++;
		const siblings = oldSiblings.get(na.parentId) ?? [];
		let anchor = -1;
		for (let k = siblings.indexOf(id) - 1; k >= 0 && anchor < 0; k--) anchor = b.get(siblings[k])?.order ?? -1;
		if (anchor < 0 && na.parentId) anchor = b.get(na.parentId)?.order ?? -1;
		changes.push({ type: 'removed', id, kind: na.item.kind, before: snapshot(na), order: anchor + 0.5 });
	}
	changes.sort((x, y) => x.order - y.order);
	return { changes: changes.map(({ order: _order, ...c }) => c as ItemChange), summary };
}

export function attributeChanges(before: BaselineItem, after: BaselineItem): AttributeChange[] {
	const out: AttributeChange[] = [];
	const textual = (attribute: string, x: string | undefined, y: string | undefined) => {
		if ((x ?? '') === (y ?? '')) return;
		out.push({ attribute, before: x ?? null, after: y ?? null, runs: wordRuns(x ?? '', y ?? '') });
	};
	if (before.kind !== after.kind) out.push({ attribute: 'kind', before: before.kind, after: after.kind });
	textual('label', before.label, after.label);
	textual('title', before.title, after.title);
	textual('text', before.text, after.text);
	if ((before.level ?? null) !== (after.level ?? null))
		out.push({ attribute: 'level', before: before.level ?? null, after: after.level ?? null });
	const names = new Set([...Object.keys(before.fields ?? {}), ...Object.keys(after.fields ?? {})]);
	for (const name of names) {
		const x = before.fields?.[name];
		const y = after.fields?.[name];
		if (JSON.stringify(x ?? null) === JSON.stringify(y ?? null)) continue;
		out.push({
			attribute: `fields.${name}`,
			before: x ?? null,
			after: y ?? null,
			runs: wordRuns(fieldText(x), fieldText(y))
		});
	}
	if (JSON.stringify(before.columns ?? null) !== JSON.stringify(after.columns ?? null)) {
		out.push({ attribute: 'columns', before: before.columns ?? null, after: after.columns ?? null });
	}
	const cols = new Set([...Object.keys(before.values ?? {}), ...Object.keys(after.values ?? {})]);
	for (const col of cols) {
		const x = before.values?.[col];
		const y = after.values?.[col];
		if (x !== y) out.push({ attribute: `values.${col}`, before: x ?? null, after: y ?? null });
	}
	return out;
}

function fieldText(v: FieldValue | undefined): string {
	if (v === undefined) return '';
	return Array.isArray(v) ? v.join('\n') : v;
}

/** Word-level diff of two texts. */
export function wordRuns(before: string, after: string): DiffRun[] {
	return diffWords(before, after).map((p) => ({
		text: p.value,
		...(p.added ? { added: true } : {}),
		...(p.removed ? { removed: true } : {})
	}));
}
