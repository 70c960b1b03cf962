import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCasePackage, exportDocument } from '../../../server/export';
import { docxParts, firstOutOfOrder, odtAfterAll, pdfBodyText } from './read';
import { andringsyrkande, ninePartyPackage, slkPoint3 } from './samples';

/**
 * Proof that the DOCX opens in a real word processor: LibreOffice converts it headless, and its own
 * document model (ODT) holds our amendments as tracked changes by the party. CI installs it with apt
 * (libreoffice-writer-nogui); where it is missing, only this file is skipped.
 */

const soffice = (process.env.PATH ?? '')
	.split(delimiter)
	.map((dir) => join(dir, 'soffice'))
	.find((p) => existsSync(p));

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yrka-lo-'));

async function convert(file: string, to: 'pdf' | 'odt'): Promise<string> {
	// Its own profile: a parallel or earlier LibreOffice would otherwise hold the lock on the default one.
	await run(
		soffice as string,
		[
			`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
			'--headless',
			'--convert-to',
			to,
			'--outdir',
			dir,
			file
		],
		{ timeout: 120_000 }
	);
	const out = file.replace(/\.docx$/, `.${to}`);
	if (!existsSync(out)) throw new Error(`LibreOffice wrote no ${to} for ${file}`);
	return out;
}

describe.skipIf(!soffice)('DOCX in LibreOffice', () => {
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('converts the ändringsyrkande and keeps its changes as tracked changes by the parties', async () => {
		const doc = andringsyrkande();
		const file = join(dir, 'andringsyrkande.docx');
		writeFileSync(file, (await exportDocument(doc, 'docx')).bytes);

		const pdf = await convert(file, 'pdf');
		const text = await pdfBodyText(new Uint8Array(readFileSync(pdf)));
		expect(
			firstOutOfOrder(text, [
				'Kommunstyrelsen',
				'Ändringsyrkande angående – Budget 2025 för kommunstyrelsen',
				'Punkt 1 i stadsledningskontorets förslag till beslut får följande lydelse:',
				'med ändringen att ramen för ledningsarbete minskas',
				'Yrkandet'
			])
		).toBeNull();

		const odt = await convert(file, 'odt');
		const content = docxParts(new Uint8Array(readFileSync(odt)))['content.xml'];
		const regions = [...content.matchAll(/<text:changed-region[\s\S]*?<\/text:changed-region>/g)].map((m) => m[0]);
		const kinds = regions.map((r) => /<text:(insertion|deletion)>/.exec(r)?.[1]);
		expect(kinds.filter((k) => k === 'insertion')).toHaveLength(3);
		expect(kinds.filter((k) => k === 'deletion')).toHaveLength(2);
		for (const r of regions) {
			expect(r).toContain('<dc:creator>Moderaterna, Liberalerna och Kristdemokraterna</dc:creator>');
			expect(r).toMatch(/<dc:date>2024-12-05(T00:00:00)?<\/dc:date>/);
		}
		// The struck point is kept inside its deletion, ready to be accepted or rejected.
		expect(content).toContain('interna regler och riktlinjer för ekonomisk uppföljning');
	}, 180_000);

	it('reads whole inserted and struck paragraphs as such: accept all and reject all leave no empty paragraph', async () => {
		const doc = andringsyrkande();
		const file = join(dir, 'stycken.docx');
		writeFileSync(file, (await exportDocument(doc, 'docx')).bytes);
		const content = docxParts(new Uint8Array(readFileSync(await convert(file, 'odt'))))['content.xml'];
		const region = (paragraphs: string[]) => {
			const from = paragraphs.findIndex((p) => p.startsWith('Punkt 3 i stadsledningskontorets'));
			const to = paragraphs.findIndex((p) => p.startsWith('Tabellen Driftbudget'));
			return paragraphs.slice(from, to);
		};
		const lead3 = 'Punkt 3 i stadsledningskontorets förslag till beslut stryks:';
		const lead4 = 'Ny text efter punkt 4 i stadsledningskontorets förslag till beslut:';
		// Rejected: the struck point is back as its own paragraph, the added point gone without a trace.
		expect(region(odtAfterAll(content, 'reject'))).toEqual([lead3, slkPoint3, lead4]);
		// Accepted: the struck point gone without an empty paragraph, the added one a paragraph of its own.
		expect(region(odtAfterAll(content, 'accept'))).toEqual([lead3, lead4, doc.amendments[2].newText]);
	}, 180_000);

	it('converts the case package with its decision matrix', async () => {
		const file = join(dir, 'arendepaket.docx');
		writeFileSync(file, (await exportCasePackage(ninePartyPackage(), 'docx')).bytes);
		const text = await pdfBodyText(new Uint8Array(readFileSync(await convert(file, 'pdf'))));
		expect(
			firstOutOfOrder(text, [
				'Ärendepaket',
				'4. Budget 2025 för kommunstyrelsen',
				'Yrkande – Sverigedemokraterna',
				'Partiernas ställningstaganden',
				'SLK punkt 1',
				'Sammanfattning efter sammanträdet',
				'10. Yttrande till trafiknämnden över parkeringsregler'
			])
		).toBeNull();
	}, 180_000);
});
