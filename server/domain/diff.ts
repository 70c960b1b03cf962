import { diffArrays } from 'diff';

/**
 * Word-level diff of Swedish political text against the baseline.
 *
 * Everything here is pure and synchronous so the server, the web (live while typing) and the
 * exports compute the same marks. The text is cut into tokens (words, numbers, punctuation,
 * whitespace); jsdiff's Myers implementation aligns the token *keys*, which hide differences a
 * reader would not call a change: runs of whitespace and line wrapping, NFC/NFD forms of å ä ö,
 * soft hyphens, and thousand separators or minus signs inside numbers.
 */

export type TokenKind = 'space' | 'number' | 'word' | 'punct';

export interface Token {
	text: string;
	kind: TokenKind;
	/** UTF-16 offset in the text the token was cut from. */
	start: number;
	/** What the diff compares. */
	key: string;
}

const ALNUM = '\\p{L}\\p{M}\\p{N}';
// Thin and no-break spaces are what Word and PDF exports put between digit groups.
const GROUP_SEP = '[ \\u00A0\\u2009\\u202F]';
// Characters that glue two word parts into one token: HR-avdelning, SD:s, S:t, LOV3-områden.
const JOINER = "[-\\u2010:'\\u2019]";
const NUMBER_END = `(?![${ALNUM}]|${JOINER}[${ALNUM}])`;
const TOKEN_RE = new RegExp(
	[
		'(\\s+)',
		// "4 500", "−1 300,5": digit groups only when each following group has exactly three digits.
		`((?<![${ALNUM}])[-\\u2212]?\\d{1,3}(?:${GROUP_SEP}\\d{3})+(?:,\\d+)?${NUMBER_END})`,
		// "285,7", "-1,1", "2025". A minus sign counts only where no word precedes it, so a date
		// (2024-11-28) or a range inside a word stays one word token below.
		`((?<![${ALNUM}])[-\\u2212]?\\d+(?:,\\d+)?${NUMBER_END})`,
		`([${ALNUM}\\u00AD]+(?:${JOINER}[${ALNUM}\\u00AD]+)*)`,
		// Anything else is one code point: punctuation, dashes, quotes, symbols.
		'([\\s\\S])'
	].join('|'),
	'gu'
);
const PARAGRAPH_BREAK = /\n[^\S\n]*\n/;
const NON_ASCII = /[\u0080-\uffff]/;
const GROUP_SEP_RE = /[ \u00A0\u2009\u202F]/g;

export interface TokenizeOptions {
	/** Compare whitespace by shape only (a space, or a paragraph break). Default true. */
	ignoreWhitespace?: boolean;
}

export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
	const ignoreWhitespace = options.ignoreWhitespace ?? true;
	// Checking the whole text once is far cheaper than normalising every word of a text that, as
	// nearly always, is already NFC.
	const needsNfc = NON_ASCII.test(text) && text.normalize('NFC') !== text;
	const hasSoftHyphen = text.includes('\u00AD');
	const tokens: Token[] = [];
	TOKEN_RE.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = TOKEN_RE.exec(text)) !== null) {
		const t = m[0];
		let kind: TokenKind;
		let key: string;
		if (m[1] !== undefined) {
			kind = 'space';
			key = ignoreWhitespace ? (PARAGRAPH_BREAK.test(t) ? '\n\n' : ' ') : t;
		} else if (m[2] !== undefined || m[3] !== undefined) {
			kind = 'number';
			key = t.replace(GROUP_SEP_RE, '').replace('-', '\u2212');
		} else {
			kind = m[4] !== undefined ? 'word' : 'punct';
			key = t;
			if (needsNfc) key = key.normalize('NFC');
			if (hasSoftHyphen) key = key.replace(/\u00AD/g, '');
		}
		tokens.push({ text: t, kind, start: m.index, key });
	}
	return tokens;
}

const tokenEnd = (t: Token) => t.start + t.text.length;

// ---- alignment -----------------------------------------------------------------------------------

/** A region that differs: tokens [a0, a1) of the old side stand where [b0, b1) of the new side do. */
interface Hunk {
	a0: number;
	a1: number;
	b0: number;
	b1: number;
}

interface AlignLimits {
	timeoutMs: number;
	maxEditLength?: number;
}

/**
 * Aligns two token lists. Returns null when the limits are hit: the texts differ so much (or are
 * so large and scrambled) that a word diff would neither be fast nor readable.
 */
