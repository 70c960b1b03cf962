import type { BaselineMeta, DecisionLevel, FieldValue, ParsedItem } from '../domain/baseline';
import { type Block, type Line, joinLines, removePageFurniture, toBlocks, toLines } from './text';

/**
 * From the text of an ärende's documents to a baseline tree. The documents come in the order the
 * secretariat prints them: party documents (yrkanden, yttranden), the tjänsteutlåtande with its
 * "Förslag till beslut", then the bilagor. Each part is read by the reader that knows its shape:
 * decision points, mål with their named parts, uppdrag tables in two columns, economic tables,
 * risk areas, the time plan; everything else is headings, paragraphs and lists.
 */

export interface ParseResult {
	meta: BaselineMeta;
	/** the baseline: the tjänsteutlåtande and its bilagor */
	items: ParsedItem[];
	/** yrkanden and yttranden of parties, kind `party_document`: drafts to be, never baseline */
	partyDocuments: ParsedItem[];
	/** what the reader was unsure of, in Swedish, for the clerk */
	warnings: string[];
	lineCount: number;
}

export type PartyDocumentKind =
	'yrkande' | 'tillaggsyrkande' | 'andringsyrkande' | 'yttrande' | 'sarskilt_yttrande' | 'protokollsanteckning';

const PARTY_DOC_TYPES: [RegExp, PartyDocumentKind, string][] = [
	[/^tilläggsyrkande/i, 'tillaggsyrkande', 'Tilläggsyrkande'],
	[/^ändringsyrkande/i, 'andringsyrkande', 'Ändringsyrkande'],
	[/^yrkande/i, 'yrkande', 'Yrkande'],
	[/^särskilt yttrande/i, 'sarskilt_yttrande', 'Särskilt yttrande'],
	[/^yttrande/i, 'yttrande', 'Yttrande'],
	[/^protokollsanteckning/i, 'protokollsanteckning', 'Protokollsanteckning']
];
const PARTY_DOC_TITLE =
	/^(Yrkande|Tilläggsyrkande|Ändringsyrkande|Yttrande|Särskilt yttrande|Protokollsanteckning)\s+(angående|om|gällande|avseende)\b/i;

/** Party names as written out, and the abbreviations used in Göteborg. */
export const PARTY_NAMES: [string, string][] = [
	['Socialdemokraterna', 'S'],
	['Vänsterpartiet', 'V'],
	['Miljöpartiet de gröna', 'MP'],
	['Miljöpartiet', 'MP'],
	['Moderaterna', 'M'],
	['Liberalerna', 'L'],
	['Kristdemokraterna', 'KD'],
	['Centerpartiet', 'C'],
	['Sverigedemokraterna', 'SD'],
	['Demokraterna', 'D']
];

const PROPOSAL_HEADING = /^Förslag till beslut\s*:?$/i;
const LEVEL_LINE = /^I\s+kommunstyrelsen(\s+och\s+kommunfullmäktige)?\s*:?$|^I\s+kommunfullmäktige\s*:?$/i;
const NUMBERED = /^(\d{1,2})[.)]\s+(\S.*)$/;
const NUM_HEADING = /^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(\p{Lu}.*)$/u;
const BILAGA_MARK = /^Bilaga\s+(\d{1,2})\s*$/i;
const BULLET = /^[•▪◦●■\uF0B7]\s*/;
const DASH_ITEM = /^[-–]\s+/;
const GOAL = /^Mål\s*:\s*(.*)$/;
const PART_LABEL = /^([\p{Lu}][^:]{1,60}):\s*(.*)$/u;
const RISK_LABEL =
	/^(Riskbeskrivning|Konsekvensbeskrivning|Genomförda åtgärder|Existerande åtgärder|Befintliga åtgärder|Planerade åtgärder|Planerade kontroller|Kontrollmoment|Uppföljning)\s*:\s*(.*)$/i;
const CONTROL_TITLE = /^Riskområde\s*:\s*(.+)$/i;
const UNIT = /\(\s*(?:belopp\s+i\s+)?(mnkr|tkr|kr|miljoner kronor)\s*\)/i;
const NUMBER_TOKEN = /^[-−–]?\d+(?:,\d+)?$/;
const ASSIGNMENT_START = /\b(får|ges)\s+i\s+uppdrag\b|\buppdras\b/i;
const EARLIER_BUDGET = /^Budget\s*[-–]?\s*(\d{4})\s*[-–]?\s*/;
const ASSIGNMENT_HEADER = /^(.*\S)\s+(Plan för rapportering|Återrapportering|Redovisning)$/;
const TIMEPLAN_HEADER = /^Rubrik\s+(.+?)\s+Notering$/i;
const MONTHS = 'januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december';

interface Section {
	item: ParsedItem;
	depth: number;
	numbered: boolean;
}

export function parseBaselineText(input: string): ParseResult {
	return new Parser(input).parse();
}

class Parser {
	private blocks: Block[];
	private pos = 0;
	private warnings: string[] = [];
	private meta: BaselineMeta = {};
	private lineCount: number;

	constructor(input: string) {
		const lines = removePageFurniture(toLines(input));
		this.lineCount = lines.length;
		this.blocks = toBlocks(lines);
	}

	parse(): ParseResult {
		const partyDocuments: ParsedItem[] = [];
		const items: ParsedItem[] = [];
		const preamble: Block[] = [];
		let bilagaTitles: string[] = [];
		let sawTu = false;

		while (this.pos < this.blocks.length) {
			if (this.isPartyDocStart(this.pos)) {
				partyDocuments.push(this.readPartyDocument());
			} else if (!sawTu && this.isTuStart(this.pos)) {
				const tu = this.readTjansteutlatande();
				items.push(tu.item);
				bilagaTitles = tu.bilagor;
				sawTu = true;
			} else if (sawTu || this.isBilagaStart(this.pos, true)) {
				items.push(...this.readBilagor(bilagaTitles));
			} else {
				preamble.push(this.blocks[this.pos++]);
			}
		}
		if (preamble.length) {
			// Text before any known document: keep it, as plain text, rather than lose it.
			const flow = this.flowOf(preamble);
			if (items.length === 0 && partyDocuments.length === 0) items.push(...flow);
			else if (flow.length) {
				items.unshift({ kind: 'section', title: 'Inledande text', children: flow, source: sourceOfItems(flow) });
				this.warnings.push('Text före det första kända dokumentet lades under ”Inledande text”.');
			}
		}
		return { meta: this.meta, items, partyDocuments, warnings: this.warnings, lineCount: this.lineCount };
	}

