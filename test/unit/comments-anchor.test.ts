import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	anchorFromPoints,
	decodeRelPos,
	resolveAnchor,
	shortenQuote,
	QUOTE_MAX,
	type CommentAnchor
} from '../../server/domain/comments-anchor';
import { appendBlocks, bodyFragment, newPointMap, paragraphs, pointsArray } from '../../server/domain/draft-doc';

const SENTENCE = 'Kommunstyrelsen får i uppdrag att ställa krav på individens eget ansvar.';
const WORDS = 'ställa krav';

function docWith(...texts: string[]): Y.Doc {
	const doc = new Y.Doc();
	appendBlocks(
		bodyFragment(doc),
		texts.flatMap((t) => paragraphs(t))
	);
	return doc;
}

function paragraph(doc: Y.Doc, n = 0): Y.XmlText {
	return (bodyFragment(doc).get(n) as Y.XmlElement).get(0) as Y.XmlText;
}

function anchorOn(doc: Y.Doc, words: string, n = 0): CommentAnchor {
	const text = paragraph(doc, n);
	const at = text.toString().indexOf(words);
	expect(at).toBeGreaterThanOrEqual(0);
	return anchorFromPoints({ type: text, index: at }, { type: text, index: at + words.length });
}

function textOf(doc: Y.Doc, anchor: CommentAnchor): string | null {
	const s = resolveAnchor(doc, anchor);
	return s.status === 'present' ? s.text : null;
}

/** Two replicas that exchange every update, as two browsers on the sync server do. */
function pair(seed: Y.Doc) {
	const a = new Y.Doc();
	const b = new Y.Doc();
	Y.applyUpdate(a, Y.encodeStateAsUpdate(seed));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(seed));
	const sync = () => {
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	};
	return { a, b, sync };
}