function align(a: Token[], b: Token[], limits: AlignLimits): Hunk[] | null {
	const n = a.length;
	const m = b.length;
	let pre = 0;
	while (pre < n && pre < m && a[pre].key === b[pre].key) pre++;
	let suf = 0;
	while (suf < n - pre && suf < m - pre && a[n - 1 - suf].key === b[m - 1 - suf].key) suf++;
	const aEnd = n - suf;
	const bEnd = m - suf;
	if (pre === aEnd && pre === bEnd) return [];
	if (pre === aEnd || pre === bEnd) return normalise([{ a0: pre, a1: aEnd, b0: pre, b1: bEnd }], a, b);

	const aKeys = new Array<string>(aEnd - pre);
	for (let i = pre; i < aEnd; i++) aKeys[i - pre] = a[i].key;
	const bKeys = new Array<string>(bEnd - pre);
	for (let j = pre; j < bEnd; j++) bKeys[j - pre] = b[j].key;
	const changes = diffArrays(aKeys, bKeys, {
		timeout: limits.timeoutMs,
		...(limits.maxEditLength !== undefined ? { maxEditLength: limits.maxEditLength } : {})
	});
	if (!changes) return null;

	const hunks: Hunk[] = [];
	let i = pre;
	let j = pre;
	let cur: Hunk | null = null;
	for (const c of changes) {
		if (c.added) {
			cur ??= { a0: i, a1: i, b0: j, b1: j };
			j += c.count;
			cur.b1 = j;
		} else if (c.removed) {
			cur ??= { a0: i, a1: i, b0: j, b1: j };
			i += c.count;
			cur.a1 = i;
		} else {
			if (cur) hunks.push(cur);
			cur = null;
			i += c.count;
			j += c.count;
		}
	}
	if (cur) hunks.push(cur);
	return normalise(hunks, a, b);
}

/**
 * Makes hunks independent of Myers' arbitrary choices, so two diffs against the same base describe
 * the same edit the same way (collisions and rebase compare hunks of different diffs):
 * a pure insertion or deletion carries its trailing whitespace rather than its leading one, and two
 * hunks separated by whitespace alone become one ("[-b-]{+x+} [-c-]{+y+}" reads as "[-b c-]{+x y+}").
 */
function normalise(hunks: Hunk[], a: Token[], b: Token[]): Hunk[] {
	for (let h = 0; h < hunks.length; h++) {
		const cur = hunks[h];
		const next = hunks[h + 1];
		if (cur.b0 === cur.b1) {
			while (
				cur.a0 < cur.a1 &&
				a[cur.a0].kind === 'space' &&
				cur.a1 < a.length &&
				a[cur.a1].key === a[cur.a0].key &&
				(!next || cur.a1 < next.a0)
			) {
				cur.a0++;
				cur.a1++;
				cur.b0++;
				cur.b1++;
			}
		} else if (cur.a0 === cur.a1) {
			while (
				cur.b0 < cur.b1 &&
				b[cur.b0].kind === 'space' &&
				cur.b1 < b.length &&
				b[cur.b1].key === b[cur.b0].key &&
				(!next || cur.b1 < next.b0)
			) {
				cur.a0++;
				cur.a1++;
				cur.b0++;
				cur.b1++;
			}
		}
	}
	const merged: Hunk[] = [];
	for (const h of hunks) {
		const prev = merged[merged.length - 1];
		if (prev && onlySpaces(a, prev.a1, h.a0)) {
			prev.a1 = h.a1;
			prev.b1 = h.b1;
		} else merged.push({ ...h });
	}
	return merged;
}

function onlySpaces(tokens: Token[], from: number, to: number): boolean {
	for (let i = from; i < to; i++) if (tokens[i].kind !== 'space') return false;
	return true;
}

function slice(text: string, tokens: Token[], from: number, to: number): string {
	if (from >= to) return '';
	return text.slice(tokens[from].start, tokenEnd(tokens[to - 1]));
}

function countWords(tokens: Token[], from: number, to: number): number {
	let n = 0;
	for (let i = from; i < to; i++) if (tokens[i].kind !== 'space') n++;
	return n;
}

// ---- segments and paragraphs ---------------------------------------------------------------------

export type SegmentType = 'equal' | 'insert' | 'delete';

