import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type * as Y from 'yjs';
import type { DecisionLevel } from './draft-doc';

/**
 * The order of the decision points. Yjs has no move: deleting a point and inserting a copy would lose
 * what someone else types into it meanwhile. So a point's place is an order key on its own map
 * (a fractional index: a key between its neighbours' keys), and a move only sets that key and the
 * level; the map, its text and anything typed into it concurrently stay.
 *
 * Documents written before the keys existed, and points added by older code, have none: a point
 * without a key sorts right after the highest key before it in the array (in array order), which is
 * exactly the array order while no point has a key, and the end for a point pushed at the end. The first move or addition gives every point a
 * key, in the order shown; two clients doing so at once compute the same keys.
 */

const ORDER = 'order';

export interface OrderedPoint {
	map: Y.Map<unknown>;
	/** place in the Y.Array (for deleting it) */
	index: number;
}

export function levelOf(m: Y.Map<unknown>): DecisionLevel {
	return m.get('level') === 'ks' ? 'ks' : 'ks_kf';
}

function keyOf(m: Y.Map<unknown>): string | null {
	const k = m.get(ORDER);
	return typeof k === 'string' && k.length > 0 ? k : null;
}

/** Every point in the order the document shows it (levels not separated). */
export function orderedPoints(points: Y.Array<Y.Map<unknown>>): OrderedPoint[] {
	let last = '';
	let n = 0;
	const keyed = points.toArray().map((map, index) => {
		const k = keyOf(map);
		if (k !== null) {
			if (k > last) {
				last = k;
				n = 0;
			}
			return { map, index, key: k };
		}
		// Sorts after `last` and before any other key (keys use no control characters).
		return { map, index, key: `${last}\u0000${String(n++).padStart(8, '0')}` };
	});
	keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
	return keyed.map(({ map, index }) => ({ map, index }));
}

/** The points of each level in order. */
export function pointsByLevel(points: Y.Array<Y.Map<unknown>>): Record<DecisionLevel, OrderedPoint[]> {
	const out: Record<DecisionLevel, OrderedPoint[]> = { ks: [], ks_kf: [] };
	for (const p of orderedPoints(points)) out[levelOf(p.map)].push(p);
	return out;
}

/** Every point as the document reads: the KS points, then the KS-and-KF points, each level in order. */
export function pointsInReadingOrder(points: Y.Array<Y.Map<unknown>>): OrderedPoint[] {
	const byLevel = pointsByLevel(points);
	return [...byLevel.ks, ...byLevel.ks_kf];
}

/** Gives every point a key in the order shown, unless all have distinct keys already. */
function settleKeys(points: Y.Array<Y.Map<unknown>>, force = false): void {
	const ordered = orderedPoints(points);
	const keys = ordered.map((p) => keyOf(p.map));
	const settled = keys.every((k, i) => k !== null && (i === 0 || keys[i - 1]! < k));
	if (settled && !force) return;
	const fresh = generateNKeysBetween(null, null, ordered.length);
	ordered.forEach((p, i) => {
		if (keyOf(p.map) !== fresh[i]) p.map.set(ORDER, fresh[i]);
	});
}

/**
 * Puts a point (already in the array) into `level`, before `before` (a point of that level) or at
 * the level's end. Only the point's own order key and level change.
 */
export function placePoint(
	points: Y.Array<Y.Map<unknown>>,
	map: Y.Map<unknown>,
	level: DecisionLevel,
	before: Y.Map<unknown> | null = null
): void {
	const place = () => {
		const inLevel = pointsByLevel(points)[level];
		const others = inLevel.map((p) => p.map).filter((m) => m !== map);
		const at = before ? others.indexOf(before) : -1;
		const i = at < 0 ? others.length : at;
		return { prev: i > 0 ? keyOf(others[i - 1]) : null, next: i < others.length ? keyOf(others[i]) : null };
	};
	const transact = (fn: () => void) => (points.doc ? points.doc.transact(fn) : fn());
	transact(() => {
		settleKeys(points);
		let { prev, next } = place();
		if (prev !== null && next !== null && prev >= next) {
			settleKeys(points, true);
			({ prev, next } = place());
		}
		map.set(ORDER, generateKeyBetween(prev, next));
		if (levelOf(map) !== level) map.set('level', level);
	});
}

/**
 * Adds a new point at the end of `level`. In the array it also goes after the level's last point
 * (KS points first), so a reader that knows no order keys sees the same order.
 */
export function insertPoint(points: Y.Array<Y.Map<unknown>>, map: Y.Map<unknown>, level: DecisionLevel): void {
	const transact = (fn: () => void) => (points.doc ? points.doc.transact(fn) : fn());
	transact(() => {
		const last = pointsByLevel(points)[level].at(-1);
		points.insert(last ? last.index + 1 : level === 'ks' ? 0 : points.length, [map]);
		placePoint(points, map, level);
	});
}

/** The order key of a point, to carry over to a map that replaces it. */
export function orderKeyOf(m: Y.Map<unknown>): string | null {
	return keyOf(m);
}

export function setOrderKey(m: Y.Map<unknown>, key: string | null): void {
	if (key !== null) m.set(ORDER, key);
}
