import { diffText } from '../domain/diff';
import { signatoriesByParty } from '../domain/draft-doc-signatories';
import { capBlockDepth, decisionLevelHeadings, decisionLevels, type Block, type InlineRun } from '../domain/draft-doc';
import {
	documentTypeLabels,
	exportInstant,
	inAgendaOrder,
	joinSwedish,
	motivationHeadings,
	type CasePackage,
	type DecisionMatrix,
	type ExportAmendment,
	type ExportDocument,
	type ExportParty,
	type PackageItem
} from './model';

/**
 * The Göteborg form, once: the model becomes a flat list of typed blocks, and each renderer only
 * decides how a block looks in its format. So the four formats cannot drift apart in what they say
 * or in which order.
 */

/** A tracked change: who proposes to insert or delete the text. */
export interface Revision {
	kind: 'ins' | 'del';
	author: string;
}

export interface Inline {
	text: string;
	bold?: boolean;
	italic?: boolean;
	strike?: boolean;
	revision?: Revision;
}

export type HeadingLevel = 1 | 2 | 3 | 4;

export type LayoutBlock =
	/** the letterhead: the body on the left, the document's particulars on the right */
	| { type: 'letterhead'; body: string; lines: Inline[] }
	| { type: 'heading'; level: HeadingLevel; text: string }
	/**
	 * `mark`: the paragraph's end is itself a tracked change – the paragraph break was inserted or
	 * removed – so rejecting (or accepting) every change leaves exactly the other side's paragraphs.
	 */
	| { type: 'paragraph'; runs: Inline[]; tone?: 'note'; mark?: Revision }
	/** a numbered decision point; the number is part of the text, as the protocol quotes it */
	| { type: 'point'; number: string; runs: Inline[] }
	| { type: 'list'; ordered: boolean; items: LayoutBlock[][] }
	| { type: 'quote'; children: LayoutBlock[] }
	/** how tracked changes are shown; DOCX shows them as Word's own revisions */
	| { type: 'legend' }
	| { type: 'table'; columns: string[]; rows: string[][] }
	/** under each party's name written out, the members who sign for it; `party` empty for the rest */
	| { type: 'signatures'; groups: { party: string; names: string[] }[] }
	| { type: 'pageBreak' };

export interface Layout {
	/** a stable id for the file's metadata */
	id: string;
	title: string;
	author: string;
	subject: string;
	/** "UTKAST" on every page */
	draft: boolean;
	/** the one instant the file carries (metadata, tracked changes, zip entries) */
	timestamp: Date;
	blocks: LayoutBlock[];
}

export const DRAFT_MARK = 'UTKAST';
export const LEGEND_TEXT = 'Struken text föreslås utgå. Understruken text föreslås tillkomma.';
export const LEGEND_TEXT_DOCX =
	'Ändringarna är spårade ändringar i förhållande till underlaget och kan godtas eller avvisas var för sig.';

const partyNames = (parties: readonly ExportParty[]) => joinSwedish(parties.map((p) => p.name));

function runsOf(runs: readonly InlineRun[]): Inline[] {
	return runs
		.filter((r) => r.text)
		.map((r) => ({
			text: r.text,
			...(r.bold ? { bold: true } : {}),
			...(r.italic ? { italic: true } : {}),
			...(r.strike ? { strike: true } : {})
		}));
}

function headingLevel(n: number): HeadingLevel {
	return Math.min(4, Math.max(1, n)) as HeadingLevel;
}

/** The draft's rich text; its own headings sit below the section they are in. */
function contentBlocks(blocks: readonly Block[], below: number): LayoutBlock[] {
	return blocks.map((b): LayoutBlock => {
		switch (b.type) {
			case 'paragraph':
				return { type: 'paragraph', runs: runsOf(b.runs) };
			case 'heading':
				return {
					type: 'heading',
					level: headingLevel(below + 1),
					text: b.runs.map((r) => r.text).join('')
				};
			case 'list':
				return { type: 'list', ordered: b.ordered, items: b.items.map((item) => contentBlocks(item, below)) };
			case 'blockquote':
				return { type: 'quote', children: contentBlocks(b.children, below) };
		}
	});
}

