import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countByKind } from '../../../server/domain/baseline';
import { ExtractError, extractText, htmlToText } from '../../../server/import/extract';
import { parseBaselineText } from '../../../server/import/parse';
import { docxArende, docxLetter, pdfFromText } from './make-files';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

/** The tree without source line numbers, which differ between text and PDF. */
function shape(x: unknown): unknown {
	return JSON.parse(JSON.stringify(x, (k, v) => (k === 'source' ? undefined : v)));
}

async function extractError(bytes: Uint8Array): Promise<ExtractError> {
	try {
		await extractText(bytes);
	} catch (err) {
		if (err instanceof ExtractError) return err;
		throw err;
	}
	throw new Error('no error');
}

describe('PDF', () => {
	it('gives the same tree from a PDF of the fixture as from its text', async () => {
		const pdf = await pdfFromText(fixture);
		const extracted = await extractText(new Uint8Array(pdf));
		expect(extracted.kind).toBe('pdf');
		expect(extracted.pages).toBeGreaterThan(40);
		const fromPdf = parseBaselineText(extracted.text);
		const fromText = parseBaselineText(fixture);
		expect(shape(fromPdf.items)).toEqual(shape(fromText.items));
		expect(shape(fromPdf.partyDocuments)).toEqual(shape(fromText.partyDocuments));
		expect(fromPdf.meta).toEqual(fromText.meta);
	}, 30_000);

	it('refuses an encrypted PDF with a message that says so', async () => {
		const pdf = await pdfFromText('Hemligt\n\nText', { userPassword: 'hemligt' });
		const err = await extractError(new Uint8Array(pdf));
		expect(err.code).toBe('encrypted');
		expect(err.message).toMatch(/lösenordsskyddad/);
	});

	it('refuses a broken PDF', async () => {
		const err = await extractError(new TextEncoder().encode('%PDF-1.7\nnot really a pdf at all'));
		expect(err.code).toBe('unreadable_pdf');
	});
});

describe('DOCX', () => {
	it('reads points, a mål, an uppdrag table and an economic table through the same parser', async () => {
		const extracted = await extractText(new Uint8Array(await docxArende()));
		expect(extracted.kind).toBe('docx');
		const r = parseBaselineText(extracted.text);
		expect(countByKind(r.items)).toMatchObject({ decision_point: 2, goal: 1, assignment: 2, table: 1, table_row: 5 });
		const tu = r.items[0];
		expect(tu.title).toBe('Budget 2025 för kommunstyrelsen');
		const points = tu.children![0].children!;
		expect(points.map((x) => [x.label, x.level, x.text])).toEqual([
			['1', 'ks', 'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen fastställs.'],
			['2', 'ks', 'Stadsledningskontorets förslag till tidplan fastställs.']
		]);
		const text = JSON.stringify(r.items);
		expect(text).toContain('"Plan för rapportering":"KS Q4 2025"');
		expect(text).toContain('"Plan för rapportering":"Löpande rapportering i uppföljningsrapporter"');
		expect(text).toContain('{"Budget 2024":-580.6,"Budget 2025":-602}');
	});

	it('reads a letter, which the import then finds to be no ärende', async () => {
		const extracted = await extractText(new Uint8Array(await docxLetter()));
		const r = parseBaselineText(extracted.text);
		expect(countByKind(r.items)).toMatchObject({ decision_point: 0, goal: 0, assignment: 0, table: 0 });
	});

	it('refuses a zip that is no DOCX', async () => {
		const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]);
		expect((await extractError(zip)).code).toBe('unreadable_docx');
	});

	it('writes lists with bullets and tables of numbers one row a line', () => {
		expect(
			htmlToText(
				'<p>Viktiga styrdokument är:</p><ul><li>Plan A</li><li><p>Plan B</p></li></ul><table><tr><td>Total</td><td>15,5</td></tr></table>'
			)
		).toBe('Viktiga styrdokument är:\n\n• Plan A\n\n• Plan B\n\nTotal  15,5\n');
	});
});

describe('text and bad input', () => {
	it('reads UTF-8, and Windows-1252 when the bytes are not UTF-8', async () => {
		expect((await extractText(new TextEncoder().encode('Förslag till beslut'))).text).toBe('Förslag till beslut');
		const latin1 = new Uint8Array([0x46, 0xf6, 0x72, 0x73, 0x6c, 0x61, 0x67]); // "Förslag"
		expect((await extractText(latin1)).text).toBe('Förslag');
	});

	it('refuses an empty file', async () => {
		expect((await extractError(new Uint8Array())).message).toBe('Filen är tom.');
		expect((await extractError(new TextEncoder().encode(' \n\n  '))).code).toBe('empty');
	});

	it('refuses binary garbage', async () => {
		let seed = 7;
		const bytes = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256);
		const err = await extractError(bytes);
		expect(err.code).toBe('binary');
		expect(err.message).toMatch(/varken text, PDF eller DOCX/);
	});
});
