import {
	AlignmentType,
	BorderStyle,
	DeletedTextRun,
	Document,
	Footer,
	Header,
	HeadingLevel,
	InsertedTextRun,
	Packer,
	PageBreak,
	PageNumber,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TabStopType,
	TextRun,
	WidthType,
	type ParagraphChild
} from 'docx';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { DRAFT_MARK, LEGEND_TEXT_DOCX, type Inline, type Layout, type LayoutBlock, type Revision } from './layout';

/**
 * DOCX with Word's own tracked changes (w:ins / w:del) for amendments, so the clerk can accept or
 * reject each one in Word or LibreOffice. Numbers of points are plain text rather than Word lists:
 * the protocol quotes them, and a list field renumbering itself in the clerk's Word would not.
 */

const FONT = 'Arial';
/** A4 with 25 mm margins; the text width in twentieths of a point. */
const PAGE = { width: 11906, height: 16838, margin: 1418 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const HANGING = 425;
const noBorder = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: noBorder, bottom: noBorder, left: noBorder, right: noBorder };

const headingLevels = {
	1: HeadingLevel.HEADING_1,
	2: HeadingLevel.HEADING_2,
	3: HeadingLevel.HEADING_3,
	4: HeadingLevel.HEADING_4
} as const;

type Change = { id: number; author: string; date: string };

interface Ctx {
	timestamp: string;
	nextId: number;
}

/** Word's date for revisions: ISO 8601 without milliseconds. */
const wordDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function runs(inlines: readonly Inline[], ctx: Ctx, base: { size?: number; color?: string } = {}): ParagraphChild[] {
	const out: ParagraphChild[] = [];
	for (const r of inlines) {
		// A hard break inside a run is a w:br, not a new paragraph.
		r.text.split('\n').forEach((part, i) => {
			const options = {
				text: part,
				...(i > 0 ? { break: 1 } : {}),
				...(r.bold ? { bold: true } : {}),
				...(r.italic ? { italics: true } : {}),
				...(r.strike ? { strike: true } : {}),
				...base
			};
			if (!r.revision) out.push(new TextRun(options));
			else {
				const revision = { id: ctx.nextId++, author: r.revision.author, date: ctx.timestamp };
				out.push(
					r.revision.kind === 'ins'
						? new InsertedTextRun({ ...options, ...revision })
						: new DeletedTextRun({ ...options, ...revision })
				);
			}
		});
	}
	return out;
}

/**
 * A paragraph whose break is inserted or deleted carries the revision on its paragraph mark
 * (w:pPr/w:rPr/w:ins or w:del): without it, rejecting an inserted paragraph's text would leave an
 * empty paragraph behind, and accepting a struck one would too.
 */
function paragraphMark(mark: Revision | undefined, ctx: Ctx): { run?: { insertion?: Change; deletion?: Change } } {
	if (!mark) return {};
	const change = { id: ctx.nextId++, author: mark.author, date: ctx.timestamp };
	return { run: mark.kind === 'ins' ? { insertion: change } : { deletion: change } };
}

function letterhead(block: Extract<LayoutBlock, { type: 'letterhead' }>, ctx: Ctx): Table {
	const cell = (children: Paragraph[], width: number) =>
		new TableCell({ children, width: { size: width, type: WidthType.DXA }, borders: noBorders });
	const left = Math.round(TEXT_WIDTH * 0.5);
	return new Table({
		width: { size: TEXT_WIDTH, type: WidthType.DXA },
		columnWidths: [left, TEXT_WIDTH - left],
		borders: { ...noBorders, insideHorizontal: noBorder, insideVertical: noBorder },
		rows: [
			new TableRow({
				children: [
					cell([new Paragraph({ children: [new TextRun({ text: block.body, bold: true, size: 28 })] })], left),
					cell(
						block.lines.map(
							(line) =>
								new Paragraph({
									spacing: { after: 0 },
									children: runs(
										[line],
										ctx,
										line.text === DRAFT_MARK ? { color: 'C00000' } : { size: line.bold ? 22 : 20 }
									)
								})
						),
						TEXT_WIDTH - left
					)
				]
			})
		]
	});
}