/**
 * One run of the rendered diff. Inline view: all segments in order. Left column of the side-by-side
 * view: equal and delete; right column: equal and insert. An equal segment shows the new text;
 * `oldText` is set only when the old side differs in whitespace or number formatting.
 */
export interface DiffSegment {
	type: SegmentType;
	text: string;
	oldText?: string;
}

export type ParagraphKind =
	/** same words (whitespace and number formatting may differ) */
	| 'equal'
	/** word-level changes, shown inline */
	| 'changed'
	/** changed beyond the threshold: shown as the old paragraph struck and the new one added */
	| 'replaced'
	/** a new paragraph */
	| 'inserted'
	/** a paragraph removed */
	| 'deleted';

export interface ParagraphDiff {
	kind: ParagraphKind;
	oldText: string | null;
	newText: string | null;
	segments: DiffSegment[];
	/** Share of words changed, 0 (same) … 1 (nothing in common): (deleted + inserted) / (old + new). */
	changeRatio: number;
	/** words (and numbers, punctuation) inserted and deleted as shown */
	insertedWords: number;
	deletedWords: number;
}

export interface TextDiff {
	/** false when the texts differ only in whitespace (or not at all). */
	changed: boolean;
	paragraphs: ParagraphDiff[];
	/** Inline view of the whole text; paragraphs are joined by "\n\n" segments. */
	segments: DiffSegment[];
	changeRatio: number;
	insertedWords: number;
	deletedWords: number;
}

export interface DiffOptions {
	/** A paragraph whose change ratio exceeds this is shown as replaced. Default 0.6. */
	replaceThreshold?: number;
	/** Default true: whitespace-only edits are not changes. */
	ignoreWhitespace?: boolean;
	/** Guard against pathological input; a paragraph whose diff takes longer is shown as replaced. */
	timeoutMs?: number;
}

const DEFAULT_THRESHOLD = 0.6;
const BAG_CHECK_FROM_TOKENS = 1000;
const DEFAULT_TIMEOUT_MS = 200;

/** Paragraphs are separated by a blank line; single line breaks are wrapping inside a paragraph. */
export function splitParagraphs(text: string): string[] {
	return text
		.split(/\n[^\S\n]*\n\s*/)
		.map((p) => p.trim())
		.filter((p) => p.length > 0);
}

interface Para {
	text: string;
	tokens: Token[];
	key: string;
	words: number;
	bag?: Map<string, number>;
}

function para(text: string, ignoreWhitespace: boolean): Para {
	const tokens = tokenize(text, { ignoreWhitespace });
	let key = '';
	for (const t of tokens) key += t.key;
	return { text, tokens, key, words: countWords(tokens, 0, tokens.length) };
}

function bag(p: Para): Map<string, number> {
	if (p.bag) return p.bag;
	const counts = new Map<string, number>();
	for (const t of p.tokens) if (t.kind !== 'space') counts.set(t.key, (counts.get(t.key) ?? 0) + 1);
	p.bag = counts;
	return counts;
}

/** Dice coefficient of the word multisets: an upper bound of the similarity a word diff can find. */
function dice(a: Map<string, number>, aWords: number, b: Map<string, number>, bWords: number): number {
	if (aWords + bWords === 0) return 1;
	let common = 0;
	for (const [k, n] of a) {
		const m = b.get(k);
		if (m) common += Math.min(n, m);
	}
	return (2 * common) / (aWords + bWords);
}

function equalSegment(oldText: string, newText: string): DiffSegment {
	return oldText === newText ? { type: 'equal', text: newText } : { type: 'equal', text: newText, oldText };
}

function segmentsOf(a: Para, b: Para, hunks: Hunk[]): DiffSegment[] {
	const out: DiffSegment[] = [];
	let i = 0;
	let j = 0;
	const pushEqual = (a1: number, b1: number) => {
		if (b1 > j) out.push(equalSegment(slice(a.text, a.tokens, i, a1), slice(b.text, b.tokens, j, b1)));
	};
	for (const h of hunks) {
		pushEqual(h.a0, h.b0);
		if (h.a1 > h.a0) out.push({ type: 'delete', text: slice(a.text, a.tokens, h.a0, h.a1) });
		if (h.b1 > h.b0) out.push({ type: 'insert', text: slice(b.text, b.tokens, h.b0, h.b1) });
		i = h.a1;
		j = h.b1;
	}
	pushEqual(a.tokens.length, b.tokens.length);
	return out;
}

