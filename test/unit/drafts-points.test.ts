import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	fragmentText,
	initDraftDoc,
	newPointMap,
	pointsArray,
	readPoints,
	type DecisionLevel
} from '../../server/domain/draft-doc';
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

/** Two people's copies of one draft: A's points array, and B's copy synced from it. */
function replicas(points: [string, DecisionLevel][]): [Y.Array<Y.Map<unknown>>, Y.Array<Y.Map<unknown>>] {
	const a = draft(points);
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc!));
	return [a, pointsArray(b)];
}

/** Both ways, as the sync server would relay them. */
function exchange(a: Y.Array<Y.Map<unknown>>, b: Y.Array<Y.Map<unknown>>): void {
	Y.applyUpdate(a.doc!, Y.encodeStateAsUpdate(b.doc!));
	Y.applyUpdate(b.doc!, Y.encodeStateAsUpdate(a.doc!));
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

	it('converges when two people move the same point at once, without copies', () => {
		const [a, b] = replicas([
			['1', 'ks_kf'],
			['2', 'ks_kf'],
			['3', 'ks_kf']
		]);
		movePoint(a, '3', -1);
		movePointToLevel(b, '3', 'ks');
		exchange(a, b);
		expect(a.length).toBe(3);
		expect(layout(a)).toBe(layout(b));
		expect(removeDuplicatePoints(a)).toBe(false);
	});

	it('keeps what someone types into a point while another person moves it', () => {
		const [a, b] = replicas([
			['1', 'ks_kf'],
			['2', 'ks_kf'],
			['3', 'ks_kf']
		]);
		// A drags point 1 below point 3 while B, not yet aware of it, types into point 1.
		movePointNextTo(a, '1', '3', 'after');
		const text = ((textOf(b, '1').get(0) as Y.XmlElement).get(0) as Y.XmlText)!;
		text.insert(text.length, ' och mer');
		exchange(a, b);
		for (const points of [a, b]) {
			expect(layout(points)).toBe('ks: | ks_kf: 2 3 1');
			expect(fragmentText(textOf(points, '1'))).toBe('Text 1 och mer');
		}
	});

	it('reads a document written before order keys in array order, and settles keys on the first move', () => {
		const p = draft([
			['a', 'ks'],
			['b', 'ks_kf'],
			['c', 'ks_kf']
		]);
		expect(p.toArray().every((m) => m.get('order') === undefined)).toBe(true);
		expect(layout(p)).toBe('ks: a | ks_kf: b c');
		movePoint(p, 'c', -1);
		expect(layout(p)).toBe('ks: a | ks_kf: c b');
		expect(p.toArray().every((m) => typeof m.get('order') === 'string')).toBe(true);
		// An older client's unkeyed point, pushed at the end of the array, shows at the end of its level.
		p.push([newPointMap('d', 'ks_kf', 'Text d')]);
		expect(layout(p)).toBe('ks: a | ks_kf: c b d');
	});

	it('orders points two people add at once the same way for both', () => {
		const [a, b] = replicas([['1', 'ks_kf']]);
		addPoint(a, 'ks_kf', 'x');
		addPoint(b, 'ks_kf', 'y');
		exchange(a, b);
		expect(layout(a)).toBe(layout(b));
		expect(layout(a)).toMatch(/^ks: \| ks_kf: 1 [xy] [xy]$/);
		// Moving between the two equal keys still works.
		movePoint(a, '1', 1);
		expect(layout(a)).toMatch(/^ks: \| ks_kf: [xy] 1 [xy]$/);
	});

	it('the projection reads points in the order shown', () => {
		const p = draft([
			['a', 'ks_kf'],
			['b', 'ks_kf'],
			['c', 'ks']
		]);
		movePointNextTo(p, 'b', 'a', 'before');
		expect(readPoints(p.doc!).map((x) => `${x.level}:${x.id}`)).toEqual(['ks:c', 'ks_kf:b', 'ks_kf:a']);
	});
});

function textOf(points: Y.Array<Y.Map<unknown>>, id: string): Y.XmlFragment {
	return points
		.toArray()
		.find((m) => m.get('id') === id)!
		.get('content') as Y.XmlFragment;
}