function table(block: Extract<LayoutBlock, { type: 'table' }>): Table {
	const n = block.columns.length;
	// Nine parties' columns must hold "Avslag" unbroken: a narrow first column, small text, thin cell margins.
	const first = n > 1 ? Math.round(TEXT_WIDTH * 0.22) : TEXT_WIDTH;
	const rest = n > 1 ? Math.floor((TEXT_WIDTH - first) / (n - 1)) : 0;
	const widths = block.columns.map((_c, i) => (i === 0 ? first : rest));
	const row = (cells: string[], header: boolean) =>
		new TableRow({
			tableHeader: header,
			cantSplit: true,
			children: cells.map(
				(text, i) =>
					new TableCell({
						width: { size: widths[i], type: WidthType.DXA },
						margins: { left: 40, right: 40, top: 20, bottom: 20 },
						children: [
							new Paragraph({
								spacing: { after: 0, line: 240 },
								children: [new TextRun({ text, bold: header, size: 16 })]
							})
						]
					})
			)
		});
	return new Table({
		width: { size: TEXT_WIDTH, type: WidthType.DXA },
		columnWidths: widths,
		rows: [row(block.columns, true), ...block.rows.map((r) => row(r, false))]
	});
}

/** Nested lists and quotes stop indenting at half the text width. */
const MAX_INDENT = Math.round(TEXT_WIDTH / 2);
const deeper = (indent: number, step: number) => Math.min(indent + step, MAX_INDENT);

function blocks(list: readonly LayoutBlock[], ctx: Ctx, indent = 0): (Paragraph | Table)[] {
	const out: (Paragraph | Table)[] = [];
	const indentOf = (extra = 0) => (indent || extra ? { indent: { left: indent + extra } } : {});
	for (const b of list) {
		switch (b.type) {
			case 'letterhead':
				out.push(letterhead(b, ctx), new Paragraph({ children: [] }));
				break;
			case 'heading':
				out.push(new Paragraph({ heading: headingLevels[b.level], children: [new TextRun(b.text)] }));
				break;
			case 'paragraph':
				out.push(
					new Paragraph({
						...indentOf(),
						...paragraphMark(b.mark, ctx),
						children: runs(b.runs, ctx, b.tone === 'note' ? { size: 18, color: '555555' } : {})
					})
				);
				break;
			case 'point':
				out.push(
					new Paragraph({
						indent: { left: indent + HANGING, hanging: HANGING },
						tabStops: [{ type: TabStopType.LEFT, position: indent + HANGING }],
						children: [new TextRun(`${b.number}\t`), ...runs(b.runs, ctx)]
					})
				);
				break;
			case 'list':
				b.items.forEach((item, i) => {
					const mark = b.ordered ? `${i + 1}.` : '–';
					const [first, ...more] = item;
					const firstRuns = first && first.type === 'paragraph' ? first.runs : [];
					out.push(
						new Paragraph({
							indent: { left: indent + HANGING, hanging: HANGING },
							tabStops: [{ type: TabStopType.LEFT, position: indent + HANGING }],
							children: [new TextRun(`${mark}\t`), ...runs(firstRuns, ctx)]
						})
					);
					const rest = first && first.type !== 'paragraph' ? item : more;
					out.push(...blocks(rest, ctx, deeper(indent, HANGING)));
				});
				break;
			case 'quote':
				out.push(...blocks(b.children, ctx, deeper(indent, 2 * HANGING)));
				break;
			case 'legend':
				out.push(
					new Paragraph({
						...indentOf(),
						children: [new TextRun({ text: LEGEND_TEXT_DOCX, size: 18, color: '555555' })]
					})
				);
				break;
			case 'table':
				out.push(table(b), new Paragraph({ children: [] }));
				break;
			case 'signatures':
				b.groups.forEach((group, g) => {
					const lines = [
						...(group.party ? [{ text: group.party, bold: true }] : []),
						...group.names.map((text) => ({ text }))
					];
					lines.forEach((line, i) =>
						out.push(
							new Paragraph({
								keepNext: i < lines.length - 1,
								spacing: { before: i > 0 ? 0 : g === 0 ? 480 : 240, after: 0 },
								children: [new TextRun(line)]
							})
						)
					);
				});
				break;
			case 'pageBreak':
				out.push(new Paragraph({ children: [new PageBreak()] }));
				break;
		}
	}
	return out;
}

