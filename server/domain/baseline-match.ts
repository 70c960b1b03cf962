import { type BaselineItem, type ParsedItem, contentKey } from './baseline';

/**
 * Gives a freshly parsed tree the ids of the previous version wherever an item is the same item:
 * unchanged items and reworded ones keep their id, so amendments, comments and positions on them
 * stay attached; only new items get a new id. Matching goes from the top down, among the children
 * of matched parents first (identical content, then similar content of the same kind), and finally
 * across the whole tree for items that moved.
 *
 * Deterministic: the same previous version and the same text always give the same ids, so
 * re-importing an unchanged file changes nothing.
 */
export function assignStableIds(
	previous: readonly BaselineItem[] | null,
	parsed: readonly ParsedItem[],
	makeId: () => string
): BaselineItem[] {
	const olds: OldNode[] = [];
	const byParent = new Map<string, OldNode[]>();
	const visit = (items: readonly BaselineItem[], parentId: string) => {
		for (const item of items) {
			const node: OldNode = {
				item,
				parentId,
				key: contentKey(item),
				tokens: tokensOf(item),
				used: false,
				order: olds.length
			};
			olds.push(node);
			const list = byParent.get(parentId) ?? [];
			list.push(node);
			byParent.set(parentId, list);
			if (item.children) visit(item.children, item.id);
		}
	};
	if (previous) visit(previous, ROOT);

	const news: NewNode[] = [];
	const build = (items: readonly ParsedItem[], parent: NewNode | null): NewNode[] =>
		items.map((item) => {
			const node: NewNode = {
				item,
				parent,
				key: contentKey(item),
				tokens: tokensOf(item),
				match: null,
				children: [],
				order: news.length
			};
			news.push(node);
			node.children = build(item.children ?? [], node);
			return node;
		});
	const roots = build(parsed, null);

	const take = (n: NewNode, o: OldNode) => {
		n.match = o;
		o.used = true;
	};

	// Among the children of the same parent: identical first, then the most similar of the same kind.
	const matchSiblings = (list: NewNode[], oldParentId: string | null) => {
		if (oldParentId !== null) {
			const candidates = (byParent.get(oldParentId) ?? []).filter((o) => !o.used);
			const byKey = new Map<string, OldNode[]>();
			for (const o of candidates) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
			for (const n of list) {
				const o = byKey.get(n.key)?.find((c) => !c.used);
				if (o) take(n, o);
			}
			matchSimilar(
				list.filter((n) => !n.match),
				candidates.filter((o) => !o.used),
				LOCAL_THRESHOLD
			);
		}
		for (const n of list) matchSiblings(n.children, n.match ? n.match.item.id : null);
	};
	matchSiblings(roots, previous ? ROOT : null);

	// Items that moved to another parent: identical content anywhere, then very similar content.
	if (previous) {
		const free = () => olds.filter((o) => !o.used);
		const byKey = new Map<string, OldNode[]>();
		for (const o of free()) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
		for (const n of news) {
			if (n.match) continue;
			const o = byKey.get(n.key)?.find((c) => !c.used);
			if (o) take(n, o);
		}
		matchSimilar(
			news.filter((n) => !n.match),
			free(),
			MOVED_THRESHOLD
		);
	}

	const toItem = (n: NewNode): BaselineItem => {
		const { children: _children, ...rest } = n.item;
		const out: BaselineItem = { ...rest, id: n.match ? n.match.item.id : makeId() };
		if (n.children.length) out.children = n.children.map(toItem);
		return out;
	};
	return roots.map(toItem);

	function matchSimilar(ns: NewNode[], os: OldNode[], threshold: number) {
		if (!ns.length || !os.length) return;
		const pairs: { n: NewNode; o: OldNode; score: number }[] = [];
		for (const n of ns) {
			for (const o of os) {
				if (o.item.kind !== n.item.kind) continue;
				let score = dice(n.tokens, o.tokens);
				if (n.item.label && n.item.label === o.item.label) score += 0.15;
				if (score >= threshold) pairs.push({ n, o, score });
			}
		}
		// Best pairs first; ties go to document order, which keeps the result deterministic.
		pairs.sort((a, b) => b.score - a.score || a.o.order - b.o.order || a.n.order - b.n.order);
		for (const { n, o } of pairs) if (!n.match && !o.used) take(n, o);
	}
}

const ROOT = '\u0000root';
/** Among siblings a reworded item still shares most of its words. */
const LOCAL_THRESHOLD = 0.55;
/** Across the tree only near-identical content counts as the same item. */
const MOVED_THRESHOLD = 0.8;

interface OldNode {
	item: BaselineItem;
	parentId: string;
	key: string;
	tokens: Map<string, number>;
	used: boolean;
	order: number;
}

interface NewNode {
	item: ParsedItem;
	parent: NewNode | null;
	key: string;
	tokens: Map<string, number>;
	match: OldNode | null;
	children: NewNode[];
	order: number;
}

const STOP = new Set([
	'och',
	'att',
	'för',
	'som',
	'med',
	'av',
	'på',
	'till',
	'en',
	'ett',
	'det',
	'den',
	'är',
	'ska',
	'de',
	'om',
	'har',
	'in'
]);

/** The words of an item's own content, counted; numbers count as words so changed amounts differ. */
export function tokensOf(item: ParsedItem | BaselineItem): Map<string, number> {
	const parts: string[] = [item.title ?? '', item.text ?? ''];
	for (const v of Object.values(item.fields ?? {})) parts.push(Array.isArray(v) ? v.join(' ') : v);
	const out = new Map<string, number>();
	for (const w of parts
		.join(' ')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)) {
		if (w.length < 2 || STOP.has(w)) continue;
		out.set(w, (out.get(w) ?? 0) + 1);
	}
	return out;
}

/** Dice coefficient on word counts: 1 for the same words, 0 for none in common. */
export function dice(a: Map<string, number>, b: Map<string, number>): number {
	let both = 0;
	let total = 0;
	for (const [w, n] of a) {
		total += n;
		both += Math.min(n, b.get(w) ?? 0);
	}
	for (const n of b.values()) total += n;
	return total === 0 ? 1 : (2 * both) / total;
}
