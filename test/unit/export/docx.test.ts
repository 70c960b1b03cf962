import { afterEach, describe, expect, it } from 'vitest';
import { renderDocx } from '../../../server/export/docx';
import { casePackageLayout, documentLayout } from '../../../server/export/layout';
import { andringsyrkande, ninePartyPackage, sdYrkande, slkPoint1, slkPoint3 } from './samples';
import { docxParagraphs, docxParts } from './read';

const AUTHOR = 'Moderaterna, Liberalerna och Kristdemokraterna';

async function read(bytes: Uint8Array) {
	const parts = docxParts(bytes);
	return { parts, paragraphs: docxParagraphs(parts['word/document.xml']) };
}

describe('DOCX export', () => {
	const tz = process.env.TZ;
	afterEach(() => {
		if (tz === undefined) delete process.env.TZ;
		else process.env.TZ = tz;
	});

	it('writes the letterhead, the title and the sections in the Göteborg order', async () => {
		const { paragraphs } = await read(await renderDocx(documentLayout(andringsyrkande())));
		const texts = paragraphs.map((p) => p.text).filter(Boolean);
		expect(texts.slice(0, 7)).toEqual([
			'Kommunstyrelsen',
			'Ändringsyrkande',
			'2024-12-05',
			AUTHOR,
			'Sammanträde 2024-12-11, ärende nr 4.',
			'Ärendenummer SLK-2024-00738',
			'Ändringsyrkande angående – Budget 2025 för kommunstyrelsen'
		]);
		const headings = paragraphs.filter((p) => p.style?.startsWith('Heading')).map((p) => [p.style, p.text]);
		expect(headings).toEqual([
			['Heading1', 'Ändringsyrkande angående – Budget 2025 för kommunstyrelsen'],
			['Heading2', 'Ändringsförslag'],
			['Heading2', 'Yrkandet']
		]);
		// The parties written out, each with the members who sign for it underneath.
		expect(texts.slice(-6)).toEqual([
			'Moderaterna',
			'Axel Josefson',
			'Liberalerna',
			'Jonas Attenius',
			'Kristdemokraterna',
			'Kristdemokraternas gruppledare'
		]);
	});

	it('writes amendments as Word tracked changes by the parties, on the model date', async () => {
		const doc = andringsyrkande();
		const { parts, paragraphs } = await read(await renderDocx(documentLayout(doc)));
		const tracked = paragraphs.filter((p) => p.revisions.length > 0);
		expect(tracked).toHaveLength(4);
		const [change, strike, insert, amounts] = tracked;

		// Accepting every change gives the party's text; rejecting every one gives the baseline back.
		expect(change.accepted).toBe(doc.amendments[0].newText);
		expect(change.rejected).toBe(slkPoint1);
		expect(change.revisions.map((r) => r.kind)).toEqual(['ins']);
		expect(change.revisions[0].text).toBe(' med ändringen att ramen för ledningsarbete minskas');

		expect(strike.revisions).toEqual([expect.objectContaining({ kind: 'del', text: slkPoint3 })]);
		expect(strike.accepted).toBe('');
		expect(insert.revisions).toEqual([expect.objectContaining({ kind: 'ins', text: doc.amendments[2].newText })]);
		expect(insert.rejected).toBe('');
		expect(amounts.text).toBe('Budget 2025: 285,7 281,2');
		expect(amounts.accepted).toBe('Budget 2025:  281,2');
		expect(paragraphs.some((p) => p.text.includes('Budget 2024'))).toBe(false);

		const all = tracked.flatMap((p) => p.revisions);
		expect(new Set(all.map((r) => r.author))).toEqual(new Set([AUTHOR]));
		expect(new Set(all.map((r) => r.date))).toEqual(new Set(['2024-12-05T00:00:00Z']));
		expect(new Set(all.map((r) => r.id)).size).toBe(all.length);

		// Deleted text must be w:delText, or Word shows it as live text inside the deletion.
		const xml = parts['word/document.xml'];
		for (const del of xml.matchAll(/<w:del\s[\s\S]*?<\/w:del>/g)) {
			expect(del[0]).toContain('<w:delText');
			expect(del[0]).not.toMatch(/<w:t[\s>]/);
		}
		// The references say which point each change is to.
		const leads = paragraphs.filter((p) => /^(Punkt|Ny text|Tabellen)/.test(p.text)).map((p) => p.text);
		expect(leads).toEqual([
			'Punkt 1 i stadsledningskontorets förslag till beslut får följande lydelse:',
			'Punkt 3 i stadsledningskontorets förslag till beslut stryks:',
			'Ny text efter punkt 4 i stadsledningskontorets förslag till beslut:',
			'Tabellen Driftbudget i bilaga 1 – ändrade belopp:'
		]);
	});

	it('splits a changed text of several paragraphs into paragraphs', async () => {
		const doc = andringsyrkande();
		doc.amendments = [
			{
				...doc.amendments[0],
				baselineText: 'Första stycket.\n\nAndra stycket om budget.',
				newText: 'Första stycket.\n\nAndra stycket om en ny budget.'
			}
		];
		const { paragraphs } = await read(await renderDocx(documentLayout(doc)));
		const i = paragraphs.findIndex((p) => p.text === 'Första stycket.');
		expect(i).toBeGreaterThan(0);
		expect(paragraphs[i + 1].accepted).toBe('Andra stycket om en ny budget.');
		expect(paragraphs[i + 1].rejected).toBe('Andra stycket om budget.');
	});

	it('marks a draft UTKAST on every page, and only a draft', async () => {
		const draft = docxParts(await renderDocx(documentLayout(sdYrkande({ draft: true }))));
		const header = Object.entries(draft).find(([name]) => /^word\/header\d*\.xml$/.test(name));
		expect(header?.[1]).toContain('UTKAST');
		expect(draft['word/document.xml']).toMatch(/<w:headerReference [^>]*w:type="default"/);
		expect(draft['docProps/core.xml']).toContain('<cp:contentStatus>UTKAST</cp:contentStatus>');

		const submitted = docxParts(await renderDocx(documentLayout(sdYrkande())));
		for (const text of Object.values(submitted)) expect(text).not.toContain('UTKAST');
	});

	it('is reproducible: the same model gives the same bytes, in any time zone', async () => {
		process.env.TZ = 'UTC';
		const a = await renderDocx(documentLayout(andringsyrkande({ draft: true })));
		process.env.TZ = 'Pacific/Auckland';
		const b = await renderDocx(documentLayout(andringsyrkande({ draft: true })));
		expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);

		const core = docxParts(a)['docProps/core.xml'];
		expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-12-05T00:00:00Z</dcterms:created>');
		expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2024-12-05T00:00:00Z</dcterms:modified>');
		// Every zip entry carries the model's day, 00:00, as DOS date and time.
		const raw = Buffer.from(a);
		const dosDate = ((2024 - 1980) << 9) | (12 << 5) | 5;
		let entries = 0;
		for (let at = raw.indexOf('PK\x03\x04'); at >= 0; at = raw.indexOf('PK\x03\x04', at + 4)) {
			expect(raw.readUInt16LE(at + 10)).toBe(0);
			expect(raw.readUInt16LE(at + 12)).toBe(dosDate);
			entries++;
		}
		expect(entries).toBeGreaterThan(5);
		expect(raw.subarray(30, 30 + '[Content_Types].xml'.length).toString()).toBe('[Content_Types].xml');
	});

	it('escapes markup in the text and in the metadata', async () => {
		const doc = sdYrkande({ title: 'Yrkande <script>alert("x")</script> & mer' });
		doc.points[0].text = '<w:p>inte XML</w:p> & "citat"';
		const parts = docxParts(await renderDocx(documentLayout(doc)));
		expect(parts['word/document.xml']).toContain('&lt;w:p&gt;inte XML&lt;/w:p&gt; &amp;');
		expect(parts['docProps/core.xml']).toContain(
			'<dc:title>Yrkande &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; mer</dc:title>'
		);
		const paragraphs = docxParagraphs(parts['word/document.xml']);
		expect(paragraphs.map((p) => p.text)).toContain('1.\t<w:p>inte XML</w:p> & "citat"');
	});

	it('writes the case package with the matrix as a table and the documents in it', async () => {
		const { parts, paragraphs } = await read(await renderDocx(casePackageLayout(ninePartyPackage())));
		const xml = parts['word/document.xml'];
		// the letterhead, and the decision matrix of 1 + 5 rows × 1 + 9 columns
		expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(2);
		const matrix = xml.slice(xml.lastIndexOf('<w:tbl>'));
		expect((matrix.match(/<w:tr[\s>]/g) ?? []).length).toBe(6);
		expect((matrix.slice(0, matrix.indexOf('</w:tr>')).match(/<w:tc>/g) ?? []).length).toBe(10);
		const h1 = paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
		expect(h1).toEqual([
			'Ärendepaket – Kommunstyrelsen 2024-12-11',
			'4. Budget 2025 för kommunstyrelsen',
			'10. Yttrande till trafiknämnden över parkeringsregler'
		]);
		const h2 = paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text);
		expect(h2).toContain('Yrkande – Sverigedemokraterna');
		expect(h2).toContain('Ändringsyrkande – Moderaterna, Liberalerna och Kristdemokraterna');
		expect(h2).toContain('Partiernas ställningstaganden');
		expect(h2).toContain('Sammanfattning efter sammanträdet');
		expect(paragraphs.some((p) => p.revisions.length > 0)).toBe(true);
	});
});
