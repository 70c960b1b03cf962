import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { exportDocument } from '../../../server/export';
import { docxParagraphs, docxParts, firstOutOfOrder, pdfBodyText } from './read';
import { sdYrkande, sdYrkandeFromFixture } from './samples';

/**
 * The acceptance case: SD's yrkande of SLK-2024-00738, recreated from the fixture, exports with the
 * same four points and the same headings as the original in every format.
 */
describe('the SD yrkande of the fixture', () => {
	const original = sdYrkandeFromFixture();

	it('is what the fixture prints: four points under one level, then "Yrkandet"', () => {
		expect(original.title).toBe('Yrkande angående – Budget 2025 för kommunstyrelsen');
		expect(original.proposalHeading).toBe('Förslag till beslut');
		expect(original.levelHeading).toBe('I kommunstyrelsen och kommunfullmäktige:');
		expect(original.points).toHaveLength(4);
		expect(original.points.every((p) => p.startsWith('Kommunstyrelsen får i uppdrag att'))).toBe(true);
		expect(original.motivationHeading).toBe('Yrkandet');
		expect(original.motivation[0]).toMatch(/^Sverigedemokraterna ställer sig skeptiska/);
		expect(original.motivation.at(-1)).toMatch(/som staden satt upp\.$/);
	});

	it('exports to DOCX with the same headings, as Word headings, and the same four points', async () => {
		const { bytes } = await exportDocument(sdYrkande(), 'docx');
		const paragraphs = docxParagraphs(docxParts(bytes)['word/document.xml']).filter((p) => p.text);
		const title = paragraphs.findIndex((p) => p.text === original.title);
		expect(paragraphs.slice(title, title + 7).map((p) => [p.style, p.text])).toEqual([
			['Heading1', original.title],
			['Heading2', original.proposalHeading],
			['Heading3', original.levelHeading],
			...original.points.map((text, i) => [null, `${i + 1}.\t${text}`])
		]);
		const motivationAt = paragraphs.findIndex((p) => p.text === original.motivationHeading);
		expect(paragraphs[motivationAt].style).toBe('Heading2');
		expect(motivationAt).toBe(title + 7);
		expect(
			paragraphs.slice(motivationAt + 1, motivationAt + 1 + original.motivation.length).map((p) => p.text)
		).toEqual(original.motivation);

		// An independent reader (mammoth, as an import would read it) sees the same outline.
		const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
		const outline = [...html.matchAll(/<(h[1-3])>([^<]*)<\/h[1-3]>/g)].map((m) => `${m[1]} ${m[2]}`);
		expect(outline).toEqual([
			`h1 ${original.title}`,
			`h2 ${original.proposalHeading}`,
			`h3 ${original.levelHeading}`,
			`h2 ${original.motivationHeading}`
		]);
	});

	it('exports to PDF with the headings, the four points and the motivation in order', async () => {
		const text = await pdfBodyText((await exportDocument(sdYrkande(), 'pdf')).bytes);
		expect(
			firstOutOfOrder(text, [
				'Kommunstyrelsen',
				'Yrkande',
				'2024-12-04',
				'Sverigedemokraterna',
				'Ärendenummer SLK-2024-00738',
				original.title,
				original.proposalHeading,
				original.levelHeading,
				...original.points.flatMap((p, i) => [`${i + 1}.`, p]),
				original.motivationHeading,
				...original.motivation
			])
		).toBeNull();
	});

	it('exports to Markdown and HTML with the same outline', async () => {
		const md = new TextDecoder().decode((await exportDocument(sdYrkande(), 'md')).bytes);
		expect(
			firstOutOfOrder(md, [
				`# ${original.title}`,
				`## ${original.proposalHeading}`,
				`### ${original.levelHeading}`,
				...original.points.map((p, i) => `${i + 1}. ${p}`),
				`## ${original.motivationHeading}`,
				...original.motivation
			])
		).toBeNull();

		const html = new TextDecoder().decode((await exportDocument(sdYrkande(), 'html')).bytes);
		expect(
			firstOutOfOrder(html, [
				`<h1>${original.title}</h1>`,
				`<h2>${original.proposalHeading}</h2>`,
				`<h3>${original.levelHeading}</h3>`,
				...original.points.map((p, i) => `<span class="num">${i + 1}.</span><span>${p}</span>`),
				`<h2>${original.motivationHeading}</h2>`,
				...original.motivation.map((p) => `<p>${p}</p>`)
			])
		).toBeNull();
	});
});
