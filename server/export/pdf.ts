import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { DRAFT_MARK, type Inline, type Layout, type LayoutBlock } from './layout';

/**
 * PDF with DejaVu Sans embedded (as a TrueType subset): the reader's machine need not have any font,
 * and å ä ö é – “ ” all print. pdfkit's standard fonts would only be referenced, never embedded.
 */

const require = createRequire(import.meta.url);
const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontFiles = {
	regular: 'DejaVuSans.ttf',
	bold: 'DejaVuSans-Bold.ttf',
	italic: 'DejaVuSans-Oblique.ttf',
	boldItalic: 'DejaVuSans-BoldOblique.ttf'
} as const;
type FontName = keyof typeof fontFiles;

let fontCache: Record<FontName, Buffer> | undefined;
/** Read once per process: a server renders many documents. */
function fontBytes(): Record<FontName, Buffer> {
	fontCache ??= Object.fromEntries(
		Object.entries(fontFiles).map(([name, file]) => [name, readFileSync(join(fontDir, file))])
	) as Record<FontName, Buffer>;
	return fontCache;
}

/**
 * Parsed per document: fontkit caches glyphs on the font object, and a font shared between documents
 * was seen to hand a later document wrong text mappings (its "A" extracted as U+000E).
 */
function parseFonts(): [FontName, fontkit.Font][] {
	return Object.entries(fontBytes()).map(([name, bytes]) => {
		const font = fontkit.create(bytes);
		if (!('layout' in font)) throw new Error(`${name} is a font collection, not a font`);
		return [name as FontName, font];
	});
}

const MARGIN = 70;
const SIZE = { body: 10.5, note: 8.5, table: 8, letterheadBody: 14, letterhead: 9.5 };
const HEADING = { 1: 16, 2: 13, 3: 11, 4: 10.5 } as const;
const INDENT = 22;
/** Nested lists and quotes stop indenting here, so the deepest text still has room on the line. */
const MIN_WIDTH = 180;
const COLOR = { text: '#000000', note: '#555555', ins: '#1b5e20', del: '#a00000', draft: '#c00000' };

type Doc = PDFKit.PDFDocument;

function fontOf(r: { bold?: boolean; italic?: boolean }): FontName {
	return r.bold ? (r.italic ? 'boldItalic' : 'bold') : r.italic ? 'italic' : 'regular';
}