	// ---- segments -------------------------------------------------------------------------------

	private isPartyDocStart(i: number): boolean {
		const b = this.blocks[i];
		return (i === 0 || b[0].page) && PARTY_DOC_TITLE.test(b[0].text);
	}

	private isTuStart(i: number): boolean {
		const b = this.blocks[i];
		if (!(i === 0 || b[0].page) || PARTY_DOC_TITLE.test(b[0].text)) return false;
		if (b.slice(1, 3).some((l) => PROPOSAL_HEADING.test(l.text))) return true;
		const next = this.blocks[i + 1];
		return b.length <= 2 && !!next && PROPOSAL_HEADING.test(next[0].text);
	}

	/** A bilaga starts at "Bilaga N", or where heading numbering restarts at 1 on a new page. */
	private isBilagaStart(i: number, strict = false): boolean {
		const b = this.blocks[i];
		if (!b) return false;
		if (BILAGA_MARK.test(b[0].text)) return true;
		if (strict) return false;
		const m = NUM_HEADING.exec(b[0].text);
		if (!m || !b[0].page) return false;
		const num = m[1].split('.').map(Number);
		return num[0] === 1 && num.slice(1).every((n) => n === 0) && m[3].length <= 60 && !/[.,;]$/.test(m[3]);
	}

	private readPartyDocument(): ParsedItem {
		const start = this.pos;
		let end = start + 1;
		while (end < this.blocks.length && !this.isPartyDocStart(end) && !this.isTuStart(end)) end++;
		const blocks = this.blocks.slice(start, end);
		this.pos = end;

		const first = blocks[0];
		let t = 1;
		while (t < first.length && /^\p{Ll}/u.test(first[t].text)) t++;
		const title = joinLines(first.slice(0, t));
		const [, kind, typeLabel] = PARTY_DOC_TYPES.find(([re]) => re.test(title)) ?? [null, 'yttrande', 'Yttrande'];
		const rest: Block[] = [];
		const remainder = first.slice(t);
		if (remainder.length) rest.push(remainder);
		rest.push(...blocks.slice(1));

		const children: ParsedItem[] = [];
		const paragraphs: string[] = [];
		const header: string[] = first.map((l) => l.text);
		for (let i = 0; i < rest.length; i++) {
			let b = rest[i];
			// A line of party names under the title says whose document it is; it is not text.
			if (children.length === 0 && b.length === 1 && isPartyLine(b[0].text)) {
				header.push(b[0].text);
				continue;
			}
			// "Yrkandet", "Yttrandet": the heading of the motivation, not text of it.
			if (/^(Yrkandet|Yttrandet|Motivering|Bakgrund)\s*:?$/i.test(b[0].text)) {
				b = b.slice(1);
				if (!b.length) continue;
			}
			if (PROPOSAL_HEADING.test(b[0].text)) {
				const { points, next } = this.readDecisionPoints(rest, i);
				children.push(...points);
				i = next - 1;
				continue;
			}
			const text = joinLines(b);
			paragraphs.push(text);
			children.push({ kind: 'paragraph', text, source: sourceOf([b]) });
		}
		const parties = detectParties(title, paragraphs, header);
		if (parties.length === 0) this.warnings.push(`Kunde inte avgöra vilka partier som står bakom ”${title}”.`);
		return {
			kind: 'party_document',
			label: typeLabel,
			title,
			fields: { Dokumenttyp: typeLabel, Typ: kind, Partier: parties },
			children,
			source: sourceOf(blocks)
		};
	}

