import * as Y from 'yjs';
import { decisionLevels, newPointMap, type DecisionLevel } from '../../../../server/domain/draft-doc';

/**
 * Edits of the decision points (Y.Array of Y.Map { id, level, content }). Numbers are never stored:
 * a point's number is its place among the points of its level, so reordering renumbers by itself.
 *
 * Yjs has no move, so a move deletes the point and inserts a deep copy. An edit another person
 * makes inside the point at that very moment lands in the deleted copy; the window is one round
 * trip, and the alternative (an order key per point) would change the document model that exports read.
 */

export interface PointEntry {
	map: Y.Map<unknown>;
	id: string;
	level: DecisionLevel;
	/** place in the whole array */
	index: number;
}

function levelOf(m: Y.Map<unknown>): DecisionLevel {
	return m.get('level') === 'ks' ? 'ks' : 'ks_kf';
}

export function pointEntries(points: Y.Array<Y.Map<unknown>>): PointEntry[] {
	return points.toArray().map((map, index) => ({ map, id: String(map.get('id') ?? ''), level: levelOf(map), index }));
}

/** The points grouped by level, in the order the document shows them. */
export function groupedPoints(points: Y.Array<Y.Map<unknown>>): { level: DecisionLevel; points: PointEntry[] }[] {
	const all = pointEntries(points);
	return decisionLevels.map((level) => ({ level, points: all.filter((p) => p.level === level) }));
}

/** A fresh id for a point; random so two people adding at once never collide. */
export function newPointId(): string {
	const bytes = new Uint8Array(9);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function transact(points: Y.Array<Y.Map<unknown>>, fn: () => void) {
	if (points.doc) points.doc.transact(fn);
	else fn();
}

/** Where a new last point of a level goes in the array: after the level's last point. */
function endOfLevel(points: Y.Array<Y.Map<unknown>>, level: DecisionLevel, skipId?: string): number {
	const all = pointEntries(points).filter((p) => p.id !== skipId);
	const same = all.filter((p) => p.level === level);
	if (same.length) return same[same.length - 1].index + 1;
	// Keep the array in reading order: KS points before KS-and-KF points.
	return level === 'ks' ? 0 : points.length;
}

/** Adds an empty point at the end of a level; returns its id. */
export function addPoint(points: Y.Array<Y.Map<unknown>>, level: DecisionLevel, id = newPointId()): string {
	transact(points, () => points.insert(endOfLevel(points, level), [newPointMap(id, level)]));
	return id;
}

export function removePoint(points: Y.Array<Y.Map<unknown>>, id: string): void {
	const entry = pointEntries(points).find((p) => p.id === id);
	if (entry) points.delete(entry.index, 1);
}

/** Moves the map at `from` so it lands before array position `to` (counted before removal), as `level`. */
function relocate(points: Y.Array<Y.Map<unknown>>, from: number, to: number, level: DecisionLevel) {
	transact(points, () => {
		const copy = points.get(from).clone() as Y.Map<unknown>;
		copy.set('level', level);
		points.delete(from, 1);
		points.insert(to > from ? to - 1 : to, [copy]);
	});
}

/** Moves a point one place up (-1) or down (+1) within its level; false at the edge. */
export function movePoint(points: Y.Array<Y.Map<unknown>>, id: string, direction: -1 | 1): boolean {
	const all = pointEntries(points);
	const me = all.find((p) => p.id === id);
	if (!me) return false;
	const same = all.filter((p) => p.level === me.level);
	const at = same.findIndex((p) => p.id === id);
	const neighbour = same[at + direction];
	if (!neighbour) return false;
	relocate(points, me.index, direction < 0 ? neighbour.index : neighbour.index + 1, me.level);
	return true;
}

/** Moves a point to the end of the other level ("Flytta till I kommunstyrelsen"). */
export function movePointToLevel(points: Y.Array<Y.Map<unknown>>, id: string, level: DecisionLevel): void {
	const me = pointEntries(points).find((p) => p.id === id);
	if (!me || me.level === level) return;
	relocate(points, me.index, endOfLevel(points, level, id), level);
}

/** Drag and drop: puts a point before or after another one, taking that one's level. */
export function movePointNextTo(
	points: Y.Array<Y.Map<unknown>>,
	id: string,
	targetId: string,
	side: 'before' | 'after'
): void {
	if (id === targetId) return;
	const all = pointEntries(points);
	const me = all.find((p) => p.id === id);
	const target = all.find((p) => p.id === targetId);
	if (!me || !target) return;
	relocate(points, me.index, side === 'before' ? target.index : target.index + 1, target.level);
}

/**
 * Two people moving the same point at once each insert a copy. Every client removes the later
 * copies; the arrays agree, so all remove the same ones and the deletes merge.
 */
export function removeDuplicatePoints(points: Y.Array<Y.Map<unknown>>): boolean {
	const seen = new Set<string>();
	const duplicates: number[] = [];
	for (const p of pointEntries(points)) {
		if (seen.has(p.id)) duplicates.push(p.index);
		seen.add(p.id);
	}
	if (!duplicates.length) return false;
	transact(points, () => {
		for (const i of duplicates.reverse()) points.delete(i, 1);
	});
	return true;
}
