import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	blocksToText,
	initDraftDoc,
	newPointMap,
	paragraphs,
	pointsArray,
	projectDraft
} from '../../server/domain/draft-doc';

describe('draft document model', () => {
	it('projects an initialised draft to plain data', () => {
		const doc = new Y.Doc();
		initDraftDoc(doc, {
			kind: 'yrkande',
			title: 'Yrkande angående – Budget 2025 för kommunstyrelsen',
			points: [
				{ id: 'p1', level: 'ks_kf', text: 'Kommunstyrelsen får i uppdrag att ta bort hänvisningar.' },
				{ id: 'p2', level: 'ks', text: 'Andra punkten.' }
			],
			body: [
				{ type: 'heading', level: 2, runs: [{ text: 'Yrkandet' }] },
				{ type: 'paragraph', runs: [{ text: 'Vi vill ' }, { text: 'betona', bold: true }, { text: ' ansvar.' }] },
				{ type: 'list', ordered: false, items: [paragraphs('Första'), paragraphs('Andra')] }
			]
		});
		const p = projectDraft(doc);
		expect(p.title).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
		// In reading order: the points of "I kommunstyrelsen" before those of "… och kommunfullmäktige".
		expect(p.points).toEqual([
			{ id: 'p2', level: 'ks', text: 'Andra punkten.' },
			{ id: 'p1', level: 'ks_kf', text: 'Kommunstyrelsen får i uppdrag att ta bort hänvisningar.' }
		]);
		expect(p.body[1]).toEqual({
			type: 'paragraph',
			runs: [{ text: 'Vi vill ' }, { text: 'betona', bold: true }, { text: ' ansvar.' }]
		});
		expect(blocksToText(p.body)).toBe('Yrkandet\n\nVi vill betona ansvar.\n\n– Första\n– Andra');
	});

	it('survives a round trip through an update, as the sync server stores it', () => {
		const a = new Y.Doc();
		initDraftDoc(a, { kind: 'yttrande', title: 'Yttrande', body: paragraphs('Ett.\n\nTvå, med åäö.') });
		pointsArray(a).push([newPointMap('x', 'ks', 'Punkt')]);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(projectDraft(b)).toEqual(projectDraft(a));
		expect(blocksToText(projectDraft(b).body)).toBe('Ett.\n\nTvå, med åäö.');
	});

	it('reads points reordered concurrently by two peers without losing one', () => {
		const a = new Y.Doc();
		initDraftDoc(a, {
			kind: 'yrkande',
			title: 't',
			points: ['1', '2', '3'].map((id) => ({ id, level: 'ks' as const, text: `Punkt ${id}` }))
		});
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		pointsArray(a).delete(0, 1);
		pointsArray(b).push([newPointMap('4', 'ks_kf', 'Punkt 4')]);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(projectDraft(a).points.map((p) => p.id)).toEqual(['2', '3', '4']);
		expect(projectDraft(b)).toEqual(projectDraft(a));
	});
});
