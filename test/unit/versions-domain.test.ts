import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attribute, draftRuns, type PartRuns } from '../../server/domain/attribution';
import { markup } from '../../server/domain/diff';
import {
	appendBlocks,
	bodyFragment,
	initDraftDoc,
	newPointMap,
	paragraphs,
	pointsArray,
	projectDraft,
	titleText
} from '../../server/domain/draft-doc';
import { compareVersions, revertUpdate } from '../../server/domain/versions';

function docWithClient(clientID: number, gc = true): Y.Doc {
	const doc = new Y.Doc({ gc });
	doc.clientID = clientID;
	return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function startDraft(doc: Y.Doc): void {
	initDraftDoc(doc, {
		kind: 'yrkande',
		title: 'Yrkande angående – Budget 2025',
		points: [{ id: 'p1', level: 'ks_kf', text: 'Kommunstyrelsen får i uppdrag att se över avgifterna.' }],
		body: paragraphs('Motiveringen i sin första form.')
	});
}

/** The first paragraph's Y.XmlText of a fragment. */
function firstText(fragment: Y.XmlFragment): Y.XmlText {
	return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

function clientsIn(runs: PartRuns['runs']): Set<number | null> {
	return new Set(runs.map((r) => r.client));
}

describe('restoring a version as a new change', () => {
	it('brings back the text of the version, deleted points included, and both replicas agree', () => {
		const a = docWithClient(1);
		startDraft(a);
		const version = Y.encodeStateAsUpdate(a);
		const expected = projectDraft(a);

		// A second writer joins; both change things after the version.
		const b = docWithClient(2);
		sync(a, b);
		titleText(a).insert(titleText(a).length, ' (reviderad)');
		pointsArray(b).delete(0, 1);
		pointsArray(b).push([newPointMap('p2', 'ks', 'Kommunstyrelsen beslutar att avslå.')]);
		firstText(bodyFragment(a)).delete(0, 'Motiveringen '.length);
		appendBlocks(bodyFragment(b), paragraphs('Ett nytt stycke.'));
		sync(a, b);
		expect(projectDraft(a)).not.toEqual(expected);

		const update = revertUpdate(a, version, 99);
		Y.applyUpdate(a, update);
		expect(projectDraft(a)).toEqual(expected);
		// The change travels like any edit: the other replica reads the same.
		Y.applyUpdate(b, update);
		expect(projectDraft(b)).toEqual(expected);
	});

	it('keeps the items, and so the authors, of text that did not change; re-created text is the restorer’s', () => {
		const a = docWithClient(1);
		startDraft(a);
		const version = Y.encodeStateAsUpdate(a);
		firstText(bodyFragment(a)).delete(0, 'Motiveringen i sin '.length);
		pointsArray(a).delete(0, 1);

		Y.applyUpdate(a, revertUpdate(a, version, 77));
		const parts = draftRuns(a);
		const body = parts.find((p) => p.key === 'body')!;
		expect(body.runs).toEqual([
			{ text: 'Motiveringen i sin ', client: 77 },
			{ text: 'första form.', client: 1 }
		]);
		const point = parts.find((p) => p.key === 'point:p1')!;
		expect(point.runs.map((r) => r.text).join('')).toBe('Kommunstyrelsen får i uppdrag att se över avgifterna.');
		expect(clientsIn(point.runs)).toEqual(new Set([77]));
		expect(clientsIn(parts.find((p) => p.key === 'title')!.runs)).toEqual(new Set([1]));
	});

	it('restores from a compacted document (only the merged state left) and survives garbage collection', () => {
		const a = docWithClient(1);
		startDraft(a);
		const v1 = Y.encodeStateAsUpdate(a);
		const expected = projectDraft(a);
		for (let i = 0; i < 50; i++) titleText(a).insert(0, `${i} `);
		titleText(a).delete(0, titleText(a).length);
		pointsArray(a).delete(0, 1);
		// What a server holds after compaction: one merged update, deleted content collected.
		const compacted = docWithClient(5);
		Y.applyUpdate(compacted, Y.mergeUpdates([Y.encodeStateAsUpdate(a)]));
		Y.applyUpdate(compacted, revertUpdate(compacted, v1, 123));
		expect(projectDraft(compacted)).toEqual(expected);
	});

	it('restores an older version, then the state before the restore (a restore can be undone)', () => {
		const a = docWithClient(1);
		startDraft(a);
		const v1 = Y.encodeStateAsUpdate(a);
		const p1 = projectDraft(a);
		titleText(a).insert(titleText(a).length, ' – andra');
		appendBlocks(bodyFragment(a), paragraphs('Andra stycket.'));
		const v2 = Y.encodeStateAsUpdate(a);
		const p2 = projectDraft(a);
		titleText(a).insert(0, 'Tredje: ');

		const before = Y.encodeStateAsUpdate(a);
		const p3 = projectDraft(a);
		Y.applyUpdate(a, revertUpdate(a, v1, 11));
		expect(projectDraft(a)).toEqual(p1);
		Y.applyUpdate(a, revertUpdate(a, v2, 12));
		expect(projectDraft(a)).toEqual(p2);
		Y.applyUpdate(a, revertUpdate(a, before, 13));
		expect(projectDraft(a)).toEqual(p3);
	});

	it('merges with an edit made concurrently elsewhere instead of losing it', () => {
		const a = docWithClient(1);
		startDraft(a);
		const version = Y.encodeStateAsUpdate(a);
		const b = docWithClient(2);
		sync(a, b);
		titleText(a).insert(titleText(a).length, ' X');
		// B writes a new paragraph that A has not seen when it restores.
		appendBlocks(bodyFragment(b), paragraphs('Samtidigt tillägg.'));
		const update = revertUpdate(a, version, 9);
		Y.applyUpdate(a, update);
		sync(a, b);
		expect(projectDraft(a)).toEqual(projectDraft(b));
		expect(projectDraft(a).title).toBe('Yrkande angående – Budget 2025');
		expect(projectDraft(a).body.length).toBe(2);
	});

	it('changes nothing when the document already reads like the version', () => {
		const a = docWithClient(1);
		startDraft(a);
		const version = Y.encodeStateAsUpdate(a);
		const sv = Y.encodeStateVector(a);
		Y.applyUpdate(a, revertUpdate(a, version, 42));
		expect(Y.encodeStateVector(a)).toEqual(sv);
	});
});

describe('attribution', () => {
	it('tells the writers of interleaved text apart and merges runs per author', () => {
		const a = docWithClient(10);
		startDraft(a);
		const b = docWithClient(20);
		sync(a, b);
		const text = firstText(bodyFragment(b));
		text.insert('Motiveringen i sin '.length, 'helt ');
		sync(a, b);
		const parts = draftRuns(a);
		const body = parts.find((p) => p.key === 'body')!;
		expect(body.runs).toEqual([
			{ text: 'Motiveringen i sin ', client: 10 },
			{ text: 'helt ', client: 20 },
			{ text: 'första form.', client: 10 }
		]);
		const result = attribute(
			parts,
			new Map([
				[10, ['u-anna']],
				[20, ['u-bo']]
			]),
			new Map([
				['u-anna', { name: 'Anna', partyId: 'SD' }],
				['u-bo', { name: 'Bo', partyId: 'SD' }]
			])
		);
		const bodyOut = result.parts.find((p) => p.key === 'body')!;
		expect(bodyOut.runs.map((r) => [r.text, r.author === null ? null : result.authors[r.author].name])).toEqual([
			['Motiveringen i sin ', 'Anna'],
			['helt ', 'Bo'],
			['första form.', 'Anna']
		]);
		expect(result.authors.find((x) => x.name === 'Bo')!.characters).toBe(5);
		expect(result.unattributed).toBe(0);
	});

	it('leaves a client nobody claimed without an author and marks a client two users claimed', () => {
		const a = docWithClient(1);
		titleText(a).insert(0, 'Rubrik');
		const b = docWithClient(2);
		sync(a, b);
		titleText(b).insert(6, ' två');
		sync(a, b);
		const result = attribute(
			draftRuns(a),
			new Map([[2, ['x', 'y']]]),
			new Map([
				['x', { name: 'X', partyId: null }],
				['y', { name: 'Y', partyId: null }]
			])
		);
		const title = result.parts.find((p) => p.key === 'title')!;
		expect(title.runs).toEqual([
			{ text: 'Rubrik', author: null },
			{ text: ' två', author: 0, uncertain: true }
		]);
		expect(result.unattributed).toBe(6);
	});

	it('skips deleted text', () => {
		const a = docWithClient(3);
		titleText(a).insert(0, 'abcdef');
		titleText(a).delete(1, 3);
		expect(draftRuns(a)[0].runs).toEqual([{ text: 'aef', client: 3 }]);
	});
});

describe('comparing versions', () => {
	it('diffs part by part: a changed title, a point added, one removed, the text changed word by word', () => {
		const older = {
			title: 'Yrkande angående budget',
			points: [
				{ id: 'p1', level: 'ks_kf' as const, text: 'Kommunstyrelsen får i uppdrag att utreda.' },
				{ id: 'p2', level: 'ks_kf' as const, text: 'Punkten som stryks.' }
			],
			body: [{ type: 'paragraph' as const, runs: [{ text: 'Vi föreslår en ändring av taxan.' }] }],
			amendments: []
		};
		const newer = {
			title: 'Yrkande angående budget 2025',
			points: [
				{ id: 'p1', level: 'ks_kf' as const, text: 'Kommunstyrelsen får i uppdrag att utreda.' },
				{ id: 'p3', level: 'ks' as const, text: 'En ny punkt.' }
			],
			body: [{ type: 'paragraph' as const, runs: [{ text: 'Vi föreslår en sänkning av taxan.' }] }],
			amendments: []
		};
		const d = compareVersions(older, newer);
		expect(d.changed).toBe(true);
		expect(d.parts.map((p) => [p.key, p.change])).toEqual([
			['title', 'changed'],
			['point:p1', 'equal'],
			['point:p2', 'removed'],
			['point:p3', 'added'],
			['body', 'changed']
		]);
		expect(markup(d.parts[0].segments)).toBe('Yrkande angående budget{+ 2025+}');
		expect(markup(d.parts[4].segments)).toBe('Vi föreslår en [-ändring-]{+sänkning+} av taxan.');
		expect(d.parts[2].label).toBe('Punkt 2 under "I kommunstyrelsen och kommunfullmäktige"');
	});

	it('finds nothing between a version and itself', () => {
		const c = {
			title: 'T',
			points: [{ id: 'p', level: 'ks' as const, text: 'Text.' }],
			body: [],
			amendments: []
		};
		const d = compareVersions(c, c);
		expect(d.changed).toBe(false);
		expect(d.insertedWords + d.deletedWords).toBe(0);
	});
});
