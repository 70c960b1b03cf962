import { strFromU8, unzipSync } from 'fflate';
import { extractText } from 'unpdf';

/** Reading exported files back, the way a clerk's software would see them. */

export function docxParts(bytes: Uint8Array): Record<string, string> {
	const files = unzipSync(bytes);
	return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

const unescapeXml = (s: string) =>
	s.replace(
		/&(lt|gt|amp|quot|apos);/g,
		(_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string
	);

export interface DocxRevision {
	kind: 'ins' | 'del';
	id: string;
	author: string;
	date: string;
	text: string;
}

export interface DocxParagraph {
	style: string | null;
	/** all text, deleted text included, tabs as \t */
	text: string;
	/** the text as it reads once every change is accepted */
	accepted: string;
	/** the text as it reads once every change is rejected */
	rejected: string;
	revisions: DocxRevision[];
	/** the paragraph mark's own tracked change (w:pPr/w:rPr/w:ins or w:del): the break was inserted or removed */
	mark: DocxRevision | null;
}

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? '';

/** The paragraphs of word/document.xml in order, table cells included, with their tracked changes. */
export function docxParagraphs(documentXml: string): DocxParagraph[] {
	const body = documentXml.slice(documentXml.indexOf('<w:body>'));
	const out: DocxParagraph[] = [];
	for (const p of body.matchAll(/<w:p(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/w:p>)/g)) {
		const inner = p[1] ?? '';
		const style = /<w:pStyle w:val="([^"]+)"/.exec(inner)?.[1] ?? null;
		const pPr = /^<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(inner)?.[1] ?? '';
		const markTag = /<w:rPr>[\s\S]*?(<w:(ins|del)\s[^>]*\/>)[\s\S]*?<\/w:rPr>/.exec(pPr);
		const mark: DocxRevision | null = markTag
			? {
					kind: markTag[2] as 'ins' | 'del',
					id: attr(markTag[1], 'w:id'),
					author: unescapeXml(attr(markTag[1], 'w:author')),
					date: attr(markTag[1], 'w:date'),
					text: ''
				}
			: null;
		const revisions: DocxRevision[] = [];
		let text = '';
		let accepted = '';
		let rejected = '';
		// Walk the paragraph's runs, noting whether each one sits inside w:ins or w:del.
		const tokens = inner.matchAll(
			/<w:(ins|del)\s[^>]*[^/]>|<\/w:(ins|del)>|<w:(t|delText)(?:\s[^>]*)?>([^<]*)<\/w:(?:t|delText)>|<w:tab\/>|<w:br\/>/g
		);
		let open: DocxRevision | null = null;
		for (const t of tokens) {
			if (t[1]) {
				open = {
					kind: t[1] as 'ins' | 'del',
					id: attr(t[0], 'w:id'),
					author: unescapeXml(attr(t[0], 'w:author')),
					date: attr(t[0], 'w:date'),
					text: ''
				};
				revisions.push(open);
				continue;
			}
			if (t[2]) {
				open = null;
				continue;
			}
			const piece = t[3] ? unescapeXml(t[4]) : t[0] === '<w:tab/>' ? '\t' : '\n';
			text += piece;
			if (open) open.text += piece;
			if (open?.kind !== 'del') accepted += piece;
			if (open?.kind !== 'ins') rejected += piece;
		}
		out.push({ style, text, accepted, rejected, revisions, mark });
	}
	return out;
}

/**
 * The paragraphs as Word's "Accept all" or "Reject all" leaves them: a paragraph whose mark is
 * removed by it (a deleted mark accepted, an inserted mark rejected) runs on into the next one.
 */
export function afterAll(paragraphs: readonly DocxParagraph[], action: 'accept' | 'reject'): string[] {
	const out: string[] = [];
	let carry = '';
	for (const p of paragraphs) {
		const text = carry + (action === 'accept' ? p.accepted : p.rejected);
		const markGoes = p.mark?.kind === (action === 'accept' ? 'del' : 'ins');
		if (markGoes) carry = text;
		else {
			out.push(text);
			carry = '';
		}
	}
	if (carry) out.push(carry);
	return out;
}

/** The PDF's text in reading order, whitespace collapsed so wrapped lines compare as running text. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
	const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
	return text.replace(/\s+/g, ' ').trim();
}

/** Asserts the needles occur in the haystack in this order; returns the first one out of place. */
export function firstOutOfOrder(haystack: string, needles: readonly string[]): string | null {
	let at = 0;
	for (const n of needles) {
		const i = haystack.indexOf(n, at);
		if (i < 0) return n;
		at = i + n.length;
	}
	return null;
}

