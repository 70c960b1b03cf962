import { formatAmount } from './budget';
import { changesAgainst, diffText, prepareText, type TextChange } from './diff';
import type { AmendmentOp, DecisionLevel } from './draft-doc';

/**
 * The decision point ("att-sats") an amendment becomes in a yrkande's "Förslag till beslut",
 * written the Göteborg way: the point or item it changes, the old words and the new ones.
 * Recomputed from the amendment whenever it changes, so the point never drifts from it.
 */

export const itemKinds = [
	/** a numbered point of the tjänsteutlåtande's Förslag till beslut */
	'decision_point',
	/** a mål of the budget */
	'goal',
	/** an inriktning */
	'direction',
	/** an uppdrag */
	'assignment',
	/** a risk area of the samlad riskbild */
	'risk',
	/** any other text of the baseline, e.g. a goal's "Stadsledningskontorets planering" */
	'text',
	/** a row of an economic table */
	'budget_row'
] as const;
export type ItemKind = (typeof itemKinds)[number];

export interface ItemReference {
	kind: ItemKind;
	/** the point's number as printed in the source, for decision points ("3") */
	number?: string;
	/** the item's name or wording as it is quoted: the mål, the uppdrag, the row label ("Kommunbidrag") */
	title?: string;
	/** the part amended: a goal's section ("Stadsledningskontorets planering"), a table part ("Stadsledningskontoret") */
	section?: string;
	/** whose proposal the item is part of, as it follows "i": default "stadsledningskontorets förslag" */
	source?: string;
	/** decision level of the item; default KS */
	level?: DecisionLevel;
	/** for budget rows: the grammatical subject of the point, e.g. "Kommunbidraget till stadsledningskontoret" */
	subject?: string;
	/** for budget rows: the unit of the amounts; default mnkr */
	unit?: string;
}

export interface PointInput {
	item: ItemReference & { text: string; values?: Record<string, number | null> };
	amendment: { op: AmendmentOp; text: string; values: Record<string, number | null> };
}

export interface AmendmentPoint {
	level: DecisionLevel;
	text: string;
}

export interface PointOptions {
	/** longer titles are quoted by their first words and "…"; default 15 */
	maxTitleWords?: number;
	/** texts with more words than this get passage wording ("I … stryks ”…”"); default 40 */
	passageFromWords?: number;
}

const DEFAULT_SOURCE = 'stadsledningskontorets förslag';
// Beyond this share of changed words a passage edit would quote most of the text: give the new wording whole.
const REWRITE_RATIO = 0.6;

const nouns: Record<Exclude<ItemKind, 'decision_point'>, { definite: string; indefiniteNew: string }> = {
	goal: { definite: 'målet', indefiniteNew: 'ett nytt mål' },
	direction: { definite: 'inriktningen', indefiniteNew: 'en ny inriktning' },
	assignment: { definite: 'uppdraget', indefiniteNew: 'ett nytt uppdrag' },
	risk: { definite: 'riskområdet', indefiniteNew: 'ett nytt riskområde' },
	text: { definite: 'texten', indefiniteNew: 'en ny text' },
	budget_row: { definite: 'raden', indefiniteNew: 'en ny rad' }
};

const quote = (s: string) => `”${s.replace(/\s+/g, ' ').trim()}”`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function shorten(title: string, maxWords: number): string {
	const words = title.trim().split(/\s+/);
	return words.length <= maxWords ? title.trim() : `${words.slice(0, maxWords).join(' ')} …`;
}

/** The item as the object of a sentence: "punkt 3 i stadsledningskontorets förslag", "uppdraget ”…”". */
function reference(item: ItemReference, options: Required<PointOptions>): string {
	if (item.kind === 'decision_point') {
		return `punkt ${item.number ?? '?'} i ${item.source ?? DEFAULT_SOURCE}`;
	}
	const noun = nouns[item.kind].definite;
	let ref = item.title ? `${noun} ${quote(shorten(item.title, options.maxTitleWords))}` : noun;
	if (item.section && item.kind !== 'budget_row') ref = `avsnittet ${quote(item.section)} under ${ref}`;
	if (item.source) ref += ` i ${item.source}`;
	return ref;
}

/** A full stop, unless the sentence already ends with one inside its closing quote. */
function finish(sentence: string): string {
	return /[.!?]”?$/.test(sentence) ? sentence : `${sentence}.`;
}

