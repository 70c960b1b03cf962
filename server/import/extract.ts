import { Unzip, UnzipInflate } from 'fflate';
import mammoth from 'mammoth';
import { extractTextItems, getDocumentProxy } from 'unpdf';
import type { BaselineSourceKind } from '../../db/schema';

/**
 * From an uploaded file to the text the parser reads. PDF and DOCX are turned into the same shape
 * as pdftotext's output of the fixture: lines as set on the page, a blank line between paragraphs,
 * a form feed between pages, table cells one after the other. Then one parser serves all three.
 */

export class ExtractError extends Error {
	constructor(
		readonly code: 'empty' | 'binary' | 'encrypted' | 'unreadable_pdf' | 'unreadable_docx' | 'no_text' | 'too_large',
		message: string
	) {
		super(message);
		this.name = 'ExtractError';
	}
}

export interface Extracted {
	kind: BaselineSourceKind;
	text: string;
	pages?: number;
}

export function detectKind(bytes: Uint8Array): BaselineSourceKind {
	if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'docx'; // a zip container
	return 'text';
}

/**
 * The most text the parser is given: 1 MB, eight times the Göteborg budget case with all its
 * bilagor (130 kB). Parsing is synchronous and takes about a second per MB, during which the server
 * answers nobody; a longer text is refused before it is parsed.
 */
export const MAX_TEXT_BYTES = 1024 * 1024;
const tooMuchText = () =>
	new ExtractError(
		'too_large',
		'Filen innehåller för mycket text (högst 1 MB text). Ett tjänsteutlåtande med bilagor är sällan över några hundra kB; kontrollera att det är rätt fil.'
	);

export async function extractText(bytes: Uint8Array): Promise<Extracted> {
	if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
		throw new ExtractError('empty', 'Filen är tom.');
	}
	const kind = detectKind(bytes);
	let out: Extracted;
	if (kind === 'pdf') out = await extractPdf(bytes);
	else if (kind === 'docx') out = { kind, text: await extractDocx(bytes) };
	else {
		if (bytes.length > MAX_TEXT_BYTES) throw tooMuchText();
		out = { kind, text: decodeText(bytes) };
	}
	if (Buffer.byteLength(out.text) > MAX_TEXT_BYTES) throw tooMuchText();
	return out;
}

/** UTF-8, or Windows-1252 when it is not; refuses what is no text at all. */
export function decodeText(bytes: Uint8Array): string {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		text = new TextDecoder('windows-1252').decode(bytes);
	}
	const sample = text.slice(0, 20000);
	// eslint-disable-next-line no-control-regex
	const control = (sample.match(/[\u0000-\u0008\u000E-\u001F\uFFFD]/g) ?? []).length;
	if (control > Math.max(8, sample.length * 0.01)) {
		throw new ExtractError(
			'binary',
			'Filen är varken text, PDF eller DOCX. Ladda upp tjänsteutlåtandet som PDF, DOCX eller text.'
		);
	}
	if (!text.trim()) throw new ExtractError('empty', 'Filen är tom.');
	return text;
}

interface Item {
	str: string;
	x: number;
	y: number;
	width: number;
	fontSize: number;
	hasEOL: boolean;
}

async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
	let pages: Item[][];
	try {
		// pdf.js takes ownership of the buffer; give it a copy so the caller's stays usable.
		// verbosity 0: errors only; pdf.js would otherwise print its warnings about a file on stdout.
		const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
		pages = (await extractTextItems(pdf)).items;
	} catch (err) {
		const name = (err as { name?: string })?.name ?? '';
		if (name === 'PasswordException' || /password/i.test(String((err as Error)?.message))) {
			throw new ExtractError(
				'encrypted',
				'PDF-filen är lösenordsskyddad. Spara den utan lösenord och ladda upp den igen.'
			);
		}
		throw new ExtractError('unreadable_pdf', 'PDF-filen gick inte att läsa. Den kan vara skadad.');
	}
	const text = pages.map(pageText).join('\f');
	if (!text.replace(/\f/g, '').trim()) {
		throw new ExtractError(
			'no_text',
			'PDF-filen innehåller ingen text, bara bilder (till exempel en inskannad handling). Ladda upp en PDF med text eller en DOCX.'
		);
	}
	return { kind: 'pdf', text, pages: pages.length };
}

/**
 * Lines of a page in the order the PDF draws them, which for documents from Word is cell by cell
 * like pdftotext. A gap of more than a line and a half, or a jump back up the page (the next
 * table cell), becomes a blank line.
 */
export function pageText(items: Item[]): string {
	const lines: string[] = [];
	let cur = '';
	let curY: number | null = null;
	let curEnd = 0;
	let size = 10;
	let lastLineY: number | null = null;
	const push = () => {
		if (curY === null) return;
		if (lastLineY !== null) {
			const dy = lastLineY - curY;
			if (dy > size * 1.75 || dy < -size * 0.5) lines.push('');
		}
		lines.push(cur);
		lastLineY = curY;
		cur = '';
		curY = null;
	};
	for (const it of items) {
		if (it.fontSize > 0) size = it.fontSize;
		if (curY !== null && it.str && Math.abs(it.y - curY) > size * 0.4) push();
		if (it.str) {
			if (curY === null) {
				curY = it.y;
				cur = it.str;
			} else {
				const gap = it.x - curEnd;
				// A wide gap on one line separates table columns; keep it visible as two spaces.
				const sep =
					gap > size * 1.5 ? '  ' : gap > size * 0.15 && !cur.endsWith(' ') && !it.str.startsWith(' ') ? ' ' : '';
				cur += sep + it.str;
			}
			curEnd = it.x + it.width;
		}
		if (it.hasEOL) push();
	}
	push();
	return lines.join('\n');
}