/** Plain text to paragraphs: blank lines separate them, single line breaks stay inside. */
function textParagraphs(text: string): LayoutBlock[] {
	return text
		.split(/\n[^\S\n]*\n/)
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => ({ type: 'paragraph', runs: [{ text: p }] }));
}

const numberFormat = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 3 });
const formatAmount = (n: number | null) => (n === null ? 'inget belopp' : numberFormat.format(n));

/** A paragraph of tracked text, and whether its paragraph break is itself inserted or deleted. */
export interface TrackedParagraph {
	runs: Inline[];
	mark?: Revision;
}

/**
 * Splits runs into paragraphs at blank lines, whichever side of a change they are on. A break that
 * lies inside an inserted or deleted run is an inserted or deleted paragraph mark. `whole`: the text
 * is inserted or deleted as a whole (a new point, a struck item), so the last paragraph's mark is too;
 * otherwise the last paragraph ends where the text goes on as it was.
 */
export function trackedParagraphs(runs: readonly Inline[], whole?: Revision): TrackedParagraph[] {
	const paragraphs: TrackedParagraph[] = [{ runs: [] }];
	for (const run of runs) {
		const parts = run.text.split(/\n[^\S\n]*\n/);
		parts.forEach((part, i) => {
			if (i > 0) {
				const ended = paragraphs[paragraphs.length - 1];
				if (run.revision) ended.mark = run.revision;
				paragraphs.push({ runs: [] });
			}
			if (part) paragraphs[paragraphs.length - 1].runs.push({ ...run, text: part });
		});
	}
	if (whole) paragraphs[paragraphs.length - 1].mark = whole;
	// An empty paragraph is dropped; the break before it takes its place, tracked only when both were
	// the same change, so neither side loses a paragraph break it has.
	const out: TrackedParagraph[] = [];
	for (const p of paragraphs) {
		if (p.runs.length > 0) {
			out.push(p);
			continue;
		}
		const prev = out[out.length - 1];
		if (!prev) continue;
		const same = prev.mark && p.mark && prev.mark.kind === p.mark.kind;
		if (!same) delete prev.mark;
	}
	return out;
}

const trackedBlocks = (runs: readonly Inline[], whole?: Revision): LayoutBlock[] =>
	trackedParagraphs(runs, whole).map((p): LayoutBlock => ({
		type: 'paragraph',
		runs: p.runs,
		...(p.mark ? { mark: p.mark } : {})
	}));

function amendmentBlocks(a: ExportAmendment): LayoutBlock[] {
	const author = partyNames(a.parties);
	const ins = (text: string): Inline => ({ text, revision: { kind: 'ins', author } });
	const del = (text: string): Inline => ({ text, revision: { kind: 'del', author } });
	const ref = a.target.reference;
	const lead = (text: string): LayoutBlock => ({ type: 'paragraph', runs: [{ text, bold: true }] });

	switch (a.op) {
		case 'change': {
			const diff = diffText(a.baselineText, a.newText);
			const runs = diff.segments.map((s) =>
				s.type === 'equal' ? { text: s.text } : s.type === 'insert' ? ins(s.text) : del(s.text)
			);
			return [lead(`${ref} får följande lydelse:`), ...trackedBlocks(runs)];
		}
		case 'strike':
			return [lead(`${ref} stryks:`), ...trackedBlocks([del(a.baselineText)], { kind: 'del', author })];
		case 'insert_after':
			return [
				lead(`Ny text efter ${ref.charAt(0).toLowerCase()}${ref.slice(1)}:`),
				...trackedBlocks([ins(a.newText)], { kind: 'ins', author })
			];
		case 'amounts': {
			const rows = (a.amounts ?? []).filter((x) => x.from !== x.to);
			return [
				lead(`${ref} – ändrade belopp:`),
				...(a.baselineText ? [{ type: 'paragraph', runs: [{ text: a.baselineText }] } as LayoutBlock] : []),
				...rows.map((x): LayoutBlock => ({
					type: 'paragraph',
					runs: [{ text: `${x.column}: ` }, del(formatAmount(x.from)), { text: ' ' }, ins(formatAmount(x.to))]
				}))
			];
		}
	}
}