const xmlEscape = (s: string) =>
	s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** docx stamps the time of rendering into core.xml; ours carries the model's date instead. */
function coreXml(layout: Layout, timestamp: string): string {
	return (
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
		'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
		'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
		'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
		`<dc:title>${xmlEscape(layout.title)}</dc:title>` +
		`<dc:subject>${xmlEscape(layout.subject)}</dc:subject>` +
		`<dc:creator>${xmlEscape(layout.author)}</dc:creator>` +
		`<dc:identifier>${xmlEscape(layout.id)}</dc:identifier>` +
		'<dc:language>sv-SE</dc:language>' +
		`<cp:lastModifiedBy>${xmlEscape(layout.author)}</cp:lastModifiedBy>` +
		'<cp:revision>1</cp:revision>' +
		(layout.draft ? `<cp:contentStatus>${DRAFT_MARK}</cp:contentStatus>` : '') +
		`<dcterms:created xsi:type="dcterms:W3CDTF">${timestamp}</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">${timestamp}</dcterms:modified>` +
		'</cp:coreProperties>'
	);
}

/**
 * Zips the parts again with one fixed time on every entry. A zip entry holds local wall-clock time,
 * so the date is built from its own parts: the bytes then do not depend on the server's time zone.
 */
function reproducibleZip(bytes: Uint8Array, at: Date): Uint8Array {
	const files = unzipSync(bytes);
	const mtime = new Date(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), 0, 0, 0);
	// [Content_Types].xml first, as Word writes it; some readers look for it there.
	const names = Object.keys(files).sort((a, b) =>
		a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0
	);
	const entries: Zippable = {};
	for (const name of names) entries[name] = [files[name], { mtime }];
	return zipSync(entries, { level: 6 });
}

export async function renderDocx(layout: Layout): Promise<Uint8Array> {
	const timestamp = wordDate(layout.timestamp);
	const ctx: Ctx = { timestamp, nextId: 1 };
	const children = blocks(layout.blocks, ctx);
	const draftHeader = layout.draft
		? {
				headers: {
					default: new Header({
						children: [
							new Paragraph({
								alignment: AlignmentType.RIGHT,
								children: [new TextRun({ text: DRAFT_MARK, bold: true, color: 'C00000', size: 24 })]
							})
						]
					})
				}
			}
		: {};
	const document = new Document({
		title: layout.title,
		subject: layout.subject,
		creator: layout.author,
		lastModifiedBy: layout.author,
		styles: {
			default: {
				document: {
					run: { font: FONT, size: 22, language: { value: 'sv-SE' } },
					paragraph: { spacing: { after: 120, line: 276 } }
				},
				heading1: {
					run: { font: FONT, size: 30, bold: true, color: '000000' },
					paragraph: { spacing: { before: 240, after: 160 } }
				},
				heading2: {
					run: { font: FONT, size: 26, bold: true, color: '000000' },
					paragraph: { spacing: { before: 240, after: 80 } }
				},
				heading3: {
					run: { font: FONT, size: 22, bold: true, color: '000000' },
					paragraph: { spacing: { before: 200, after: 60 } }
				},
				heading4: {
					run: { font: FONT, size: 22, bold: true, italics: true, color: '000000' },
					paragraph: { spacing: { before: 160, after: 60 } }
				}
			}
		},
		sections: [
			{
				properties: {
					page: {
						size: { width: PAGE.width, height: PAGE.height },
						margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin }
					}
				},
				...draftHeader,
				footers: {
					default: new Footer({
						children: [
							new Paragraph({
								alignment: AlignmentType.RIGHT,
								children: [
									new TextRun({ children: ['Sida ', PageNumber.CURRENT, ' av ', PageNumber.TOTAL_PAGES], size: 18 })
								]
							})
						]
					})
				},
				children
			}
		]
	});
	const packed = await Packer.toBuffer(document, false, [
		{ path: 'docProps/core.xml', data: coreXml(layout, timestamp) }
	]);
	return reproducibleZip(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), layout.timestamp);
}