function wordCount(text: string): number {
	const t = text.trim();
	return t ? t.split(/\s+/).length : 0;
}

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** How often the words occur in the text as whole words. */
function occurrences(text: string, words: string): number {
	if (!words) return 0;
	const escaped = words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return (text.match(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu')) ?? []).length;
}

type Passage =
	| { kind: 'strike'; old: string }
	| { kind: 'replace'; old: string; new: string }
	| { kind: 'insert'; where: 'efter' | 'före'; anchor: string; new: string };

/**
 * One change as a passage edit. The quoted old words are widened with the words before them until
 * they occur only once in the text, so a reader finds the place. Quotes are cut from the base
 * itself, so punctuation keeps its place ("trygghet," not "trygghet ,").
 */
function passage(base: string, c: TextChange): Passage {
	const flatBase = flat(base);
	const unique = (q: string) => occurrences(flatBase, q) === 1;
	const inserted = flat(c.inserted);
	// Start offsets of the words before the change, nearest last.
	const starts: number[] = [];
	const re = /\S+/g;
	const head = base.slice(0, c.start);
	for (let m = re.exec(head); m !== null; m = re.exec(head)) starts.push(m.index);
	const wordsBack = (n: number) => (n === 0 ? c.start : starts[starts.length - n]);
	if (c.end > c.start && flat(c.deleted)) {
		let n = 0;
		while (!unique(flat(base.slice(wordsBack(n), c.end))) && n < starts.length) n++;
		const from = wordsBack(n);
		const old = flat(base.slice(from, c.end));
		if (!inserted) return { kind: 'strike', old };
		return { kind: 'replace', old, new: flat(base.slice(from, c.start) + c.inserted) };
	}
	if (starts.length === 0) {
		const after = flat(base.slice(c.start)).split(' ').slice(0, 3).join(' ');
		return { kind: 'insert', where: 'före', anchor: after, new: inserted };
	}
	let n = Math.min(3, starts.length);
	while (!unique(flat(base.slice(wordsBack(n), c.start))) && n < starts.length) n++;
	return { kind: 'insert', where: 'efter', anchor: flat(base.slice(wordsBack(n), c.start)), new: inserted };
}

function passagePart(p: Passage): string {
	switch (p.kind) {
		case 'strike':
			return `${quote(p.old)} stryks`;
		case 'replace':
			return `${quote(p.old)} ändras till ${quote(p.new)}`;
		case 'insert':
			return `${p.where} ${quote(p.anchor)} läggs ${quote(p.new)} till`;
	}
}

function passageSentence(ref: string, p: Passage): string {
	switch (p.kind) {
		case 'strike':
			return `I ${ref} stryks ${quote(p.old)}`;
		case 'replace':
			return `I ${ref} ändras ${quote(p.old)} till ${quote(p.new)}`;
		case 'insert':
			return `I ${ref} läggs ${quote(p.new)} till ${p.where} ${quote(p.anchor)}`;
	}
}

function changePoint(input: PointInput, options: Required<PointOptions>): string {
	const { item, amendment } = input;
	const ref = reference(item, options);
	const base = item.text;
	const changes = changesAgainst(prepareText(base), amendment.text);
	if (changes.length === 0) return finish(`${capitalise(ref)} ändras inte`);
	const mostlyKept = diffText(base, amendment.text).changeRatio <= REWRITE_RATIO;
	if (wordCount(base) > options.passageFromWords && changes.length <= 3 && mostlyKept) {
		const parts = changes.map((c) => passage(base, c));
		if (parts.length === 1) return finish(passageSentence(ref, parts[0]));
		return finish(`I ${ref} görs följande ändringar: ${parts.map(passagePart).join('; ')}`);
	}
	if (item.kind === 'decision_point') {
		return finish(`${capitalise(ref)}, ${quote(base)}, ändras till: ${quote(amendment.text)}`);
	}
	return finish(`${capitalise(ref)} ändras till: ${quote(amendment.text)}`);
}

function amountsPoint(input: PointInput): string {
	const { item, amendment } = input;
	const unit = item.unit ?? 'mnkr';
	const subject =
		item.subject ?? (item.title ? `${item.title}${item.section ? ` för ${item.section}` : ''}` : 'Beloppet');
	const columns = Object.keys(item.values ?? {});
	const changed = Object.entries(amendment.values).filter(([c, v]) => (item.values?.[c] ?? null) !== v);
	if (changed.length === 0) return finish(`${capitalise(subject)} ändras inte`);
	const fromTo = (c: string, v: number | null) =>
		`från ${formatAmount(item.values?.[c] ?? null, unit)} till ${formatAmount(v, unit)}`;
	if (changed.length === 1) {
		const [column, value] = changed[0];
		const which = columns.length > 1 ? ` (${column})` : '';
		return finish(`${capitalise(subject)}${which} ändras ${fromTo(column, value)}`);
	}
	return finish(`${capitalise(subject)} ändras: ${changed.map(([c, v]) => `${c} ${fromTo(c, v)}`).join('; ')}`);
}

/** The decision point for one amendment. */
export function amendmentPoint(input: PointInput, options: PointOptions = {}): AmendmentPoint {
	const opts: Required<PointOptions> = {
		maxTitleWords: options.maxTitleWords ?? 15,
		passageFromWords: options.passageFromWords ?? 40
	};
	const { item, amendment } = input;
	const level = item.level ?? 'ks';
	switch (amendment.op) {
		case 'change':
			return { level, text: changePoint(input, opts) };
		case 'strike':
			return { level, text: finish(`${capitalise(reference(item, opts))} stryks`) };
		case 'insert_after': {
			const what = item.kind === 'decision_point' ? 'läggs till' : `läggs ${nouns[item.kind].indefiniteNew} till`;
			return { level, text: finish(`Efter ${reference(item, opts)} ${what}: ${quote(amendment.text)}`) };
		}
		case 'amounts':
			return { level, text: amountsPoint(input) };
	}
}

/** The closing point of an ändringsyrkande that accepts the rest of the proposal. */
export function otherwiseApprovePoint(source = DEFAULT_SOURCE, level: DecisionLevel = 'ks'): AmendmentPoint {
	return { level, text: `I övrigt bifall till ${source}.` };
}