/** Keeps a heading or a point's first line off the bottom of a page. */
function ensureRoom(doc: Doc, height: number) {
	if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Writes runs as one paragraph; revisions are coloured and underlined or struck, so they survive greyscale. */
function writeRuns(
	doc: Doc,
	runs: readonly Inline[],
	opts: { x: number; width: number; size: number; color?: string; y?: number }
) {
	const visible = runs.filter((r) => r.text.length > 0);
	if (visible.length === 0) {
		doc.moveDown(0.5);
		return;
	}
	doc.fontSize(opts.size);
	visible.forEach((r, i) => {
		const color = r.revision ? COLOR[r.revision.kind] : (opts.color ?? COLOR.text);
		doc.font(fontOf(r)).fillColor(color);
		const options: PDFKit.Mixins.TextOptions = {
			continued: i < visible.length - 1,
			underline: r.revision?.kind === 'ins',
			strike: r.strike === true || r.revision?.kind === 'del',
			lineGap: 2,
			paragraphGap: i < visible.length - 1 ? 0 : 5
		};
		if (i === 0) doc.text(r.text, opts.x, opts.y ?? doc.y, { ...options, width: opts.width });
		else doc.text(r.text, options);
	});
	doc.fillColor(COLOR.text);
}

function letterhead(doc: Doc, b: Extract<LayoutBlock, { type: 'letterhead' }>, width: number) {
	const top = doc.y;
	const half = width / 2;
	doc.font('bold').fontSize(SIZE.letterheadBody).fillColor(COLOR.text);
	doc.text(b.body, MARGIN, top, { width: half - 10 });
	const leftBottom = doc.y;
	doc.y = top;
	for (const line of b.lines) {
		doc
			.font(line.bold ? 'bold' : 'regular')
			.fontSize(line.text === DRAFT_MARK ? 12 : SIZE.letterhead)
			.fillColor(line.text === DRAFT_MARK ? COLOR.draft : COLOR.text);
		doc.text(line.text, MARGIN + half, doc.y, { width: half, lineGap: 1 });
	}
	doc.fillColor(COLOR.text);
	doc.x = MARGIN;
	doc.y = Math.max(leftBottom, doc.y) + 24;
}

function table(doc: Doc, b: Extract<LayoutBlock, { type: 'table' }>, x: number, width: number) {
	const n = b.columns.length;
	const first = n > 1 ? width * 0.3 : width;
	doc.font('regular').fontSize(SIZE.table).fillColor(COLOR.text);
	ensureRoom(doc, 60);
	doc.table({
		position: { x, y: doc.y },
		maxWidth: width,
		columnStyles: (i: number) => ({ width: i === 0 ? first : (width - first) / (n - 1) }),
		defaultStyle: { padding: [3, 3, 3, 3], border: 0.5, borderColor: '#888888' },
		data: [
			b.columns.map((text) => ({ text, font: { src: 'bold' }, backgroundColor: '#eeeeee', type: 'TH' as const })),
			...b.rows
		]
	});
	doc.x = MARGIN;
	doc.moveDown(0.8);
}

function blocks(doc: Doc, list: readonly LayoutBlock[], x: number, width: number) {
	for (const b of list) {
		switch (b.type) {
			case 'letterhead':
				letterhead(doc, b, width);
				break;
			case 'heading': {
				const size = HEADING[b.level];
				ensureRoom(doc, size * 5);
				doc.moveDown(b.level <= 2 ? 0.6 : 0.3);
				doc
					.font(b.level === 4 ? 'boldItalic' : 'bold')
					.fontSize(size)
					.fillColor(COLOR.text);
				if (b.level <= 2) doc.outline.addItem(b.text);
				doc.text(b.text, x, doc.y, { width, paragraphGap: 4 });
				break;
			}
			case 'paragraph':
				writeRuns(doc, b.runs, {
					x,
					width,
					size: b.tone === 'note' ? SIZE.note : SIZE.body,
					color: b.tone === 'note' ? COLOR.note : undefined
				});
				break;
			case 'point': {
				ensureRoom(doc, SIZE.body * 3);
				const y = doc.y;
				doc.font('regular').fontSize(SIZE.body).fillColor(COLOR.text);
				doc.text(b.number, x, y, { width: INDENT, lineBreak: false });
				writeRuns(doc, b.runs, { x: x + INDENT, y, width: width - INDENT, size: SIZE.body });
				break;
			}
			case 'list':
				b.items.forEach((item, i) => {
					ensureRoom(doc, SIZE.body * 2);
					const y = doc.y;
					doc.font('regular').fontSize(SIZE.body).fillColor(COLOR.text);
					doc.text(b.ordered ? `${i + 1}.` : '–', x, y, { width: INDENT, lineBreak: false });
					doc.y = y;
					const step = width - INDENT >= MIN_WIDTH ? INDENT : 0;
					blocks(doc, item, x + step, width - step);
				});
				break;
			case 'quote': {
				const page = doc.bufferedPageRange().count;
				const top = doc.y;
				const step = width - 2 * INDENT >= MIN_WIDTH ? 2 * INDENT : 0;
				blocks(doc, b.children, x + step, width - step);
				// The rule beside a quote only where it did not cross a page.
				if (step > 0 && doc.bufferedPageRange().count === page) {
					doc
						.moveTo(x + INDENT, top)
						.lineTo(x + INDENT, doc.y - 5)
						.lineWidth(1.5)
						.strokeColor('#bbbbbb')
						.stroke();
				}
				break;
			}
			case 'legend':
				writeRuns(
					doc,
					[
						{ text: 'Struken text', revision: { kind: 'del', author: '' } },
						{ text: ' föreslås utgå. ' },
						{ text: 'Understruken text', revision: { kind: 'ins', author: '' } },
						{ text: ' föreslås tillkomma.' }
					],
					{ x, width, size: SIZE.note, color: COLOR.note }
				);
				break;
			case 'table':
				table(doc, b, x, width);
				break;
			case 'signatures':
				doc.moveDown(1.5);
				for (const group of b.groups) {
					// A party's name and its signatories on one page.
					ensureRoom(doc, SIZE.body * (2 + (group.names.length + 1) * 1.6));
					if (group.party) {
						doc.font('bold').fontSize(SIZE.body).fillColor(COLOR.text);
						doc.text(group.party, x, doc.y, { width, lineGap: 2 });
					}
					doc.font('regular').fontSize(SIZE.body).fillColor(COLOR.text);
					for (const name of group.names) doc.text(name, x, doc.y, { width, lineGap: 2 });
					doc.moveDown(0.8);
				}
				break;
			case 'pageBreak':
				doc.addPage();
				break;
		}
	}
}

/** Page numbers, and "UTKAST" on every page of a draft; drawn in the margins once the pages exist. */
function decoratePages(doc: Doc, draft: boolean) {
	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		const { width, height, margins } = doc.page;
		const bottom = margins.bottom;
		// Text below the bottom margin would otherwise start a new page.
		doc.page.margins.bottom = 0;
		doc.font('regular').fontSize(SIZE.note).fillColor(COLOR.note);
		doc.text(`Sida ${i + 1 - range.start} av ${range.count}`, MARGIN, height - bottom + 24, {
			width: width - 2 * MARGIN,
			align: 'right',
			lineBreak: false
		});
		if (draft) {
			doc.font('bold').fontSize(12).fillColor(COLOR.draft);
			doc.text(DRAFT_MARK, MARGIN, 30, { width: width - 2 * MARGIN, align: 'right', lineBreak: false });
		}
		doc.page.margins.bottom = bottom;
	}
	doc.fillColor(COLOR.text);
}

export function renderPdf(layout: Layout): Promise<Uint8Array> {
	const files = parseFonts();
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
		// The default would be Helvetica, which is never embedded; it stays unused and unwritten.
		font: join(fontDir, fontFiles.regular),
		bufferPages: true,
		lang: 'sv-SE',
		displayTitle: true,
		info: {
			Title: layout.draft ? `${DRAFT_MARK}: ${layout.title}` : layout.title,
			Author: layout.author,
			Subject: layout.subject,
			Keywords: layout.id,
			Creator: 'Yrka',
			Producer: 'Yrka',
			// Fixed from the model: pdfkit derives the file's /ID from these, so the bytes repeat.
			CreationDate: layout.timestamp,
			ModDate: layout.timestamp
		}
	});
	// pdfkit takes a parsed fontkit font where its types say a path or bytes. The family name matters:
	// pdfkit's tables switch back to the previous font by source and family, and without a family
	// name each switch would parse the font file anew.
	for (const [name, font] of files) doc.registerFont(name, font as unknown as Buffer, name);
	const chunks: Buffer[] = [];
	const done = new Promise<Uint8Array>((resolve, reject) => {
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});
	doc.font('regular');
	blocks(doc, layout.blocks, MARGIN, doc.page.width - 2 * MARGIN);
	decoratePages(doc, layout.draft);
	doc.end();
	return done;
}