function replaced(a: Para, b: Para, changeRatio: number): ParagraphDiff {
	return {
		kind: 'replaced',
		oldText: a.text,
		newText: b.text,
		segments: [
			{ type: 'delete', text: a.text },
			{ type: 'insert', text: b.text }
		],
		changeRatio,
		insertedWords: b.words,
		deletedWords: a.words
	};
}

function diffPair(a: Para, b: Para, threshold: number, timeoutMs: number): ParagraphDiff {
	const total = a.words + b.words;
	if (a.key === b.key) {
		return {
			kind: 'equal',
			oldText: a.text,
			newText: b.text,
			segments: [equalSegment(a.text, b.text)],
			changeRatio: 0,
			insertedWords: 0,
			deletedWords: 0
		};
	}
	// For long paragraphs a cheap bound first: if even the best alignment must change more than the
	// threshold, skip Myers. Short ones are faster to diff than to count.
	if (a.tokens.length + b.tokens.length > BAG_CHECK_FROM_TOKENS) {
		const lowerBound = 1 - dice(bag(a), a.words, bag(b), b.words);
		if (lowerBound > threshold) return replaced(a, b, lowerBound);
	}
	// Whitespace tokens roughly double both the token count and the edit length, so the same share
	// of the token count bounds the useful work.
	const maxEditLength = Math.ceil(threshold * (a.tokens.length + b.tokens.length)) + 8;
	const hunks = align(a.tokens, b.tokens, { timeoutMs, maxEditLength });
	if (!hunks) return replaced(a, b, 1);
	let deletedWords = 0;
	let insertedWords = 0;
	for (const h of hunks) {
		deletedWords += countWords(a.tokens, h.a0, h.a1);
		insertedWords += countWords(b.tokens, h.b0, h.b1);
	}
	const changeRatio = total === 0 ? 0 : (deletedWords + insertedWords) / total;
	if (changeRatio > threshold) return replaced(a, b, changeRatio);
	return {
		kind: 'changed',
		oldText: a.text,
		newText: b.text,
		segments: segmentsOf(a, b, hunks),
		changeRatio,
		insertedWords,
		deletedWords
	};
}

const MIN_PAIR_SIMILARITY = 0.3;
const MAX_PAIRING_CELLS = 2500;

/**
 * Within a run of removed and added paragraphs, decides which old paragraph became which new one:
 * the monotone matching with the largest total similarity. Paragraphs left over between matches
 * are paired in order (a one-for-one rewrite reads as "replaced", not as a deletion plus an insertion).
 */
function pairParagraphs(olds: Para[], news: Para[]): [number | null, number | null][] {
	const k = olds.length;
	const l = news.length;
	const matches: [number, number][] = [];
	if (k === 1 && l === 1) return [[0, 0]];
	if (k * l <= MAX_PAIRING_CELLS) {
		const oldBags = olds.map(bag);
		const newBags = news.map(bag);
		const score: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(l + 1).fill(0));
		const sims: number[][] = Array.from({ length: k }, () => new Array<number>(l).fill(0));
		for (let i = 1; i <= k; i++) {
			for (let j = 1; j <= l; j++) {
				const s = dice(oldBags[i - 1], olds[i - 1].words, newBags[j - 1], news[j - 1].words);
				sims[i - 1][j - 1] = s;
				const diag = s >= MIN_PAIR_SIMILARITY ? score[i - 1][j - 1] + s : -Infinity;
				score[i][j] = Math.max(score[i - 1][j], score[i][j - 1], diag);
			}
		}
		let i = k;
		let j = l;
		while (i > 0 && j > 0) {
			const s = sims[i - 1][j - 1];
			if (s >= MIN_PAIR_SIMILARITY && score[i][j] === score[i - 1][j - 1] + s) {
				matches.push([i - 1, j - 1]);
				i--;
				j--;
			} else if (score[i][j] === score[i - 1][j]) i--;
			else j--;
		}
		matches.reverse();
	}
	const out: [number | null, number | null][] = [];
	let oi = 0;
	let ni = 0;
	const fillGap = (oEnd: number, nEnd: number) => {
		while (oi < oEnd && ni < nEnd) out.push([oi++, ni++]);
		while (oi < oEnd) out.push([oi++, null]);
		while (ni < nEnd) out.push([null, ni++]);
	};
	for (const [o, n] of matches) {
		fillGap(o, n);
		out.push([oi++, ni++]);
	}
	fillGap(k, l);
	return out;
}