/**
 * The parties and under each the members who sign for it, as a Göteborg yrkande ends. Signatories of
 * no party of the document (the model allows it) follow last, without a party line.
 */
function signatureGroups(doc: ExportDocument): { party: string; names: string[] }[] {
	const groups = signatoriesByParty(
		doc.parties.map((p) => p.id),
		doc.signatories.map((s) => ({ ...s, partyId: s.partyId ?? '' }))
	).map((g) => ({
		party: doc.parties.find((p) => p.id === g.partyId)?.name ?? g.partyId,
		names: g.signatories.map((s) => s.name)
	}));
	const ids = new Set(doc.parties.map((p) => p.id));
	const others = doc.signatories.filter((s) => !s.partyId || !ids.has(s.partyId)).map((s) => s.name);
	return others.length ? [...groups, { party: '', names: others }] : groups;
}

/**
 * The body of one document. `depth` 0 is a document of its own (letterhead, title); depth 1 is a
 * document inside the case package, where the item's heading stands above it.
 */
function documentBlocks(doc: ExportDocument, depth: 0 | 1): LayoutBlock[] {
	const type = documentTypeLabels[doc.kind];
	const names = partyNames(doc.parties);
	const section = headingLevel(2 + depth);
	const blocks: LayoutBlock[] = [];

	if (depth === 0) {
		const meeting = [
			doc.meetingDate ? `Sammanträde ${doc.meetingDate}` : '',
			doc.agendaNumber ? `ärende nr ${doc.agendaNumber}` : ''
		].filter(Boolean);
		blocks.push({
			type: 'letterhead',
			body: doc.body,
			lines: [
				...(doc.draft ? [{ text: DRAFT_MARK, bold: true }] : []),
				{ text: type, bold: true },
				{ text: doc.date },
				{ text: names },
				...(meeting.length
					? [{ text: meeting.map((m, i) => (i === 0 ? m.charAt(0).toUpperCase() + m.slice(1) : m)).join(', ') }]
					: []),
				{ text: `Ärendenummer ${doc.caseNumber}` }
			]
		});
		blocks.push({ type: 'heading', level: 1, text: doc.title });
	} else {
		blocks.push({ type: 'heading', level: 2, text: `${type} – ${names}` });
		blocks.push({ type: 'paragraph', tone: 'note', runs: [{ text: `${doc.date} · ${doc.title}` }] });
	}

	if (doc.points.length > 0) {
		blocks.push({ type: 'heading', level: section, text: 'Förslag till beslut' });
		for (const level of decisionLevels) {
			const points = doc.points.filter((p) => p.level === level);
			if (points.length === 0) continue;
			blocks.push({ type: 'heading', level: headingLevel(section + 1), text: `${decisionLevelHeadings[level]}:` });
			points.forEach((p, i) => blocks.push({ type: 'point', number: `${i + 1}.`, runs: [{ text: p.text.trim() }] }));
		}
	}

	if (doc.amendments.length > 0) {
		blocks.push({ type: 'heading', level: section, text: 'Ändringsförslag' });
		blocks.push({ type: 'legend' });
		for (const a of doc.amendments) blocks.push(...amendmentBlocks(a));
	}

	// A stored version may predate the cap on reading; the renderers then walk a tree of bounded depth too.
	const motivation = contentBlocks(capBlockDepth(doc.motivation), section);
	if (motivation.length > 0) {
		const heading = motivationHeadings[doc.kind];
		if (heading) blocks.push({ type: 'heading', level: section, text: heading });
		blocks.push(...motivation);
	}

	if (doc.signatories.length > 0 || depth === 0) {
		blocks.push({ type: 'signatures', groups: signatureGroups(doc) });
	}
	return blocks;
}

