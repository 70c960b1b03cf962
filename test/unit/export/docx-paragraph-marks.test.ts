import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../../server/export/docx';
import { documentLayout, trackedParagraphs, type Inline } from '../../../server/export/layout';
import type { ExportAmendment } from '../../../server/export/model';
import { afterAll, docxParagraphs, docxParts, type DocxParagraph } from './read';
import { andringsyrkande, parties, slkPoint3 } from './samples';

/**
 * Whole paragraphs inserted or struck are tracked down to their paragraph mark, so Word's and
 * LibreOffice's "Reject all" gives back exactly the baseline's paragraphs and "Accept all" exactly
 * the proposal's: no empty paragraph left where a point was struck or an added one rejected.
 */

const AUTHOR = 'Moderaterna, Liberalerna och Kristdemokraterna';
const authors = [parties.M, parties.L, parties.KD];

const paragraphsOf = (text: string) => text.split(/\n\s*\n/).map((p) => p.trim());

/** The amendment's own paragraphs in the document: after its lead line, up to the next lead or heading. */
async function amendmentParagraphs(a: ExportAmendment): Promise<DocxParagraph[]> {
	const bytes = await renderDocx(documentLayout(andringsyrkande({ amendments: [a] })));
	const all = docxParagraphs(docxParts(bytes)['word/document.xml']);
	const lead = all.findIndex((p) => p.text.endsWith(':') && /punkt 9/i.test(p.text));
	const rest = all.slice(lead + 1);
	const end = rest.findIndex((p) => !p.text || p.style !== null);
	return end < 0 ? rest : rest.slice(0, end);
}

function amendment(op: ExportAmendment['op'], baselineText: string, newText: string): ExportAmendment {
	return {
		id: 'x',
		op,
		target: { itemId: 'slk-9', reference: 'Punkt 9 i stadsledningskontorets förslag till beslut' },
		baselineText,
		newText,
		parties: authors
	};
}

describe('tracked paragraph marks', () => {
	it('marks the paragraph of an added point as inserted, mark included', async () => {
		const added = 'Kommunstyrelsen får i uppdrag att återkomma med en plan.\n\nPlanen ska redovisas före sommaren.';
		const ps = await amendmentParagraphs(amendment('insert_after', '', added));
		expect(ps).toHaveLength(2);
		for (const p of ps) {
			expect(p.mark).toMatchObject({ kind: 'ins', author: AUTHOR, date: '2024-12-05T00:00:00Z' });
			expect(p.rejected).toBe('');
		}
		expect(afterAll(ps, 'accept')).toEqual(paragraphsOf(added));
		// Rejected, the paragraphs are gone altogether: not even an empty one is left.
		expect(afterAll(ps, 'reject')).toEqual([]);
	});

	it('marks a struck point as deleted, mark included', async () => {
		const ps = await amendmentParagraphs(amendment('strike', `${slkPoint3}\n\nAndra stycket.`, ''));
		expect(ps.map((p) => p.mark?.kind)).toEqual(['del', 'del']);
		expect(afterAll(ps, 'reject')).toEqual([slkPoint3, 'Andra stycket.']);
		expect(afterAll(ps, 'accept')).toEqual([]);
	});

	it('tracks a paragraph added, removed or joined inside a changed text', async () => {
		const cases: [string, string][] = [
			['Första stycket.', 'Första stycket.\n\nEtt nytt andra stycke.'],
			['Första stycket.\n\nAndra stycket.\n\nTredje stycket.', 'Första stycket.\n\nTredje stycket.'],
			['Första stycket.\n\nAndra stycket.', 'Första stycket. Andra stycket.'],
			['Ett stycke om budgeten.', 'Ett stycke om budgeten.\n\nOch ett till.\n\nOch ett tredje.'],
			['Ett. Två.', 'Ett.\n\nTvå.']
		];
		for (const [before, after] of cases) {
			const ps = await amendmentParagraphs(amendment('change', before, after));
			expect(afterAll(ps, 'accept'), `${before} → ${after}`).toEqual(paragraphsOf(after));
			expect(afterAll(ps, 'reject'), `${before} → ${after}`).toEqual(paragraphsOf(before));
		}
	});

	it('writes the mark where Word reads it: w:pPr/w:rPr, with its own revision id', async () => {
		const bytes = await renderDocx(documentLayout(andringsyrkande()));
		const xml = docxParts(bytes)['word/document.xml'];
		const marks = [
			...xml.matchAll(/<w:pPr>(?:(?!<\/w:pPr>)[\s\S])*?<w:rPr><w:(ins|del) ([^>]*)\/><\/w:rPr><\/w:pPr>/g)
		];
		// The struck point 3 and the added point after point 4.
		expect(marks.map((m) => m[1])).toEqual(['del', 'ins']);
		const ids = [...xml.matchAll(/<w:(?:ins|del) w:id="(\d+)"/g)].map((m) => m[1]);
		expect(new Set(ids).size).toBe(ids.length);
		for (const m of marks) expect(m[2]).toContain(`w:author="${AUTHOR}"`);
	});

	it('splits tracked runs into paragraphs, marking breaks by the change they are in', () => {
		const ins = (text: string): Inline => ({ text, revision: { kind: 'ins', author: 'A' } });
		const del = (text: string): Inline => ({ text, revision: { kind: 'del', author: 'A' } });
		expect(trackedParagraphs([{ text: 'Ett' }, del('\n\nTvå'), { text: '\n\nTre' }])).toEqual([
			{ runs: [{ text: 'Ett' }], mark: { kind: 'del', author: 'A' } },
			{ runs: [del('Två')] },
			{ runs: [{ text: 'Tre' }] }
		]);
		expect(trackedParagraphs([ins('Ny\n\n\n\nText')], { kind: 'ins', author: 'A' })).toEqual([
			{ runs: [ins('Ny')], mark: { kind: 'ins', author: 'A' } },
			{ runs: [ins('Text')], mark: { kind: 'ins', author: 'A' } }
		]);
		// An empty paragraph between a kept and an inserted break: the break is kept, untracked.
		expect(trackedParagraphs([{ text: 'Ett\n\n' }, ins('\n\nTvå')])).toEqual([
			{ runs: [{ text: 'Ett' }] },
			{ runs: [ins('Två')] }
		]);
	});
});