describe('comment anchors', () => {
	it('reads the words it was made on, also in another replica', () => {
		const doc = docWith(SENTENCE);
		const anchor = anchorOn(doc, WORDS);
		expect(textOf(doc, anchor)).toBe(WORDS);
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		expect(textOf(other, anchor)).toBe(WORDS);
	});

	it('stays on the same words when text is typed right before and right after them', () => {
		const doc = docWith(SENTENCE);
		const anchor = anchorOn(doc, WORDS);
		const text = paragraph(doc);
		const at = text.toString().indexOf(WORDS);
		text.insert(at + WORDS.length, ' och tydliga');
		text.insert(at, 'noggrant ');
		text.insert(0, 'Nytt: ');
		expect(text.toString()).toContain('noggrant ställa krav och tydliga');
		expect(textOf(doc, anchor)).toBe(WORDS);
	});

	it('widens with text typed inside the range and shrinks with words deleted from it', () => {
		const doc = docWith(SENTENCE);
		const anchor = anchorOn(doc, WORDS);
		const text = paragraph(doc);
		const at = text.toString().indexOf(WORDS);
		text.insert(at + 'ställa'.length, ' tydliga');
		expect(textOf(doc, anchor)).toBe('ställa tydliga krav');
		text.delete(at, 'ställa '.length);
		expect(textOf(doc, anchor)).toBe('tydliga krav');
	});

	it('follows concurrent edits of two replicas around the anchor', () => {
		const { a, b, sync } = pair(docWith(SENTENCE));
		const anchor = anchorOn(a, WORDS);
		const ta = paragraph(a);
		const tb = paragraph(b);
		ta.insert(ta.toString().indexOf(WORDS), 'A-före ');
		tb.insert(tb.toString().indexOf(WORDS) + WORDS.length, ' B-efter');
		tb.insert(0, 'B-start ');
		ta.insert(ta.length, ' A-slut');
		sync();
		expect(ta.toString()).toBe(tb.toString());
		expect(ta.toString()).toContain('A-före ställa krav B-efter');
		expect(textOf(a, anchor)).toBe(WORDS);
		expect(textOf(b, anchor)).toBe(WORDS);
	});

	it('is gone when its words are deleted, and when its paragraph is', () => {
		const doc = docWith(SENTENCE, 'Andra stycket.');
		const anchor = anchorOn(doc, WORDS);
		const text = paragraph(doc);
		text.delete(text.toString().indexOf(WORDS), WORDS.length);
		expect(resolveAnchor(doc, anchor)).toEqual({ status: 'gone' });

		const doc2 = docWith('Första stycket.', SENTENCE);
		const anchor2 = anchorOn(doc2, WORDS, 1);
		bodyFragment(doc2).delete(1, 1);
		expect(resolveAnchor(doc2, anchor2)).toEqual({ status: 'gone' });
	});

	it('covers a range over two paragraphs and a range in a decision point', () => {
		const doc = docWith('Första stycket slutar här.', 'Andra stycket börjar här.');
		const p0 = paragraph(doc, 0);
		const p1 = paragraph(doc, 1);
		const anchor = anchorFromPoints(
			{ type: p0, index: p0.toString().indexOf('slutar') },
			{ type: p1, index: 'Andra stycket'.length }
		);
		expect(textOf(doc, anchor)).toBe('slutar här.\nAndra stycket');

		pointsArray(doc).push([newPointMap('p1', 'ks_kf', SENTENCE)]);
		const content = pointsArray(doc).get(0).get('content') as Y.XmlFragment;
		const pt = (content.get(0) as Y.XmlElement).get(0) as Y.XmlText;
		const at = pt.toString().indexOf(WORDS);
		const inPoint = anchorFromPoints({ type: pt, index: at }, { type: pt, index: at + WORDS.length });
		const state = resolveAnchor(doc, inPoint);
		expect(state.status === 'present' && state.text).toBe(WORDS);
		expect(state.status === 'present' && state.fragment).toBe(content);
		// Removing the point removes the text the comment was on.
		pointsArray(doc).delete(0, 1);
		expect(resolveAnchor(doc, inPoint)).toEqual({ status: 'gone' });
	});

	it('does not resolve in another document or from garbage', () => {
		const anchor = anchorOn(docWith(SENTENCE), WORDS);
		expect(resolveAnchor(docWith(SENTENCE), anchor)).toEqual({ status: 'gone' });
		expect(resolveAnchor(docWith(SENTENCE), { start: '!!', end: anchor.end })).toEqual({ status: 'gone' });
		expect(decodeRelPos('<script>')).toBeNull();
		expect(resolveAnchor(docWith(SENTENCE), { start: 'AAAA', end: 'AAAA' })).toEqual({ status: 'gone' });
	});

	it('keeps the words under random concurrent edits outside the range (property)', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						who: fc.constantFrom('a', 'b'),
						before: fc.boolean(),
						op: fc.constantFrom('insert', 'delete'),
						frac: fc.double({ min: 0, max: 1, noNaN: true }),
						text: fc.string({ minLength: 1, maxLength: 6 })
					}),
					{ maxLength: 25 }
				),
				(edits) => {
					const { a, b, sync } = pair(docWith(SENTENCE));
					const anchor = anchorOn(a, WORDS);
					for (const [i, e] of edits.entries()) {
						const doc = e.who === 'a' ? a : b;
						const t = paragraph(doc);
						const state = resolveAnchor(doc, anchor);
						if (state.status !== 'present') throw new Error('anchor lost');
						const [lo, hi] = e.before ? [0, state.start.index] : [state.end.index, t.length];
						const at = lo + Math.floor(e.frac * (hi - lo));
						if (e.op === 'insert') t.insert(at, e.text);
						else if (at < hi) t.delete(at, Math.min(e.text.length, hi - at));
						if (i % 3 === 2) sync();
					}
					sync();
					expect(textOf(a, anchor)).toBe(WORDS);
					expect(textOf(b, anchor)).toBe(WORDS);
				}
			),
			{ numRuns: 150, seed: 8 }
		);
	});

	it('shortens long quotes and folds whitespace', () => {
		expect(shortenQuote('  ställa\n\n krav ')).toBe('ställa krav');
		const long = shortenQuote('å'.repeat(QUOTE_MAX + 50));
		expect(Array.from(long)).toHaveLength(QUOTE_MAX);
		expect(long.endsWith('…')).toBe(true);
	});
});
