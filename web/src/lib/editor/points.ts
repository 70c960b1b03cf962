import * as Y from 'yjs';
import { decisionLevels, newPointMap, type DecisionLevel } from '../../../../server/domain/draft-doc';
import {
	insertPoint,
	levelOf,
	placePoint,
	pointsByLevel,
	pointsInReadingOrder
} from '../../../../server/domain/point-order';

/**
 * Edits of the decision points (Y.Array of Y.Map { id, level, order, content }). Numbers are never
 * stored: a point's number is its place among the points of its level, so reordering renumbers by
 * itself. A move sets the point's order key and level (server/domain/point-order.ts): the map and its
 * text stay, so what someone else types into the point meanwhile is kept.
 */

export interface PointEntry {
	map: Y.Map<unknown>;
	id: string;
	level: DecisionLevel;
	/** place in the whole array */
	index: number;
}

function entry({ map, index }: { map: Y.Map<unknown>; index: number }): PointEntry {
	return { map, id: String(map.get('id') ?? ''), level: levelOf(map), index };
}

/** Every point as the document shows it: the KS points, then the KS-and-KF points. */
export function pointEntries(points: Y.Array<Y.Map<unknown>>): PointEntry[] {
	return pointsInReadingOrder(points).map(entry);
}

/** The points grouped by level, in the order the document shows them. */
export function groupedPoints(points: Y.Array<Y.Map<unknown>>): { level: DecisionLevel; points: PointEntry[] }[] {
	const byLevel = pointsByLevel(points);
	return decisionLevels.map((level) => ({ level, points: byLevel[level].map(entry) }));
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

/** Adds an empty point at the end of a level; returns its id. */
export function addPoint(points: Y.Array<Y.Map<unknown>>, level: DecisionLevel, id = newPointId()): string {
	insertPoint(points, newPointMap(id, level), level);
	return id;
}

export function removePoint(points: Y.Array<Y.Map<unknown>>, id: string): void {
	const found = pointEntries(points).find((p) => p.id === id);
	if (found) points.delete(found.index, 1);
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
	const before = direction < 0 ? neighbour : same[at + 2];
	placePoint(points, me.map, me.level, before?.map ?? null);
	return true;
}

/** Moves a point to the end of the other level ("Flytta till I kommunstyrelsen"). */
export function movePointToLevel(points: Y.Array<Y.Map<unknown>>, id: string, level: DecisionLevel): void {
	const me = pointEntries(points).find((p) => p.id === id);
	if (!me || me.level === level) return;
	placePoint(points, me.map, level);
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
	const same = all.filter((p) => p.level === target.level && p.id !== id);
	const before = side === 'before' ? target : same[same.findIndex((p) => p.id === targetId) + 1];
	placePoint(points, me.map, target.level, before?.map ?? null);
}

/**
 * Two copies of one point (a move by an older version of the app, which inserted a copy): every
 * client keeps the first in the array and removes the later ones; the arrays agree, so all remove
 * the same ones and the deletes merge.
 */
export function removeDuplicatePoints(points: Y.Array<Y.Map<unknown>>): boolean {
	const seen = new Set<string>();
	const duplicates: number[] = [];
	points.toArray().forEach((map, index) => {
		const id = String(map.get('id') ?? '');
		if (seen.has(id)) duplicates.push(index);
		seen.add(id);
	});
	if (!duplicates.length) return false;
	transact(points, () => {
		for (const i of duplicates.reverse()) points.delete(i, 1);
	});
	return true;
}
