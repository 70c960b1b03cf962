import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentText, initDraftDoc, pointsArray, type DecisionLevel } from '../../server/domain/draft-doc';
import {
	addPoint,
	groupedPoints,
	movePoint,
	movePointNextTo,
	movePointToLevel,
	removeDuplicatePoints,
	removePoint
} from '../../web/src/lib/editor/points';

function draft(points: [string, DecisionLevel][]) {
	const doc = new Y.Doc();
	initDraftDoc(doc, {
		kind: 'yrkande',
		title: 't',
		points: points.map(([id, level]) => ({ id, level, text: `Text ${id}` }))
	});
	return pointsArray(doc);
}

/** "ks: a b | ks_kf: c" */
function layout(points: Y.Array<Y.Map<unknown>>): string {
	return groupedPoints(points)
		.map((g) => `${g.level}: ${g.points.map((p) => p.id).join(' ')}`.trim())
		.join(' | ');
}

describe('decision points', () => {
	it('adds a point at the end of its level, and KS points before KS-and-KF points', () => {
		const p = draft([['c', 'ks_kf']]);
		addPoint(p, 'ks', 'a');
		addPoint(p, 'ks', 'b');
		addPoint(p, 'ks_kf', 'd');
		expect(p.toArray().map((m) => m.get('id'))).toEqual(['a', 'b', 'c', 'd']);
		expect(layout(p)).toBe('ks: a b | ks_kf: c d');
	});

	it('moves up and down within a level only, keeping the text', () => {
		const p = draft([
			['a', 'ks'],
			['b', 'ks_kf'],
			['c', 'ks'],
			['d', 'ks_kf']
		]);
		expect(movePoint(p, 'c', -1)).toBe(true);
		expect(layout(p)).toBe('ks: c a | ks_kf: b d');
		expect(movePoint(p, 'c', -1)).toBe(false);
		expect(movePoint(p, 'b', 1)).toBe(true);
		expect(layout(p)).toBe('ks: c a | ks_kf: d b');
		expect(movePoint(p, 'b', 1)).toBe(false);
		expect(movePoint(p, 'a', 1)).toBe(false);
		const moved = p.toArray().find((m) => m.get('id') === 'b')!;
		expect(fragmentText(moved.get('content') as Y.XmlFragment)).toBe('Text b');
	});

	it('moves a point to the end of the other level', () => {
		const p = draft([
			['a', 'ks'],
			['b', 'ks'],
			['c', 'ks_kf']
		]);
		movePointToLevel(p, 'a', 'ks_kf');
		expect(layout(p)).toBe('ks: b | ks_kf: c a');
		movePointToLevel(p, 'c', 'ks');
		expect(layout(p)).toBe('ks: b c | ks_kf: a');
		movePointToLevel(p, 'b', 'ks_kf');
		movePointToLevel(p, 'c', 'ks_kf');
		expect(layout(p)).toBe('ks: | ks_kf: a b c');
		movePointToLevel(p, 'b', 'ks');
		expect(layout(p)).toBe('ks: b | ks_kf: a c');
	});

	it('drops a point before or after another, taking its level', () => {
		const p = draft([
			['a', 'ks_kf'],
			['b', 'ks_kf'],
			['c', 'ks_kf'],
			['d', 'ks']
		]);
		movePointNextTo(p, 'c', 'a', 'before');
		expect(layout(p)).toBe('ks: d | ks_kf: c a b');
		movePointNextTo(p, 'c', 'b', 'after');
		expect(layout(p)).toBe('ks: d | ks_kf: a b c');
		movePointNextTo(p, 'a', 'd', 'after');
		expect(layout(p)).toBe('ks: d a | ks_kf: b c');
		movePointNextTo(p, 'a', 'a', 'before');
		expect(layout(p)).toBe('ks: d a | ks_kf: b c');
	});

	it('removes a point', () => {
		const p = draft([
			['a', 'ks'],
			['b', 'ks']
		]);
		removePoint(p, 'a');
		removePoint(p, 'x');
		expect(layout(p)).toBe('ks: b | ks_kf:');
	});

	it('converges when two people move the same point at once', () => {
		const a = draft([
			['1', 'ks_kf'],
			['2', 'ks_kf'],
			['3', 'ks_kf']
		]).doc!;
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		movePoint(pointsArray(a), '3', -1);
		movePointToLevel(pointsArray(b), '3', 'ks');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(pointsArray(a).length).toBe(4);
		expect(removeDuplicatePoints(pointsArray(a))).toBe(true);
		expect(removeDuplicatePoints(pointsArray(b))).toBe(true);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(layout(pointsArray(a))).toBe(layout(pointsArray(b)));
		expect(
			pointsArray(a)
				.toArray()
				.map((m) => m.get('id'))
				.sort()
		).toEqual(['1', '2', '3']);
		expect(removeDuplicatePoints(pointsArray(a))).toBe(false);
	});
});