/**
 * Diffs two texts paragraph by paragraph, then word by word inside paragraphs that correspond.
 * Invariants (tested): the new-side segments (equal + insert) joined give the new text's
 * paragraphs joined by a blank line; the old-side segments (equal with `oldText ?? text`, delete)
 * give the old text's.
 */
export function diffText(oldText: string, newText: string, options: DiffOptions = {}): TextDiff {
	const threshold = options.replaceThreshold ?? DEFAULT_THRESHOLD;
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const ignoreWhitespace = options.ignoreWhitespace ?? true;
	const olds = splitParagraphs(oldText).map((p) => para(p, ignoreWhitespace));
	const news = splitParagraphs(newText).map((p) => para(p, ignoreWhitespace));

	const paragraphs: ParagraphDiff[] = [];
	const flushGap = (gapOld: Para[], gapNew: Para[]) => {
		for (const [o, n] of pairParagraphs(gapOld, gapNew)) {
			if (o !== null && n !== null) paragraphs.push(diffPair(gapOld[o], gapNew[n], threshold, timeoutMs));
			else if (o !== null) {
				const p = gapOld[o];
				paragraphs.push({
					kind: 'deleted',
					oldText: p.text,
					newText: null,
					segments: [{ type: 'delete', text: p.text }],
					changeRatio: 1,
					insertedWords: 0,
					deletedWords: p.words
				});
			} else if (n !== null) {
				const p = gapNew[n];
				paragraphs.push({
					kind: 'inserted',
					oldText: null,
					newText: p.text,
					segments: [{ type: 'insert', text: p.text }],
					changeRatio: 1,
					insertedWords: p.words,
					deletedWords: 0
				});
			}
		}
	};

	const changes = diffArrays(
		olds.map((p) => p.key),
		news.map((p) => p.key)
	);
	let i = 0;
	let j = 0;
	let gapOld: Para[] = [];
	let gapNew: Para[] = [];
	for (const c of changes) {
		if (c.removed) {
			gapOld = gapOld.concat(olds.slice(i, i + c.count));
			i += c.count;
		} else if (c.added) {
			gapNew = gapNew.concat(news.slice(j, j + c.count));
			j += c.count;
		} else {
			flushGap(gapOld, gapNew);
			gapOld = [];
			gapNew = [];
			for (let x = 0; x < c.count; x++) paragraphs.push(diffPair(olds[i + x], news[j + x], threshold, timeoutMs));
			i += c.count;
			j += c.count;
		}
	}
	flushGap(gapOld, gapNew);

	let insertedWords = 0;
	let deletedWords = 0;
	let totalWords = 0;
	for (const p of paragraphs) {
		insertedWords += p.insertedWords;
		deletedWords += p.deletedWords;
	}
	for (const p of olds) totalWords += p.words;
	for (const p of news) totalWords += p.words;

	return {
		changed: paragraphs.some((p) => p.kind !== 'equal'),
		paragraphs,
		segments: flatten(paragraphs),
		changeRatio: totalWords === 0 ? 0 : (insertedWords + deletedWords) / totalWords,
		insertedWords,
		deletedWords
	};
}

function flatten(paragraphs: ParagraphDiff[]): DiffSegment[] {
	const out: DiffSegment[] = [];
	const push = (s: DiffSegment) => {
		const last = out[out.length - 1];
		if (last && last.type === s.type) {
			if (s.type === 'equal' && (last.oldText !== undefined || s.oldText !== undefined)) {
				last.oldText = (last.oldText ?? last.text) + (s.oldText ?? s.text);
			}
			last.text += s.text;
		} else out.push({ ...s });
	};
	let seenOld = false;
	let seenNew = false;
	for (const p of paragraphs) {
		const hasOld = p.oldText !== null;
		const hasNew = p.newText !== null;
		// The separator belongs to the side(s) on which a paragraph precedes this one.
		const sepOld = hasOld && seenOld;
		const sepNew = hasNew && seenNew;
		if (sepOld && sepNew) push({ type: 'equal', text: '\n\n' });
		else if (sepOld) push({ type: 'delete', text: '\n\n' });
		else if (sepNew) push({ type: 'insert', text: '\n\n' });
		for (const s of p.segments) push(s);
		seenOld ||= hasOld;
		seenNew ||= hasNew;
	}
	return out;
}