	/**
	 * Reads "Förslag till beslut" and its numbered points from blocks[i]; the level lines ("I
	 * kommunstyrelsen:") set the level of the points after them.
	 */
	private readDecisionPoints(blocks: Block[], i: number): { points: ParsedItem[]; next: number } {
		const points: ParsedItem[] = [];
		let level: DecisionLevel = 'ks';
		let cur: { label: string; lines: Line[] } | null = null;
		const flush = () => {
			if (cur) {
				points.push({
					kind: 'decision_point',
					label: cur.label,
					level,
					text: joinLines(cur.lines),
					source: sourceOf([cur.lines])
				});
			}
			cur = null;
		};
		let j = i;
		let first = true;
		for (; j < blocks.length; j++) {
			const b = blocks[j];
			let lines = b;
			if (first) {
				lines = b.slice(1);
				first = false;
			} else {
				const head = b[0].text;
				const isPoint = NUMBERED.test(head) || LEVEL_LINE.test(head);
				const continues = cur && /^[\p{Ll}\d]/u.test(head) && !NUMBERED.test(head);
				if (!isPoint && !continues) break;
			}
			for (const l of lines) {
				const m = NUMBERED.exec(l.text);
				if (LEVEL_LINE.test(l.text)) {
					flush();
					level = /fullmäktige/i.test(l.text) ? 'ks_kf' : 'ks';
				} else if (m) {
					flush();
					cur = { label: m[1], lines: [{ ...l, text: m[2], raw: l.raw.replace(/^\d{1,2}[.)]\s+/, '') }] };
				} else if (cur) {
					(cur as { lines: Line[] }).lines.push(l);
				}
			}
		}
		flush();
		return { points, next: j };
	}

	private readTjansteutlatande(): { item: ParsedItem; bilagor: string[] } {
		const start = this.pos;
		let end = start + 1;
		while (end < this.blocks.length && !this.isBilagaStart(end) && !this.isPartyDocStart(end)) end++;
		const blocks = this.blocks.slice(start, end);
		this.pos = end;

		const title = blocks[0][0].text;
		const body: Block[] = [blocks[0].slice(1), ...blocks.slice(1)].filter((b) => b.length);
		const fields = this.extractTuMeta(body);
		const signatures = extractSignatures(body);
		if (signatures.length) fields['Underskrifter'] = signatures;
		this.meta.title = title;

		const children = this.flowOf(body);
		const bilagor: string[] = [];
		for (const s of children) {
			if (s.kind === 'section' && /^Bilagor$/i.test(s.title ?? '')) {
				for (const c of s.children ?? []) if (c.kind === 'list_item' && c.text) bilagor.push(c.text.replace(/\.$/, ''));
			}
		}
		return {
			item: {
				kind: 'section',
				label: 'Tjänsteutlåtande',
				title,
				fields,
				children,
				source: sourceOf(blocks)
			},
			bilagor
		};
	}

	/** Takes the header block of a tjänsteutlåtande out of the text and into fields and meta. */
	private extractTuMeta(body: Block[]): Record<string, FieldValue> {
		const fields: Record<string, FieldValue> = {};
		const drop = new Set<Line>();
		const all = body.flat();
		for (let i = 0; i < all.length; i++) {
			const l = all[i];
			let m: RegExpExecArray | null;
			if (/^Tjänsteutlåtande$/i.test(l.text)) {
				fields['Dokumenttyp'] = 'Tjänsteutlåtande';
				this.meta.documentType = 'Tjänsteutlåtande';
				drop.add(l);
				const prev = all[i - 1];
				if (
					prev &&
					prev.text.length <= 60 &&
					!/[.:,]$/.test(prev.text) &&
					/(kontoret|förvaltningen|nämnden)$/i.test(prev.text)
				) {
					fields['Förvaltning'] = prev.text;
					this.meta.issuer = prev.text;
					drop.add(prev);
				}
			} else if ((m = /^Utfärdat:?\s*(\d{4}-\d{2}-\d{2})$/i.exec(l.text))) {
				fields['Utfärdat'] = m[1];
				this.meta.issued = m[1];
				drop.add(l);
			} else if ((m = /^(Ärendenummer|Diarienummer|Dnr)\.?:?\s*(\S.*)$/i.exec(l.text))) {
				fields['Ärendenummer'] = m[2];
				this.meta.caseNumber = m[2];
				drop.add(l);
			} else if ((m = /^Handläggare:?\s*(.*)$/i.exec(l.text))) {
				drop.add(l);
				let name = m[1];
				if (!name && all[i + 1] && !/:/.test(all[i + 1].text)) {
					name = all[i + 1].text;
					drop.add(all[++i]);
				}
				if (name) {
					fields['Handläggare'] = name;
					this.meta.handlaggare = name;
				}
			} else if ((m = /^Telefon:?\s*(\S.*)$/i.exec(l.text))) {
				fields['Telefon'] = m[1];
				this.meta.phone = m[1];
				drop.add(l);
			} else if ((m = /^E-?post:?\s*(\S+@\S+)$/i.exec(l.text))) {
				fields['E-post'] = m[1];
				this.meta.email = m[1];
				drop.add(l);
			}
		}
		for (let i = body.length - 1; i >= 0; i--) {
			body[i] = body[i].filter((l) => !drop.has(l));
			if (!body[i].length) body.splice(i, 1);
		}
		return fields;
	}

	private readBilagor(titles: string[]): ParsedItem[] {
		const out: ParsedItem[] = [];
		let number = 0;
		while (this.pos < this.blocks.length) {
			if (this.isPartyDocStart(this.pos)) break;
			const startBlock = this.blocks[this.pos];
			const mark = BILAGA_MARK.exec(startBlock[0].text);
			number = mark ? Number(mark[1]) : number + 1;
			let end = this.pos + 1;
			while (end < this.blocks.length && !this.isBilagaStart(end) && !this.isPartyDocStart(end)) end++;
			let blocks = this.blocks.slice(this.pos, end);
			this.pos = end;
			let coverTitle: string | undefined;
			if (mark) {
				// A cover page: "Bilaga 2", then a title cut over lines, then the page the text starts on.
				blocks = [startBlock.slice(1), ...blocks.slice(1)].filter((b) => b.length);
				const cover: string[] = [];
				while (blocks.length > 1 && blocks[0].length === 1 && !NUM_HEADING.test(blocks[0][0].text)) {
					cover.push(blocks[0][0].text);
					blocks = blocks.slice(1);
				}
				if (cover.length) coverTitle = cover.join(' ');
			}
			const title = titles[number - 1] ?? coverTitle;
			const children = this.flowOf(blocks);
			out.push({
				kind: 'section',
				label: `Bilaga ${number}`,
				...(title ? { title } : {}),
				children,
				source: sourceOf([startBlock, ...blocks])
			});
		}
		return out;
	}

	// ---- running text ---------------------------------------------------------------------------

	/**
	 * The reader for running text: headings open sections, and known shapes (mål, uppdrag tables,
	 * economic tables, risk areas, the time plan, decision points) are read by their own readers.
	 */
	private flowOf(input: Block[]): ParsedItem[] {
		const blocks = input.map((b) => [...b]);
		const root: ParsedItem = { kind: 'section', children: [] };
		const stack: Section[] = [{ item: root, depth: 0, numbered: true }];
		let lastNumber: number[] | null = null;
		const top = () => stack[stack.length - 1];
		const append = (item: ParsedItem) => (top().item.children ??= []).push(item);
		const openNumbered = (item: ParsedItem, depth: number) => {
			while (stack.length > 1 && (!top().numbered || top().depth >= depth)) stack.pop();
			append(item);
			stack.push({ item, depth, numbered: true });
		};
		const openUnnumbered = (item: ParsedItem) => {
			// A heading right under another heading with nothing between is its subheading.
			const t = top();
			const emptyHeading = !t.numbered && !(t.item.children ?? []).length;
			if (!emptyHeading) while (stack.length > 1 && !top().numbered) stack.pop();
			append(item);
			stack.push({ item, depth: top().depth + 1, numbered: false });
		};
		const inSection = (re: RegExp) => stack.some((s) => re.test(s.item.title ?? ''));

		let i = 0;
		while (i < blocks.length) {
			const b = blocks[i];
			const head = b[0].text;

			// Numbered heading, when its number follows the last one: "2.2" after "2.1", not "1." inside 2.1.
			const nh = NUM_HEADING.exec(head);
			if (nh && !/[.,;]$/.test(nh[3]) && nh[3].length <= 100) {
				const num = nh[1].split('.').map(Number);
				if (plausibleHeading(num, lastNumber) && (b.length === 1 || b[1].text.length > 0)) {
					let k = 1;
					while (k < b.length && /^\p{Ll}/u.test(b[k].text) && b[k - 1].text.length >= 50) k++;
					const title = joinLines([{ ...b[0], text: nh[3], raw: b[0].raw.replace(/^\S+\s+/, '') }, ...b.slice(1, k)]);
					if (title.length <= 140) {
						lastNumber = num;
						const depth = num.length - (num.length > 1 && num[num.length - 1] === 0 ? 1 : 0);
						openNumbered(
							{ kind: 'section', label: nh[1] + nh[2], title, children: [], source: sourceOf([b.slice(0, k)]) },
							depth
						);
						if (k < b.length) blocks[i] = b.slice(k);
						else i++;
						continue;
					}
				}
			}

			if (PROPOSAL_HEADING.test(head)) {
				const { points, next } = this.readDecisionPoints(blocks, i);
				append({
					kind: 'section',
					title: 'Förslag till beslut',
					children: points,
					source: sourceOf(blocks.slice(i, next))
				});
				i = next;
				continue;
			}

			if (GOAL.test(head)) {
				const { item, next } = this.readGoal(blocks, i, (j) => this.endsGoal(blocks, j, lastNumber));
				append(item);
				i = next;
				continue;
			}

			const control = CONTROL_TITLE.exec(head);
			if (control || this.isRiskTitle(blocks, i)) {
				const { item, next } = this.readRisk(blocks, i, control ? 'control' : 'risk');
				append(item);
				i = next;
				continue;
			}

			if (b.some((l) => UNIT.test(l.text)) && this.looksLikeTable(blocks, i)) {
				const { item, next } = this.readTable(blocks, i);
				append(item);
				i = next;
				continue;
			}

			const ah = ASSIGNMENT_HEADER.exec(head);
			if (ah && b.length <= 2) {
				const { items, next } = this.readAssignments(blocks, i, ah[0], ah[2], lastNumber);
				for (const it of items) append(it);
				i = next;
				continue;
			}

			if (TIMEPLAN_HEADER.test(head)) {
				const { items, next } = this.readTimeplan(blocks, i, lastNumber);
				for (const it of items) append(it);
				i = next;
				continue;
			}

			if (BULLET.test(head)) {
				const { items, next } = readList(blocks, i, BULLET);
				for (const it of items) append(it);
				i = next;
				continue;
			}

			const numbered = NUMBERED.exec(head);
			if (numbered) {
				const { items, next } = readList(blocks, i, /^\d{1,2}[.)]\s+/);
				for (const it of items) append(it);
				i = next;
				continue;
			}

			const h = headingLength(b);
			if (h > 0 && i + 1 <= blocks.length) {
				const title = joinLines(b.slice(0, h));
				openUnnumbered({ kind: 'section', title, children: [], source: sourceOf([b.slice(0, h)]) });
				if (h < b.length) blocks[i] = b.slice(h);
				else i++;
				continue;
			}

			if (/^Från genomförandeplanen\s*:$/i.test(head) && b.length === 1) {
				// The source of the inriktningar that follow; they are the board's plan, said once.
				(top().item.fields ??= {})['Källa'] = 'Från genomförandeplanen';
				i++;
				continue;
			}

			// A paragraph; bullets that follow it in the same block are read as a list next.
			const cut = b.findIndex((l, k) => k > 0 && BULLET.test(l.text));
			const para = cut > 0 ? b.slice(0, cut) : b;
			const text = joinLines(para);
			const kind = inSection(/^Inriktningar/i) ? 'direction' : 'paragraph';
			append({ kind, text, source: sourceOf([para]) });
			if (cut > 0) blocks[i] = b.slice(cut);
			else i++;
		}
		return root.children ?? [];
	}

	// ---- mål ------------------------------------------------------------------------------------

	private endsGoal(blocks: Block[], j: number, lastNumber: number[] | null): boolean {
		const head = blocks[j][0].text;
		if (GOAL.test(head) || BILAGA_MARK.test(head) || PROPOSAL_HEADING.test(head) || CONTROL_TITLE.test(head))
			return true;
		// Another shape begins: an uppdrag table, an economic table, the time plan.
		if (ASSIGNMENT_HEADER.test(head) || TIMEPLAN_HEADER.test(head) || UNIT.test(head)) return true;
		const nh = NUM_HEADING.exec(head);
		return !!nh && plausibleHeading(nh[1].split('.').map(Number), lastNumber) && nh[3].length <= 100;
	}

	/** "Mål: …" and its parts: "Från genomförandeplanen:", "Nuläge:", "… planering:", "Viktiga styrdokument är:". */
	private readGoal(blocks: Block[], i: number, ends: (j: number) => boolean): { item: ParsedItem; next: number } {
		const b = blocks[i];
		const m = GOAL.exec(b[0].text)!;
		let k = 1;
		while (k < b.length && !PART_LABEL.test(b[k].text)) k++;
		const title = joinLines([{ ...b[0], text: m[1], raw: b[0].raw.replace(/^Mål\s*:\s*/, '') }, ...b.slice(1, k)]);
		const parts: { name: string; blocks: Block[] }[] = [];
		const rest: Block[] = [];
		if (k < b.length) rest.push(b.slice(k));
		let j = i + 1;
		while (j < blocks.length && !ends(j)) rest.push(blocks[j++]);
		for (const rb of rest) {
			const label = PART_LABEL.exec(rb[0].text);
			if (label && rb[0].text.length <= 70 && !BULLET.test(rb[0].text)) {
				const name = label[1].replace(/\s+är$/i, '').trim();
				parts.push({ name, blocks: [] });
				const after = label[2] ? [{ ...rb[0], text: label[2], raw: label[2] }, ...rb.slice(1)] : rb.slice(1);
				if (after.length) parts[parts.length - 1].blocks.push(after);
			} else if (parts.length) {
				parts[parts.length - 1].blocks.push(rb);
			} else {
				parts.push({ name: 'Beskrivning', blocks: [rb] });
			}
		}
		const fields: Record<string, FieldValue> = {};
		for (const p of parts) fields[p.name] = fieldValue(p.blocks);
		return {
			item: { kind: 'goal', title, fields, source: sourceOf(blocks.slice(i, j)) },
			next: j
		};
	}

	// ---- risk areas and internal control ---------------------------------------------------------

	private isRiskTitle(blocks: Block[], i: number): boolean {
		const b = blocks[i];
		if (RISK_LABEL.test(b[0].text) || b.length > 2) return false;
		const next = blocks[i + 1];
		return !!next && /^Riskbeskrivning\s*:/i.test(next[0].text);
	}

	private readRisk(blocks: Block[], i: number, kind: 'risk' | 'control'): { item: ParsedItem; next: number } {
		const b = blocks[i];
		const control = CONTROL_TITLE.exec(b[0].text);
		const title = control ? control[1].trim() : joinLines(b);
		const parts: { name: string; blocks: Block[] }[] = [];
		let j = i + 1;
		let followUp: string | undefined;
		for (; j < blocks.length; j++) {
			const rb = blocks[j];
			const head = rb[0].text;
			if (CONTROL_TITLE.test(head) || this.isRiskTitle(blocks, j)) break;
			const label = RISK_LABEL.exec(head);
			if (label) {
				parts.push({ name: normalizeLabel(label[1]), blocks: [] });
				const after = label[2] ? [{ ...rb[0], text: label[2], raw: label[2] }, ...rb.slice(1)] : rb.slice(1);
				if (after.length) parts[parts.length - 1].blocks.push(after);
				continue;
			}
			const last = parts[parts.length - 1];
			if (!last) break;
			const planned = /^Planerade/i.test(last.name);
			if (planned && last.blocks.length && !BULLET.test(head) && !/^\p{Ll}/u.test(head)) {
				// After the planned measures comes one cell on how it is followed up; then the area ends.
				const headingLike = rb.length === 1 && !/[.]$/.test(head) && !/^(Uppföljning|Resultatet)/i.test(head);
				if (!headingLike) {
					followUp = joinLines(rb);
					j++;
				}
				break;
			}
			last.blocks.push(rb);
		}
		const fields: Record<string, FieldValue> = {};
		for (const p of parts) {
			const listy = /åtgärder|kontroller|kontrollmoment/i.test(p.name);
			fields[p.name] = listy ? listValue(p.blocks) : fieldValue(p.blocks);
		}
		if (followUp) fields['Uppföljning'] = followUp;
		return { item: { kind, title, fields, source: sourceOf(blocks.slice(i, j)) }, next: j };
	}

	// ---- economic tables ------------------------------------------------------------------------

	private looksLikeTable(blocks: Block[], i: number): boolean {
		const lines = blocks.slice(i, i + 12).flat();
		return lines.filter((l) => splitRow(l.text, 0) !== null).length >= 2;
	}

	/**
	 * An economic table: its title with the unit, the column headings, then rows of a label and one
	 * number per column. A label without numbers followed by rows heads a group of rows.
	 */
	private readTable(blocks: Block[], i: number): { item: ParsedItem; next: number } {
		const b = blocks[i];
		const unitIdx = b.findIndex((l) => UNIT.test(l.text));
		const unitLine = b[unitIdx].text;
		const unit = UNIT.exec(unitLine)![1].toLowerCase();
		const before = unitLine.replace(UNIT, '').trim();
		const title = before || joinLines(b.slice(0, unitIdx)) || 'Tabell';

		// The lines after the title, across blocks, each with where it came from.
		// Filled as far as the reading looks ahead: the table ends long before the text does.
		const flat: { line: Line; block: number; index: number }[] = [];
		for (let k = unitIdx + 1; k < b.length; k++) flat.push({ line: b[k], block: i, index: k });
		let nextBlock = i + 1;
		const ensure = (n: number) => {
			while (flat.length <= n && nextBlock < blocks.length) {
				const j = nextBlock++;
				blocks[j].forEach((line, index) => flat.push({ line, block: j, index }));
			}
			return flat.length > n;
		};

		const headers: string[] = [];
		const table: ParsedItem = { kind: 'table', title, fields: { Enhet: unit }, columns: [], children: [] };
		let group: ParsedItem | null = null;
		let p = 0;
		let lastUsed: { block: number; index: number; line?: Line } = { block: i, index: unitIdx };
		// Column headings: the lines before the first row.
		while (ensure(p) && splitRow(flat[p].line.text, 0) === null && headers.length < 8) {
			headers.push(flat[p].line.text);
			lastUsed = flat[p];
			p++;
		}
		for (; ensure(p); p++) {
			const { line } = flat[p];
			const row = splitRow(line.text, headers.length);
			if (row) {
				if (!table.columns!.length) table.columns = columnNames(headers, row.values.length);
				const values: Record<string, number> = {};
				row.values.forEach((v, k) => {
					const col = table.columns![k] ?? `Kolumn ${k + 1}`;
					if (!table.columns!.includes(col)) table.columns!.push(col);
					values[col] = v;
				});
				const item: ParsedItem = {
					kind: 'table_row',
					title: row.label,
					values,
					source: { from: line.no, to: line.no }
				};
				(group ? group.children! : table.children!).push(item);
				lastUsed = flat[p];
				continue;
			}
			// A group heading has rows right after it.
			ensure(p + 2);
			const ahead = flat.slice(p + 1, p + 3);
			if (line.text.length <= 60 && ahead.some((a) => splitRow(a.line.text, headers.length) !== null)) {
				group = { kind: 'table_row', title: line.text, children: [], source: { from: line.no, to: line.no } };
				table.children!.push(group);
				lastUsed = flat[p];
				continue;
			}
			break;
		}
		if (!table.columns!.length) table.columns = headers;
		table.source = { from: b[0].no, to: lastUsed.line?.no ?? b[b.length - 1].no };
		// Resume after the last line used; split its block when the table ended inside it.
		const endBlock = lastUsed.block;
		const restOfBlock = blocks[endBlock].slice(lastUsed.index + 1);
		if (restOfBlock.length) {
			blocks[endBlock] = restOfBlock;
			return { item: table, next: endBlock };
		}
		return { item: table, next: endBlock + 1 };
	}

	// ---- uppdrag tables -------------------------------------------------------------------------

	/**
	 * A two-column table of uppdrag and their plan för rapportering. The columns come out of the PDF
	 * one after the other; the plan column is narrow, so a block of short lines is a plan cell and a
	 * block of full-width lines is an uppdrag (or a note in the uppdrag's cell).
	 */
	private readAssignments(
		blocks: Block[],
		i: number,
		header: string,
		planName: string,
		lastNumber: number[] | null
	): { items: ParsedItem[]; next: number } {
		const items: ParsedItem[] = [];
		let container: ParsedItem[] = items;
		let cur: { item: ParsedItem; plan: Block[]; notes: Block[]; blocks: Block[] } | null = null;
		const headerKey = header.replace(/\s+/g, ' ');
		const flush = () => {
			if (!cur) return;
			const fields = cur.item.fields!;
			if (cur.plan.length) fields[planName] = cur.plan.map((pb) => joinLines(pb)).join('\n\n');
			for (const nb of cur.notes) {
				const text = joinLines(nb);
				const status = /^Status\s*:\s*(.*)$/i.exec(text);
				if (status) fields['Status'] = status[1];
				else fields['Kommentar'] = fields['Kommentar'] ? `${fields['Kommentar']}\n\n${text}` : text;
			}
			cur.item.source = sourceOf(cur.blocks);
			cur = null;
		};

		let j: number;
		if (blocks[i].length > 1) {
			blocks[i] = blocks[i].slice(1);
			j = i;
		} else j = i + 1;
		const width = (blk: Block) => Math.max(...blk.map((l) => l.text.length));
		for (; j < blocks.length; j++) {
			let b = blocks[j];
			if (b[0].text.replace(/\s+/g, ' ') === headerKey) {
				// The header repeated at the top of a page.
				if (b.length === 1) continue;
				b = blocks[j] = b.slice(1);
			}
			const head = b[0].text;
			const nh = NUM_HEADING.exec(head);
			if (nh && plausibleHeading(nh[1].split('.').map(Number), lastNumber)) break;
			if (GOAL.test(head) || BILAGA_MARK.test(head) || PROPOSAL_HEADING.test(head) || CONTROL_TITLE.test(head)) break;
			if (UNIT.test(head) || TIMEPLAN_HEADER.test(head)) break;
			const text = joinLines(b);
			const wide = width(b) >= 40;
			const starts = ASSIGNMENT_START.test(text) || EARLIER_BUDGET.test(head);
			if (wide && starts) {
				flush();
				const fields: Record<string, FieldValue> = {};
				let body = text;
				const year = EARLIER_BUDGET.exec(body);
				if (year) {
					fields['Budgetår'] = year[1];
					body = body.slice(year[0].length);
				}
				const ref = /\s*[-–]\s*(?:ärende\s+)?((?:dnr\s+)?[\p{Lu}]{2,}-\d{4}-\d+|dnr\s+[\d/]+)\s*$/iu.exec(body);
				if (ref) {
					fields['Ärende'] = ref[1];
					body = body.slice(0, ref.index);
				}
				cur = { item: { kind: 'assignment', text: body.trim(), fields }, plan: [], notes: [], blocks: [b] };
				container.push(cur.item);
				continue;
			}
			if (b.length === 1 && !/[.:,]$/.test(head) && !ASSIGNMENT_START.test(head) && (!cur || wide)) {
				// A heading row spanning both columns groups the uppdrag after it.
				const next = blocks[j + 1];
				if (next && ASSIGNMENT_START.test(joinLines(next))) {
					flush();
					const group: ParsedItem = { kind: 'section', title: head, children: [], source: sourceOf([b]) };
					items.push(group);
					container = group.children!;
					continue;
				}
			}
			if (!cur) break;
			if (wide && !cur.plan.length) {
				cur.notes.push(b);
				cur.blocks.push(b);
				continue;
			}
			if (wide && b.length > 1) {
				// Full-width text after the plan is a new row whose wording lacks "får i uppdrag".
				flush();
				cur = { item: { kind: 'assignment', text, fields: {} }, plan: [], notes: [], blocks: [b] };
				container.push(cur.item);
				this.warnings.push(`Tolkade ”${text.slice(0, 60)}…” som ett uppdrag; kontrollera.`);
				continue;
			}
			cur.plan.push(b);
			cur.blocks.push(b);
		}
		flush();
		return { items, next: j };
	}

	// ---- time plan ------------------------------------------------------------------------------

	/**
	 * The tid- och arbetsplan: Rubrik | Till KS | Notering. Cells of a row come out interleaved, some
	 * on one line ("… Göteborgs Stad 2025-05-21 Tjänsteutlåtande"), so each line is peeled from the
	 * right: a note, then a date or a meeting, and what is left belongs to the heading.
	 */
	private readTimeplan(blocks: Block[], i: number, lastNumber: number[] | null): { items: ParsedItem[]; next: number } {
		const hm = TIMEPLAN_HEADER.exec(blocks[i][0].text)!;
		const when = hm[1].trim();
		const items: ParsedItem[] = [];
		type Row = { heading: Line[]; when: string[]; note: string[]; lines: Line[] };
		let row: Row | null = null;
		const flush = () => {
			if (!row) return;
			const logical: Line[][] = [];
			for (const l of row.heading) {
				if (!logical.length || DASH_ITEM.test(l.text) || /^Inklusive\b/.test(l.text)) logical.push([l]);
				else logical[logical.length - 1].push(l);
			}
			const [first, ...more] = logical.map((ls) => joinLines(ls));
			const fields: Record<string, FieldValue> = {};
			if (row.when.length) fields[when] = row.when.join(' ');
			if (row.note.length) fields['Notering'] = row.note.join('\n');
			items.push({
				kind: 'timeplan_row',
				title: first ?? '',
				...(more.length ? { text: more.join('\n') } : {}),
				fields,
				source: { from: row.lines[0].no, to: row.lines[row.lines.length - 1].no }
			});
			row = null;
		};
		const whenOnly = new RegExp(
			`^(Månatligen|Veckovis|Kvartalsvis|Löpande|Ordinarie KS|Extra KS|(${MONTHS})( år)? \\d{4})$`,
			'i'
		);
		const lines: Line[] = blocks[i].slice(1);
		let j = i + 1;
		for (; j < blocks.length; j++) {
			const head = blocks[j][0].text;
			const nh = NUM_HEADING.exec(head);
			if (nh && plausibleHeading(nh[1].split('.').map(Number), lastNumber)) break;
			if (BILAGA_MARK.test(head)) break;
			lines.push(...blocks[j]);
		}
		for (const l of lines) {
			let rest = l.text;
			let note: string | null = null;
			let at: string | null = null;
			if (/^Sista dag\b/i.test(rest)) {
				note = rest;
				rest = '';
			} else {
				const n = /^(.*?)\s*(Tjänsteutlåtande(?:\s*\([^)]*\))?|Information|Anmälan)$/.exec(rest);
				if (n) {
					note = n[2];
					rest = n[1];
				}
				const d = /^(.*?)\s*(\d{4}-\d{2}-\d{2})$/.exec(rest);
				if (d) {
					at = d[2];
					rest = d[1];
				}
				if (whenOnly.test(rest)) {
					at = at ? `${rest} ${at}` : rest;
					rest = '';
				}
			}
			if (rest) {
				if (row && ((row as Row).when.length || (row as Row).note.length)) flush();
				row ??= { heading: [], when: [], note: [], lines: [] };
				row.heading.push({ ...l, text: rest });
			}
			if (!row) row = { heading: [], when: [], note: [], lines: [] };
			if (at) row.when.push(at);
			if (note) row.note.push(note);
			row.lines.push(l);
		}
		flush();
		return { items, next: j };
	}
}