/** A single document in the Göteborg form. */
export function documentLayout(doc: ExportDocument): Layout {
	return {
		id: doc.id,
		title: doc.title,
		author: partyNames(doc.parties),
		subject: `${doc.caseTitle} (${doc.caseNumber})`,
		draft: doc.draft,
		timestamp: exportInstant(doc.date),
		blocks: documentBlocks(doc, 0)
	};
}

function matrixBlocks(matrix: DecisionMatrix): LayoutBlock[] {
	return [
		{
			type: 'table',
			columns: ['', ...matrix.parties.map((p) => p.id)],
			rows: matrix.rows.map((r) => [r.label, ...matrix.parties.map((p) => r.cells[p.id] ?? '–')])
		},
		{
			type: 'paragraph',
			tone: 'note',
			runs: [
				{
					text: `${matrix.parties.map((p) => `${p.id} – ${p.name}`).join(', ')}. – betyder att partiet inte har angett någon ståndpunkt.`
				}
			]
		}
	];
}

function itemHeading(item: PackageItem): string {
	return item.agendaNumber ? `${item.agendaNumber.trim()} ${item.title}` : item.title;
}

/**
 * The case package for the meeting. Only submitted documents belong in it; a draft here would be a
 * party's internal material reaching everyone, so it is refused rather than rendered.
 */
export function casePackageLayout(pkg: CasePackage): Layout {
	const items = inAgendaOrder(pkg.items);
	for (const item of items) {
		if (item.documents.some((d) => d.draft)) {
			throw new Error(`case package ${pkg.id}: item ${item.caseId} holds a document that is not submitted`);
		}
	}
	const title =
		items.length === 1
			? `Ärendepaket – ${items[0].title}`
			: `Ärendepaket – ${pkg.body}${pkg.meetingDate ? ` ${pkg.meetingDate}` : ''}`;

	const blocks: LayoutBlock[] = [
		{
			type: 'letterhead',
			body: pkg.body,
			lines: [
				{ text: 'Ärendepaket', bold: true },
				{ text: pkg.date },
				...(pkg.meetingDate ? [{ text: `Sammanträde ${pkg.meetingDate}` }] : [])
			]
		},
		{ type: 'heading', level: 1, text: title },
		{ type: 'heading', level: 2, text: 'Innehåll' },
		{
			type: 'list',
			ordered: false,
			items: items.map((item) => [
				{
					type: 'paragraph',
					runs: [
						{ text: `${itemHeading(item)} (${item.caseNumber})` },
						{
							text: ` – ${item.documents.length} ${item.documents.length === 1 ? 'inlämnat' : 'inlämnade'} dokument`
						}
					]
				}
			])
		}
	];

	for (const item of items) {
		blocks.push({ type: 'pageBreak' });
		blocks.push({ type: 'heading', level: 1, text: itemHeading(item) });
		blocks.push({ type: 'paragraph', tone: 'note', runs: [{ text: `Ärendenummer ${item.caseNumber}` }] });
		if (item.documents.length === 0) {
			blocks.push({ type: 'paragraph', runs: [{ text: 'Inga yrkanden eller yttranden har lämnats in.' }] });
		}
		for (const doc of item.documents) blocks.push(...documentBlocks(doc, 1));
		if (item.matrix && item.matrix.rows.length > 0) {
			blocks.push({ type: 'heading', level: 2, text: 'Partiernas ställningstaganden' });
			blocks.push(...matrixBlocks(item.matrix));
		}
		if (item.protocol?.trim()) {
			blocks.push({ type: 'heading', level: 2, text: 'Sammanfattning efter sammanträdet' });
			blocks.push(...textParagraphs(item.protocol));
		}
	}

	return {
		id: pkg.id,
		title,
		author: pkg.body,
		subject: items.map((i) => `${i.title} (${i.caseNumber})`).join('; '),
		draft: false,
		timestamp: exportInstant(pkg.date),
		blocks
	};
}

/** The text of inline runs, revisions included, for formats and tests that need it flat. */
export function inlineText(runs: readonly Inline[]): string {
	return runs.map((r) => r.text).join('');
}