export interface SideBySideRow {
	kind: ParagraphKind;
	/** equal and delete segments: the baseline column */
	left: DiffSegment[];
	/** equal and insert segments: the amendment column */
	right: DiffSegment[];
}

/** One row per paragraph; a removed paragraph has an empty right side and vice versa. */
export function sideBySide(diff: TextDiff): SideBySideRow[] {
	return diff.paragraphs.map((p) => ({
		kind: p.kind,
		left: p.segments
			.filter((s) => s.type !== 'insert')
			.map((s): DiffSegment => (s.type === 'equal' ? { type: 'equal', text: s.oldText ?? s.text } : s)),
		right: p.segments.filter((s) => s.type !== 'delete').map((s): DiffSegment => ({ type: s.type, text: s.text }))
	}));
}

/**
 * Plain-text rendering with wdiff marks, [-struck-] and {+added+}: readable without colour, used by
 * tests, logs and plain-text exports.
 */
export function markup(segments: DiffSegment[]): string {
	let out = '';
	for (const s of segments) {
		if (s.type === 'equal') out += s.text;
		else if (s.type === 'delete') out += `[-${s.text}-]`;
		else out += `{+${s.text}+}`;
	}
	return out;
}

// ---- changes against a base (for collisions, rebase and merging) ---------------------------------

/** A text cut into tokens once, so many amendments of the same item can be compared to it cheaply. */
export interface PreparedText {
	text: string;
	tokens: Token[];
	/** Token index of every non-whitespace token, in order: word index → token index. */
	wordTokens: number[];
}

export function prepareText(text: string): PreparedText {
	const tokens = tokenize(text);
	const wordTokens: number[] = [];
	for (let i = 0; i < tokens.length; i++) if (tokens[i].kind !== 'space') wordTokens.push(i);
	return { text, tokens, wordTokens };
}

/** One edit of a base text, located both by tokens and by characters of the base. */
export interface TextChange {
	/** Base tokens [from, to) replaced; from === to for a pure insertion. */
	from: number;
	to: number;
	/**
	 * The same edit in words (non-whitespace tokens) of the base: words [w0, w1) are replaced. A pure
	 * insertion (or a whitespace-only edit) has w0 === w1: the gap before word w0.
	 */
	w0: number;
	w1: number;
	/** UTF-16 offsets of the replaced text in the base. */
	start: number;
	end: number;
	deleted: string;
	inserted: string;
	/** The inserted words, normalised: equal keys mean the same wording. */
	insertedKey: string;
}

function wordIndexAt(base: PreparedText, tokenIndex: number): number {
	// Number of words before the token: binary search in wordTokens.
	let lo = 0;
	let hi = base.wordTokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (base.wordTokens[mid] < tokenIndex) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * The edits that turn `base` into `text`, at word level. Never null: when the diff would take too
 * long the whole differing middle becomes one edit, which is correct, only coarse.
 */
export function changesAgainst(
	base: PreparedText,
	text: string | PreparedText,
	options: DiffOptions = {}
): TextChange[] {
	const other = typeof text === 'string' ? prepareText(text) : text;
	const a = base.tokens;
	const b = other.tokens;
	let hunks = align(a, b, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
	if (!hunks) {
		let pre = 0;
		while (pre < a.length && pre < b.length && a[pre].key === b[pre].key) pre++;
		let suf = 0;
		while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf].key === b[b.length - 1 - suf].key)
			suf++;
		hunks = [{ a0: pre, a1: a.length - suf, b0: pre, b1: b.length - suf }];
	}
	return hunks.map((h) => {
		const w0 = wordIndexAt(base, h.a0);
		const w1 = wordIndexAt(base, h.a1);
		const start = h.a0 < a.length ? a[h.a0].start : base.text.length;
		const end = h.a1 > h.a0 ? tokenEnd(a[h.a1 - 1]) : start;
		let insertedKey = '';
		for (let j = h.b0; j < h.b1; j++) if (b[j].kind !== 'space') insertedKey += (insertedKey ? ' ' : '') + b[j].key;
		return {
			from: h.a0,
			to: h.a1,
			w0,
			w1,
			start,
			end,
			deleted: base.text.slice(start, end),
			inserted: slice(other.text, b, h.b0, h.b1),
			insertedKey
		};
	});
}

/** True when two changes make the same edit (same words replaced by the same words). */
export function sameChange(x: TextChange, y: TextChange): boolean {
	return x.w0 === y.w0 && x.w1 === y.w1 && x.insertedKey === y.insertedKey;
}