// ---- helpers ------------------------------------------------------------------------------------

/** Whether a heading number can follow the last one: the next at some level, or one level down. */
export function plausibleHeading(next: number[], last: number[] | null): boolean {
	if (!last) return next[0] === 1 && next.slice(1).every((n) => n <= 1);
	const len = Math.max(next.length, last.length);
	for (let k = 0; k < len; k++) {
		const a = last[k];
		const b = next[k];
		if (a === b) continue;
		if (b === undefined) return a === 0 && next.length === k;
		if (a === undefined) return b <= 1 && next.slice(k + 1).every((n) => n <= 1);
		return b === a + 1 && next.slice(k + 1).every((n) => n <= 1);
	}
	return true; // the same number again: documents repeat one now and then ("2.2" twice)
}

/**
 * How many lines at the start of a block form an unnumbered heading (0: none). A heading is short,
 * does not end a sentence, and is followed by a new sentence or nothing.
 */
function headingLength(b: Block): number {
	const ok = (t: string) =>
		/^[\p{Lu}\d"”]/u.test(t) &&
		!/[.,;:!?]$/.test(t) &&
		!BULLET.test(t) &&
		!DASH_ITEM.test(t) &&
		!ASSIGNMENT_START.test(t);
	if (b.length === 1) return b[0].text.length <= 80 && ok(b[0].text) && /\p{L}{3}/u.test(b[0].text) ? 1 : 0;
	const max = Math.max(...b.map((l) => l.text.length));
	for (let k = 0; k < Math.min(2, b.length - 1); k++) {
		const t = b[k].text;
		const head = joinLines(b.slice(0, k + 1));
		const next = b[k + 1].text;
		if (/[.,;:!?]$/.test(t)) return 0;
		if (
			t.length <= 60 &&
			t.length < 0.7 * max &&
			ok(head) &&
			head.length <= 140 &&
			/^([\p{Lu}]|\d{1,2}[.)]\s)/u.test(next)
		) {
			return k + 1;
		}
	}
	return 0;
}

