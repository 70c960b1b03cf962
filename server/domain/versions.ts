import * as Y from 'yjs';
import { diffText, type DiffSegment, type ParagraphKind } from './diff';
import {
	amendmentsArray,
	blocksToText,
	bodyFragment,
	decisionLevelHeadings,
	pointsArray,
	titleText,
	type DraftContent
} from './draft-doc';

/**
 * Versions of a draft: restoring one as a new change, and comparing two. Pure Yjs and text, no I/O.
 */

const REVERT = Symbol('revert');

/**
 * The update that makes `current` read like `versionState` again, as a new change on top of it:
 * nothing in the history is rewritten, and connected editors receive it like any edit.
 *
 * How: a document at the version is brought up to `current` in one tracked transaction, and that
 * transaction is undone. Undo deletes what was added since and re-creates what was deleted since,
 * as new items of `clientId`; text that is the same in both keeps its items, so its authors stay.
 * `versionState` must be a state of the same document (an ancestor of `current`).
 */
export function revertUpdate(current: Y.Doc, versionState: Uint8Array, clientId: number): Uint8Array {
	// Without garbage collection: undo needs the content of items deleted since the version.
	const target = new Y.Doc({ gc: false });
	target.clientID = clientId;
	try {
		Y.applyUpdate(target, versionState);
		const scope = [
			titleText(target),
			target.getMap('meta'),
			pointsArray(target),
			bodyFragment(target),
			amendmentsArray(target)
		];
		const undo = new Y.UndoManager(scope, { trackedOrigins: new Set([REVERT]), captureTimeout: 0 });
		try {
			Y.applyUpdate(target, Y.encodeStateAsUpdate(current, Y.encodeStateVector(target)), REVERT);
			undo.undo();
		} finally {
			undo.destroy();
		}
		return Y.encodeStateAsUpdate(target, Y.encodeStateVector(current));
	} finally {
		target.destroy();
	}
}

/** A random Yjs client id (an unsigned 32-bit integer, like Yjs picks its own). */
export function randomClientId(): number {
	return crypto.getRandomValues(new Uint32Array(1))[0];
}

// ---- comparing -----------------------------------------------------------------------------------

export type PartChange =
	/** the same words on both sides */
	| 'equal'
	/** worded differently */
	| 'changed'
	/** only in the newer version */
	| 'added'
	/** only in the older version */
	| 'removed';

export interface PartDiff {
	key: string;
	label: string;
	change: PartChange;
	/** inline word diff: equal, insert (only in the newer), delete (only in the older) */
	segments: DiffSegment[];
	/** the same per paragraph, for display */
	paragraphs: { kind: ParagraphKind; segments: DiffSegment[] }[];
	insertedWords: number;
	deletedWords: number;
}

export interface VersionDiff {
	changed: boolean;
	parts: PartDiff[];
	insertedWords: number;
	deletedWords: number;
}

interface Part {
	key: string;
	label: string;
	text: string;
}

function partsOf(c: DraftContent): Part[] {
	const counters = { ks: 0, ks_kf: 0 };
	return [
		{ key: 'title', label: 'Rubrik', text: c.title },
		...c.points.map((p) => {
			counters[p.level]++;
			return {
				key: `point:${p.id}`,
				label: `Punkt ${counters[p.level]} under "${decisionLevelHeadings[p.level]}"`,
				text: p.text
			};
		}),
		{ key: 'body', label: 'Text', text: blocksToText(c.body) },
		...c.amendments.map((a, i) => ({
			key: `amendment:${a.id}`,
			label: `Ändring ${i + 1}`,
			text: [a.text, ...Object.entries(a.values).map(([k, v]) => `${k}: ${v ?? '–'}`)].filter(Boolean).join('\n\n')
		}))
	];
}

/**
 * Compares two versions part by part (title, each decision point by its id, the text, each
 * amendment), word by word inside each. Parts keep the newer version's order; removed ones follow
 * the part they came after in the older version.
 */
export function compareVersions(older: DraftContent, newer: DraftContent): VersionDiff {
	const olds = partsOf(older);
	const news = partsOf(newer);
	const oldByKey = new Map(olds.map((p) => [p.key, p]));
	const newKeys = new Set(news.map((p) => p.key));
	const order: { old: Part | null; new: Part | null }[] = news.map((n) => ({
		old: oldByKey.get(n.key) ?? null,
		new: n
	}));
	// Place each removed part after its predecessor in the older version.
	olds.forEach((o, i) => {
		if (newKeys.has(o.key)) return;
		let at = 0;
		for (let j = i - 1; j >= 0; j--) {
			const k = order.findIndex((e) => (e.new ?? e.old)?.key === olds[j].key);
			if (k >= 0) {
				at = k + 1;
				break;
			}
		}
		order.splice(at, 0, { old: o, new: null });
	});
	let insertedWords = 0;
	let deletedWords = 0;
	const parts = order.map(({ old, new: nu }): PartDiff => {
		const d = diffText(old?.text ?? '', nu?.text ?? '');
		insertedWords += d.insertedWords;
		deletedWords += d.deletedWords;
		const change: PartChange = !old ? 'added' : !nu ? 'removed' : d.changed ? 'changed' : 'equal';
		return {
			key: (nu ?? old)!.key,
			label:
				nu && old && nu.label !== old.label ? `${nu.label} (tidigare ${old.label.toLowerCase()})` : (nu ?? old)!.label,
			change,
			segments: d.segments,
			paragraphs: d.paragraphs.map((x) => ({ kind: x.kind, segments: x.segments })),
			insertedWords: d.insertedWords,
			deletedWords: d.deletedWords
		};
	});
	return { changed: parts.some((p) => p.change !== 'equal'), parts, insertedWords, deletedWords };
}