/**
 * Where two changes of the same base touch the same words, in words of the base: [w0, w1), or a
 * gap (w0 === w1) when both insert at the same place. Null when they are independent. A change that
 * only borders another (ends where the other starts) is independent.
 */
export function overlapOf(x: TextChange, y: TextChange): { w0: number; w1: number } | null {
	const xPoint = x.w0 === x.w1;
	const yPoint = y.w0 === y.w1;
	if (xPoint && yPoint) return x.w0 === y.w0 ? { w0: x.w0, w1: x.w0 } : null;
	if (xPoint) return y.w0 < x.w0 && x.w0 < y.w1 ? { w0: y.w0, w1: y.w1 } : null;
	if (yPoint) return x.w0 < y.w0 && y.w0 < x.w1 ? { w0: x.w0, w1: x.w1 } : null;
	const w0 = Math.max(x.w0, y.w0);
	const w1 = Math.min(x.w1, y.w1);
	return w0 < w1 ? { w0, w1 } : null;
}

export interface BaseSpan {
	/** UTF-16 offsets in the base text */
	start: number;
	end: number;
	text: string;
	/** the words (and numbers) of the span, without punctuation */
	words: string[];
}

/** Turns a word range of the base into character offsets and the words themselves. */
export function spanOf(base: PreparedText, w0: number, w1: number): BaseSpan {
	if (w0 >= w1) {
		const start = w0 < base.wordTokens.length ? base.tokens[base.wordTokens[w0]].start : base.text.length;
		return { start, end: start, text: '', words: [] };
	}
	const first = base.tokens[base.wordTokens[w0]];
	const last = base.tokens[base.wordTokens[w1 - 1]];
	const words: string[] = [];
	for (let w = w0; w < w1; w++) {
		const t = base.tokens[base.wordTokens[w]];
		if (t.kind === 'word' || t.kind === 'number') words.push(t.text);
	}
	const start = first.start;
	const end = tokenEnd(last);
	return { start, end, text: base.text.slice(start, end), words };
}

/**
 * Applies independent changes (no two overlapping, see overlapOf) to the base. Identical changes
 * are applied once. Where a deletion meets another edit, doubled spaces at the seam are collapsed.
 */
export function applyChanges(base: PreparedText, changes: TextChange[]): string {
	const unique: TextChange[] = [];
	for (const c of changes) if (!unique.some((u) => sameChange(u, c))) unique.push(c);
	unique.sort((x, y) => x.from - y.from || x.to - y.to);
	const parts: string[] = [];
	let cursor = 0;
	const append = (piece: string, seam: boolean) => {
		if (!piece) return;
		const prev = parts[parts.length - 1];
		if (seam && prev && /[^\S\n]$/.test(prev) && /^[^\S\n]/.test(piece)) piece = piece.replace(/^[^\S\n]+/, '');
		if (piece) parts.push(piece);
	};
	for (const c of unique) {
		if (c.from > cursor) append(slice(base.text, base.tokens, cursor, c.from), true);
		append(c.inserted, true);
		cursor = Math.max(cursor, c.to);
	}
	if (cursor < base.tokens.length) append(slice(base.text, base.tokens, cursor, base.tokens.length), true);
	return parts.join('');
}

/** True when the two texts have the same words (whitespace and number formatting aside). */
export function sameWords(a: string | PreparedText, b: string | PreparedText): boolean {
	const x = typeof a === 'string' ? a : a.text;
	const y = typeof b === 'string' ? b : b.text;
	if (x === y) return true;
	const xs = typeof a === 'string' ? tokenize(a) : a.tokens;
	const ys = typeof b === 'string' ? tokenize(b) : b.tokens;
	// Leading and trailing whitespace is not part of an item's wording.
	let i0 = xs.length > 0 && xs[0].kind === 'space' ? 1 : 0;
	let j0 = ys.length > 0 && ys[0].kind === 'space' ? 1 : 0;
	const i1 = xs.length > i0 && xs[xs.length - 1].kind === 'space' ? xs.length - 1 : xs.length;
	const j1 = ys.length > j0 && ys[ys.length - 1].kind === 'space' ? ys.length - 1 : ys.length;
	if (i1 - i0 !== j1 - j0) return false;
	for (; i0 < i1; i0++, j0++) if (xs[i0].key !== ys[j0].key) return false;
	return true;
}
