import { extractText, getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { casePackageLayout, documentLayout } from '../../../server/export/layout';
import { renderPdf } from '../../../server/export/pdf';
import { andringsyrkande, ninePartyPackage, parties, sdYrkande, slkPoint3, yttrande } from './samples';
import { firstOutOfOrder, pdfFonts, pdfText } from './read';

describe('PDF export', () => {
	it('holds the Göteborg form and the marked changes, in reading order', async () => {
		const doc = andringsyrkande();
		const text = await pdfText(await renderPdf(documentLayout(doc)));
		expect(
			firstOutOfOrder(text, [
				'Kommunstyrelsen',
				'Ändringsyrkande',
				'2024-12-05',
				'Moderaterna, Liberalerna och Kristdemokraterna',
				'Sammanträde 2024-12-11, ärende nr 4.',
				'Ärendenummer SLK-2024-00738',
				'Ändringsyrkande angående – Budget 2025 för kommunstyrelsen',
				'Ändringsförslag',
				'Struken text föreslås utgå. Understruken text föreslås tillkomma.',
				'Punkt 1 i stadsledningskontorets förslag till beslut får följande lydelse:',
				'fastställs med ändringen att ramen för ledningsarbete minskas.',
				'Punkt 3 i stadsledningskontorets förslag till beslut stryks:',
				slkPoint3,
				'Ny text efter punkt 4 i stadsledningskontorets förslag till beslut:',
				'Budget 2025: 285,7 281,2',
				'Yrkandet',
				'Välfärdens kärna ska prioriteras före nya åtaganden.',
				'Moderaterna',
				'Axel Josefson',
				'Liberalerna',
				'Jonas Attenius',
				'Kristdemokraterna',
				'Kristdemokraternas gruppledare',
				'Sida 1 av 1'
			])
		).toBeNull();
	});

	it('keeps Swedish letters and typography intact', async () => {
		const special = 'Åsa Öberg yrkar på ändrad skärgårdstrafik för Ängelholms café – ”Göteborg” 1 300,5 mnkr − 4 %';
		const doc = yttrande(parties.C, { motivation: [{ type: 'paragraph', runs: [{ text: special }] }] });
		const text = await pdfText(await renderPdf(documentLayout(doc)));
		expect(text).toContain(special);
		expect(text).toContain('Centerpartiet');
	});

	it('embeds its fonts: every font is a DejaVu TrueType subset with its program in the file', async () => {
		for (const layout of [documentLayout(andringsyrkande()), casePackageLayout(ninePartyPackage())]) {
			const { fonts, baseFonts } = pdfFonts(await renderPdf(layout));
			// regular, bold, italic (the package's list headings) – each used one is there
			expect(fonts.length).toBeGreaterThanOrEqual(2);
			for (const f of fonts) {
				expect(f.baseFont).toMatch(/^[A-Z]{6}\+DejaVuSans/);
				expect(f.fontFile2).not.toBeNull();
				expect(f.fontFileLength).toBeGreaterThan(1000);
			}
			expect(baseFonts.length).toBeGreaterThan(0);
			for (const name of baseFonts) expect(name).toMatch(/^[A-Z]{6}\+DejaVuSans/);
		}
	});

	it('marks every page of a draft UTKAST and numbers the pages', async () => {
		const long = sdYrkande({ draft: true });
		long.motivation = [...long.motivation, ...long.motivation, ...long.motivation];
		const { text: pages, totalPages } = await extractText(await renderPdf(documentLayout(long)), { mergePages: false });
		expect(totalPages).toBeGreaterThan(1);
		pages.forEach((page, i) => {
			expect(page).toContain('UTKAST');
			expect(page).toContain(`Sida ${i + 1} av ${totalPages}`);
		});
		const submitted = await pdfText(await renderPdf(documentLayout(sdYrkande())));
		expect(submitted).not.toContain('UTKAST');
	});

	it('is reproducible: the same model gives the same bytes, dated from the model', async () => {
		const a = await renderPdf(documentLayout(andringsyrkande({ draft: true })));
		// Another document in between: nothing may carry over from one render to the next.
		await renderPdf(casePackageLayout(ninePartyPackage()));
		const b = await renderPdf(documentLayout(andringsyrkande({ draft: true })));
		expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
		const { info } = await getMeta(new Uint8Array(a));
		expect(info).toMatchObject({
			CreationDate: expect.stringMatching(/^D:20241205000000Z/),
			ModDate: expect.stringMatching(/^D:20241205000000Z/),
			Title: 'UTKAST: Ändringsyrkande angående – Budget 2025 för kommunstyrelsen',
			Author: 'Moderaterna, Liberalerna och Kristdemokraterna'
		});
		const other = await renderPdf(documentLayout(andringsyrkande({ draft: true, date: '2024-12-06' })));
		expect(Buffer.from(other).equals(Buffer.from(a))).toBe(false);
	});

	it('renders the case package: items in agenda order, every document, the matrix and the summary', async () => {
		const text = await pdfText(await renderPdf(casePackageLayout(ninePartyPackage())));
		expect(
			firstOutOfOrder(text, [
				'Ärendepaket',
				'Innehåll',
				'4. Budget 2025 för kommunstyrelsen (SLK-2024-00738)',
				'10. Yttrande till trafiknämnden',
				'4. Budget 2025 för kommunstyrelsen',
				'Yrkande – Sverigedemokraterna',
				'I kommunstyrelsen och kommunfullmäktige:',
				'Ändringsyrkande – Moderaterna, Liberalerna och Kristdemokraterna',
				'Yttrande – Socialdemokraterna',
				'Yttrande – Demokraterna',
				'Partiernas ställningstaganden',
				'S V MP M L KD C SD D',
				'SLK punkt 1 Bifall Avslag',
				'Sammanfattning efter sammanträdet',
				'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag.',
				'10. Yttrande till trafiknämnden över parkeringsregler',
				'Inga yrkanden eller yttranden har lämnats in.'
			])
		).toBeNull();
	});
});