/**
 * The running text without the page furniture (page numbers, the UTKAST mark), which the PDF draws
 * on each page and so sits between the two halves of a paragraph that crosses a page.
 */
export async function pdfBodyText(bytes: Uint8Array): Promise<string> {
	const { text } = await extractText(new Uint8Array(bytes), { mergePages: false });
	return text
		.map((page) => page.replace(/Sida \d+ av \d+/g, ' ').replace(/UTKAST/g, ' '))
		.join(' ')
		.replace(/\s+/g, ' ')
		.trim();
}

export interface PdfFontInfo {
	baseFont: string;
	/** the object number of the embedded TrueType program, when there is one */
	fontFile2: number | null;
	/** its stream's /Length */
	fontFileLength: number;
}

/** The fonts a PDF uses: every descriptor and whether it points at an embedded TrueType program. */
export function pdfFonts(bytes: Uint8Array): { fonts: PdfFontInfo[]; baseFonts: string[] } {
	const raw = Buffer.from(bytes).toString('latin1');
	const objects = new Map<number, string>();
	for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]);
	const fonts: PdfFontInfo[] = [];
	for (const body of objects.values()) {
		if (!/\/Type \/FontDescriptor/.test(body)) continue;
		const ref = /\/FontFile2 (\d+) 0 R/.exec(body);
		const file = ref ? objects.get(Number(ref[1])) : undefined;
		fonts.push({
			baseFont: /\/FontName \/(\S+)/.exec(body)?.[1] ?? '',
			fontFile2: ref ? Number(ref[1]) : null,
			fontFileLength: Number(/\/Length (\d+)/.exec(file ?? '')?.[1] ?? 0)
		});
	}
	const baseFonts = [...raw.matchAll(/\/BaseFont \/(\S+)/g)].map((m) => m[1]);
	return { fonts, baseFonts };
}

/**
 * The text of an ODT (LibreOffice's own model of a converted DOCX) as LibreOffice's "Accept all" or
 * "Reject all" would leave it, one string per paragraph. Tracked changes in ODF: an insertion is the
 * content between text:change-start and text:change-end (paragraph breaks included); a deletion is
 * kept in text:tracked-changes and stands at a text:change marker, its paragraphs joined by breaks.
 */
export function odtAfterAll(contentXml: string, action: 'accept' | 'reject'): string[] {
	const SEP = '\u0000';
	const flat = (xml: string) =>
		unescapeXml(
			xml
				.replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_m, n?: string) => ' '.repeat(Number(n ?? 1)))
				.replace(/<text:tab\/>/g, '\t')
				.replace(/<text:line-break\/>/g, '\n')
				.replace(/<text:change-start text:change-id="([^"]+)"\/>/g, `${SEP}s:$1${SEP}`)
				.replace(/<text:change-end text:change-id="([^"]+)"\/>/g, `${SEP}e:$1${SEP}`)
				.replace(/<text:change text:change-id="([^"]+)"\/>/g, `${SEP}c:$1${SEP}`)
				.replace(/<\/text:(?:p|h)>/g, '¶')
				.replace(/<[^>]+>/g, '')
		);
	const deletions = new Map<string, string>();
	for (const m of contentXml.matchAll(
		/<text:changed-region[^>]*text:id="([^"]+)"[^>]*>\s*<text:deletion>([\s\S]*?)<\/text:deletion>/g
	)) {
		const body = m[2].replace(/<office:change-info>[\s\S]*?<\/office:change-info>/, '');
		// n paragraphs in a deletion hold n − 1 paragraph breaks.
		deletions.set(m[1], flat(body).replace(/¶$/, ''));
	}
	const text = contentXml.slice(contentXml.indexOf('<office:text'), contentXml.indexOf('</office:text>'));
	let s = flat(text.replace(/<text:tracked-changes[\s\S]*?<\/text:tracked-changes>/, ''));
	if (action === 'accept') {
		s = s.replace(new RegExp(`${SEP}[sec]:[^${SEP}]*${SEP}`, 'g'), '');
	} else {
		s = s
			.replace(new RegExp(`${SEP}s:([^${SEP}]*)${SEP}[\\s\\S]*?${SEP}e:\\1${SEP}`, 'g'), '')
			.replace(new RegExp(`${SEP}c:([^${SEP}]*)${SEP}`, 'g'), (_m, id: string) => deletions.get(id) ?? '');
	}
	return s.split('¶').slice(0, -1);
}