/** What a DOCX may inflate to. A real ärende is a few MB; a zip bomb is refused before mammoth reads it. */
const MAX_DOCX_INFLATED_BYTES = 40 * 1024 * 1024;

/**
 * Inflates the zip once, counting and discarding the bytes, and stops at the cap: the declared sizes
 * in a zip can lie, the inflated bytes cannot.
 */
function refuseZipBomb(bytes: Uint8Array): void {
	let total = 0;
	let tooBig = false;
	const unzip = new Unzip((file) => {
		if (tooBig) return;
		if ((file.originalSize ?? 0) > MAX_DOCX_INFLATED_BYTES) {
			tooBig = true;
			return;
		}
		file.ondata = (err, chunk) => {
			if (err || tooBig) return;
			total += chunk.length;
			if (total > MAX_DOCX_INFLATED_BYTES) {
				tooBig = true;
				file.terminate();
			}
		};
		file.start();
	});
	unzip.register(UnzipInflate);
	try {
		unzip.push(bytes, true);
	} catch {
		// A broken zip is mammoth's to report, with its own message.
	}
	if (tooBig) {
		throw new ExtractError(
			'too_large',
			'DOCX-filen packas upp till mer än 40 MB och kan inte läsas in. Kontrollera att det är rätt fil.'
		);
	}
}

async function extractDocx(bytes: Uint8Array): Promise<string> {
	refuseZipBomb(bytes);
	let html: string;
	try {
		html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
	} catch {
		throw new ExtractError(
			'unreadable_docx',
			'Filen gick inte att läsa som DOCX. Spara den som .docx i Word och försök igen.'
		);
	}
	const text = htmlToText(html);
	if (!text.trim()) throw new ExtractError('no_text', 'DOCX-filen innehåller ingen text.');
	return text;
}

/**
 * Mammoth's HTML as pdftotext would have written the same document: paragraphs apart, list items
 * with bullets, and tables as the PDF shows them: a two-column table of running text (uppdrag and
 * their plan) as narrow and wide cells one after the other, other tables one line per row.
 */
export function htmlToText(html: string): string {
	const out: string[] = [];
	const tokens = html.split(/(<[^>]+>)/).filter(Boolean);
	let text = '';
	let listDepth = 0;
	let table: string[][] | null = null;
	let row: string[] | null = null;
	let cell: string[] | null = null;
	const flushPara = () => {
		const t = decode(text).replace(/\s+/g, ' ').trim();
		if (t === '•') return; // a paragraph opening inside a list item: the bullet waits for its text
		text = '';
		if (!t) return;
		if (cell) cell.push(t);
		else out.push(t, '');
	};
	for (const tok of tokens) {
		const m = /^<(\/?)([a-zA-Z0-9]+)/.exec(tok);
		if (!m) {
			text += tok;
			continue;
		}
		const [, close, rawName] = m;
		const name = rawName.toLowerCase();
		if (name === 'br') {
			text += '\n';
		} else if (['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(name)) {
			if (close) flushPara();
			else flushPara();
		} else if (name === 'li') {
			if (!close) {
				flushPara();
				text = listDepth > 0 ? '• ' : '';
			} else flushPara();
		} else if (name === 'ul' || name === 'ol') {
			flushPara();
			listDepth += close ? -1 : 1;
		} else if (name === 'table') {
			flushPara();
			if (!close) table = [];
			else if (table) {
				out.push(...tableText(table));
				table = null;
			}
		} else if (name === 'tr') {
			if (!close) row = [];
			else if (row && table) {
				table.push(row);
				row = null;
			}
		} else if (name === 'td' || name === 'th') {
			if (!close) cell = [];
			else {
				flushPara();
				if (row && cell) row.push(cell.join('\n'));
				cell = null;
			}
		}
	}
	flushPara();
	return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function tableText(rows: string[][]): string[] {
	const out: string[] = [];
	const twoColumnProse =
		rows.length > 0 && rows.every((r) => r.length <= 2) && rows.some((r) => (r[0] ?? '').length > 60);
	for (const r of rows) {
		if (twoColumnProse && r.length === 2 && r[0].length > 60) {
			// As on the page: the wide cell wrapped in its column, then the narrow one in its own.
			out.push(...wrap(r[0], 62), '');
			if (r[1]) out.push(...wrap(r[1], 26), '');
		} else {
			out.push(
				r
					.map((c) => c.replace(/\n/g, ' '))
					.join('  ')
					.trim(),
				''
			);
		}
	}
	return out;
}

function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	for (const para of text.split('\n')) {
		let line = '';
		for (const word of para.split(/\s+/).filter(Boolean)) {
			if (line && line.length + 1 + word.length > width) {
				lines.push(line);
				line = word;
			} else line = line ? `${line} ${word}` : word;
		}
		if (line) lines.push(line);
	}
	return lines;
}

function decode(s: string): string {
	return s
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
		.replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
		.replace(/&amp;/g, '&');
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
	return magic.every((b, i) => bytes[i] === b);
}