/** A bulleted or numbered list; lines and blocks that start in lower case continue the item. */
function readList(blocks: Block[], i: number, marker: RegExp): { items: ParsedItem[]; next: number } {
	const items: ParsedItem[] = [];
	let cur: { label?: string; lines: Line[] } | null = null;
	const flush = () => {
		if (!cur) return;
		const text = joinLines(cur.lines);
		const money = /^(.*?),\s*([-−–]?\d[\d ]*,\d+)\s*(mnkr|tkr)\.?$/.exec(text);
		const item: ParsedItem = money
			? { kind: 'list_item', title: money[1], values: { [money[3]]: parseNumber(money[2]) } }
			: { kind: 'list_item', text };
		if (cur.label) item.label = cur.label;
		item.source = sourceOf([cur.lines]);
		items.push(item);
		cur = null;
	};
	let j = i;
	for (; j < blocks.length; j++) {
		const b = blocks[j];
		const head = b[0].text;
		const isItem = marker.test(head);
		// A block in lower case, or starting with a number that is no item ("2025 för …"), continues the item.
		const continues = cur && /^[\p{Ll}\d(]/u.test(head) && !NUM_HEADING.test(head);
		if (!isItem && !continues) break;
		let k = 0;
		for (; k < b.length; k++) {
			const l = b[k];
			const m = marker.exec(l.text);
			if (m) {
				flush();
				const label = /^(\d{1,2})/.exec(m[0])?.[1];
				const stripped = l.text.slice(m[0].length);
				cur = { label, lines: [{ ...l, text: stripped, raw: l.raw.replace(marker, '') }] };
			} else if (cur && (/^\p{Ll}/u.test(l.text) || cur.lines[cur.lines.length - 1].text.length >= 50 || k > 0)) {
				// Wrapped lines of the item; a new sentence after a short line ends the list.
				if (
					!/^\p{Ll}/u.test(l.text) &&
					cur.lines[cur.lines.length - 1].text.length < 50 &&
					/[.]$/.test(cur.lines[cur.lines.length - 1].text)
				)
					break;
				cur.lines.push(l);
			} else break;
		}
		if (k < b.length) {
			flush();
			blocks[j] = b.slice(k);
			return { items, next: j };
		}
	}
	flush();
	return { items, next: j };
}

function normalizeLabel(s: string): string {
	const t = s.trim();
	return t.charAt(0).toUpperCase() + t.slice(1).toLowerCase();
}

/** A part as a field: running text with paragraphs apart, or a list when it is all bullets. */
function fieldValue(blocks: Block[]): FieldValue {
	const lines = blocks.flat();
	if (lines.length && BULLET.test(lines[0].text)) return listValue(blocks);
	const paras: string[] = [];
	for (const b of blocks) {
		if (paras.length && /^\p{Ll}/u.test(b[0].text))
			paras[paras.length - 1] = joinLines([{ text: paras[paras.length - 1], raw: paras[paras.length - 1] }, ...b]);
		else paras.push(joinLines(b));
	}
	return paras.join('\n\n');
}

/** Entries of a list: bullets, or one entry per paragraph; lower-case starts continue an entry. */
function listValue(blocks: Block[]): string[] {
	const entries: Line[][] = [];
	for (const b of blocks) {
		for (const l of b) {
			if (BULLET.test(l.text))
				entries.push([{ ...l, text: l.text.replace(BULLET, ''), raw: l.raw.replace(BULLET, '') }]);
			else if (entries.length && (/^\p{Ll}/u.test(l.text) || l !== b[0])) entries[entries.length - 1].push(l);
			else entries.push([l]);
		}
	}
	return entries.map((ls) => joinLines(ls));
}

/** Parties behind a party document: a header line of names, "förslaget från …", or who speaks. */
export function detectParties(title: string, paragraphs: string[], headerLines: string[]): string[] {
	const namePattern = PARTY_NAMES.map(([n]) => n).join('|');
	const found: string[] = [];
	const add = (name: string) => {
		const id = PARTY_NAMES.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
		if (id && !found.includes(id)) found.push(id);
	};
	const listRe = new RegExp(`(?<![\\p{L}])(${namePattern})(?![\\p{L}])`, 'gu');
	for (const l of headerLines.slice(0, 8)) {
		if (isPartyLine(l)) for (const m of l.matchAll(listRe)) add(m[1]);
	}
	if (found.length) return found;
	const text = paragraphs.join(' ');
	// "till förmån för förslaget från Moderaterna, Demokraterna, Liberalerna och Kristdemokraterna"
	const own = new RegExp(`förslag(?:et)? från ((?:(?:${namePattern})(?:,\\s*|\\s+och\\s+)?)+)`, 'u').exec(text);
	if (own) {
		for (const m of own[1].matchAll(listRe)) add(m[1]);
		if (found.length) return found;
	}
	// "Centerpartiet vill …", "Sverigedemokraterna ställer sig …": the party speaking of itself.
	const subject = new RegExp(`(?:^|[.!?]\\s+)(${namePattern})\\s+(?=\\p{Ll})`, 'gu');
	for (const m of text.matchAll(subject)) add(m[1]);
	void title;
	return found;
}

/** A line that is nothing but party names: "Moderaterna, Liberalerna och Kristdemokraterna". */
export function isPartyLine(text: string): boolean {
	const namePattern = PARTY_NAMES.map(([n]) => n).join('|');
	return new RegExp(`^((${namePattern})(\\s*(,|och|&|/)\\s*)?)+$`, 'u').test(text.trim());
}

/** Splits "Kostnader -580,6 -602,0" into its label and numbers; null when it is not a row. */
export function splitRow(text: string, columns: number): { label: string; values: number[] } | null {
	const tokens = text.split(' ');
	let k = tokens.length;
	while (k > 0 && NUMBER_TOKEN.test(tokens[k - 1])) k--;
	let nums = tokens.slice(k);
	const label = tokens.slice(0, k).join(' ');
	if (!nums.length || !/\p{L}/u.test(label)) return null;
	if (!nums.some((n) => n.includes(','))) return null; // amounts in mnkr carry a decimal comma
	// "1 300,0" is one number written with a thousands space: merge groups beyond the column count.
	if (columns && nums.length > columns) {
		const merged: string[] = [];
		for (const n of nums) {
			const prev = merged[merged.length - 1];
			if (
				prev &&
				!prev.includes(',') &&
				/^\d{3}(,\d+)?$/.test(n) &&
				merged.length + (nums.length - merged.length) > columns
			) {
				merged[merged.length - 1] = prev + n;
			} else merged.push(n);
		}
		nums = merged;
	}
	return { label, values: nums.map(parseNumber) };
}

export function parseNumber(s: string): number {
	return Number(s.replace(/\s/g, '').replace(/^[−–]/, '-').replace(',', '.'));
}

function columnNames(headers: string[], n: number): string[] {
	const h = headers.filter((x) => x.trim());
	if (h.length === n) return h;
	if (h.length === 1 && n > 1) {
		// "Budget 2024 Budget 2025" on one line: split after each year.
		const parts = h[0].match(/\S.*?\d{4}(?=\s|$)/g);
		if (parts && parts.length === n) return parts.map((p) => p.trim());
	}
	return Array.from({ length: n }, (_, k) => h[k] ?? `Kolumn ${k + 1}`);
}

function extractSignatures(body: Block[]): string[] {
	// Names and titles at the end of a tjänsteutlåtande: short lines, each its own block, in pairs.
	const tail: string[] = [];
	while (body.length) {
		const b = body[body.length - 1];
		const t = b[0].text;
		if (b.length !== 1 || t.length > 45 || /[.,;:!?]$/.test(t) || /[\d()]/.test(t) || tail.length >= 8) break;
		tail.unshift(t);
		body.pop();
	}
	if (tail.length < 2) {
		for (const t of tail) body.push([{ no: 0, raw: t, text: t, page: false }]);
		return [];
	}
	const out: string[] = [];
	for (let k = 0; k < tail.length; k += 2) out.push(tail[k + 1] ? `${tail[k]}, ${tail[k + 1]}` : tail[k]);
	return out;
}

function sourceOf(blocks: Block[]): { from: number; to: number } | undefined {
	const lines = blocks.flat().filter((l) => l.no > 0);
	if (!lines.length) return undefined;
	return { from: lines[0].no, to: lines[lines.length - 1].no };
}

function sourceOfItems(items: ParsedItem[]): { from: number; to: number } | undefined {
	const s = items.map((i) => i.source).filter((x): x is { from: number; to: number } => !!x);
	if (!s.length) return undefined;
	return { from: Math.min(...s.map((x) => x.from)), to: Math.max(...s.map((x) => x.to)) };
}
