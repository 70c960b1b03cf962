/**
 * What PDF text extraction leaves behind, undone before the structure is read: page breaks (a form
 * feed, or a line that starts with a space as pdftotext writes the first line of a page), repeated
 * page headers and page numbers, words hyphenated over lines, stray spaces, and lines wrapped inside
 * paragraphs. The result is a list of blocks: runs of lines between blank lines.
 */

export interface Line {
	/** 1-based line number in the source text */
	no: number;
	/** the line as extracted, trailing spaces kept: "miljö- " and "SLK-" join differently */
	raw: string;
	/** trimmed, inner whitespace collapsed */
	text: string;
	/** first line of a page */
	page: boolean;
}

export type Block = Line[];

const PAGE_NUMBER = /^(sida\s+)?\d{1,3}(\s*(\(\s*\d{1,3}\s*\)|av\s+\d{1,3}|\/\s*\d{1,3}))?$/i;

/** Unicode and whitespace clean-up that never changes what a reader sees. */
export function normalizeText(input: string): string {
	return (
		input
			.replace(/^\uFEFF/, '')
			.replace(/\r\n?/g, '\n')
			.replace(/[\u00A0\u2007\u202F]/g, ' ')
			.replace(/\t/g, ' ')
			// soft hyphens and zero-width characters are invisible in the PDF and break words here
			.replace(/[\u00AD\u200B-\u200D\u2060]/g, '')
			.replace(/\uFB01/g, 'fi')
			.replace(/\uFB02/g, 'fl')
			.replace(/\uFB00/g, 'ff')
			// other control characters than newline and form feed are extraction debris
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '')
	);
}

/** Lines with page starts marked; blank lines are null. */
export function toLines(input: string): (Line | null)[] {
	const out: (Line | null)[] = [];
	let pendingPage = true;
	const rawLines = normalizeText(input).split('\n');
	for (let i = 0; i < rawLines.length; i++) {
		const parts = rawLines[i].split('\f');
		for (let p = 0; p < parts.length; p++) {
			if (p > 0) pendingPage = true;
			const raw = parts[p];
			const text = raw.trim().replace(/\s+/g, ' ');
			if (!text) {
				out.push(null);
				continue;
			}
			// pdftotext writes the first line of each page with a leading space.
			const page = pendingPage || /^\s+\S/.test(raw);
			pendingPage = false;
			out.push({ no: i + 1, raw: raw.replace(/^\s+/, ''), text, page });
		}
	}
	return out;
}

/**
 * Drops page numbers and running headers: a line that starts at least three pages and a third of
 * them (digits ignored, for "3 (17)") is a header; its first occurrence is kept, since that one is
 * usually the heading the header repeats.
 */
export function removePageFurniture(lines: (Line | null)[]): (Line | null)[] {
	const isPageEdge = (i: number) => {
		const l = lines[i];
		if (!l) return false;
		if (l.page) return true;
		for (let j = i + 1; j < lines.length; j++) {
			const n = lines[j];
			if (n) return n.page;
		}
		return true;
	};
	const keyOf = (l: Line) => l.text.toLowerCase().replace(/\d+/g, '#');
	const atPage = new Map<string, number>();
	for (const l of lines) {
		if (!l) continue;
		const k = keyOf(l);
		if (l.page) atPage.set(k, (atPage.get(k) ?? 0) + 1);
	}
	// A running header stands on most pages; a heading that happens to open a few pages does not.
	const pages = lines.filter((l) => l?.page).length;
	const minHeaderPages = Math.max(3, Math.ceil(pages * 0.3));
	const seen = new Set<string>();
	const out: (Line | null)[] = [];
	let carryPage = false;
	for (let i = 0; i < lines.length; i++) {
		const l = lines[i];
		if (!l) {
			out.push(null);
			continue;
		}
		const k = keyOf(l);
		const first = !seen.has(k);
		seen.add(k);
		const header = l.page && !first && (atPage.get(k) ?? 0) >= minHeaderPages;
		const pageNumber = PAGE_NUMBER.test(l.text) && isPageEdge(i);
		if (header || pageNumber) {
			// The page break stays: the next line now opens the page.
			if (l.page) carryPage = true;
			continue;
		}
		out.push(carryPage ? { ...l, page: true } : l);
		carryPage = false;
	}
	return out;
}

const SENTENCE_END = /[.:!?;”"')\]]$/;
const LIST_START = /^([•▪◦●■\uF0B7-]\s|\d{1,2}(\.\d{1,2})*\.?\s)/;

/**
 * Groups lines into blocks at blank lines, and at a page break unless the sentence runs on: a page
 * that starts in lower case, or after a full-width line that did not end a sentence, continues the
 * block.
 */
export function toBlocks(lines: (Line | null)[]): Block[] {
	const blocks: Block[] = [];
	let cur: Block = [];
	const flush = () => {
		if (cur.length) blocks.push(cur);
		cur = [];
	};
	for (const l of lines) {
		if (!l) {
			flush();
			continue;
		}
		if (l.page && cur.length) {
			const prev = cur[cur.length - 1];
			const lower = /^\p{Ll}/u.test(l.text);
			const runsOn = !SENTENCE_END.test(prev.text) && prev.text.length >= 60 && !LIST_START.test(l.text);
			if (!lower && !runsOn) flush();
		}
		cur.push(l);
	}
	flush();
	return blocks;
}

const ELLIPSIS_WORDS = new Set(['och', 'eller', 'samt', 'till', 'som', 'respektive', 'resp.']);

/** Joins wrapped lines into one paragraph, undoing hyphenation over line ends. */
export function joinLines(lines: readonly { text: string; raw: string }[]): string {
	let out = '';
	let prevSpacedHyphen = false;
	for (const l of lines) {
		out = out ? joinTwo(out, l.text, prevSpacedHyphen) : l.text;
		// The raw line keeps its trailing spaces: "miljö- " had a space after the hyphen, "SLK-" had none.
		prevSpacedHyphen = /-\s+$/.test(l.raw);
	}
	return cleanInline(out);
}

function joinTwo(left: string, right: string, spacedHyphen: boolean): string {
	if (left.endsWith('-') && !left.endsWith(' -')) {
		const before = left.charAt(left.length - 2);
		const nextWord = right.split(' ')[0].toLowerCase();
		// "miljö- och klimatnämnden": the hyphen stands for a shared word part and keeps its space.
		if (spacedHyphen || ELLIPSIS_WORDS.has(nextWord)) return `${left} ${right}`;
		// "ut-\nveckling" was one word broken for the line; "SLK-\n2023" and "EU-\nfinansiering" keep the hyphen.
		if (/\p{Ll}/u.test(before) && /^\p{Ll}/u.test(right)) return left.slice(0, -1) + right;
		return left + right;
	}
	return `${left} ${right}`;
}

/** Stray spaces of extraction: "fö r" → "för", "2025-09- 24" → "2025-09-24", runs of spaces. */
export function cleanInline(s: string): string {
	return s
		.replace(/\s+/g, ' ')
		.replace(/(\d{4}-\d{2})-\s+(\d{2})\b/g, '$1-$2')
		.replace(/(\p{L}{2,}) ([bcdfghjklmnpqrstvwxz])(?=[\s.,;:!?]|$)/gu, '$1$2')
		.trim();
}
