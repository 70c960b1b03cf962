import { draftKinds, type DraftKind } from '../../db/schema/drafts';
import type { AmendmentOp, Block, DecisionLevel } from '../domain/draft-doc';
import { draftKindInfo } from '../presenters/draft';

/**
 * What an export is made from: plain data that the routes assemble from the database and the frozen
 * draft versions, and that the renderers (DOCX, PDF, Markdown, HTML) turn into files without any I/O.
 * Everything that would otherwise make two exports of the same input differ (dates, ids) is in here.
 */

/** A party as the document names it: the abbreviation and the name written out. */
export interface ExportParty {
	/** "SD" */
	id: string;
	/** "Sverigedemokraterna" */
	name: string;
}

/** A person signing the document. */
export interface ExportSignatory {
	name: string;
	/** the party the person signs for, by id */
	partyId?: string;
}

/** One att-sats; its number is computed at export, per decision level. */
export interface ExportPoint {
	id: string;
	level: DecisionLevel;
	text: string;
}

/** One row of a budget table changed by an amendment of op `amounts`. */
export interface ExportAmount {
	column: string;
	from: number | null;
	to: number | null;
}

/** A change to the baseline: exported as tracked changes in DOCX and as marked text elsewhere. */
export interface ExportAmendment {
	id: string;
	op: AmendmentOp;
	target: {
		/** the baseline item's stable id */
		itemId: string;
		/** how the document refers to it, e.g. "Punkt 2 i stadsledningskontorets förslag till beslut" */
		reference: string;
	};
	/** the item's text in the baseline; empty for an insertion */
	baselineText: string;
	/** the proposed text; empty when the item is struck */
	newText: string;
	/** op `amounts` only: the numbers before and after, by column */
	amounts?: ExportAmount[];
	/** the parties the change is attributed to (the author of the tracked change) */
	parties: ExportParty[];
}

/** A yrkande, yttrande or other party document as it is handed to the clerk. */
export interface ExportDocument {
	/** the draft's id; names the document in the file and its metadata */
	id: string;
	kind: DraftKind;
	/** not submitted: every page is marked "UTKAST" */
	draft: boolean;
	/** date of the document, YYYY-MM-DD; also the date of its tracked changes and file timestamps */
	date: string;
	/** the deciding body, "Kommunstyrelsen" */
	body: string;
	/** the owner first, then the co-signing parties in their order */
	parties: ExportParty[];
	/** ärendenummer, e.g. "SLK-2024-00738" */
	caseNumber: string;
	/** the ärende's title, e.g. "Budget 2025 för kommunstyrelsen" */
	caseTitle: string;
	/** the meeting's date, YYYY-MM-DD, when known */
	meetingDate?: string;
	/** position on the meeting's agenda, e.g. "4.", when known */
	agendaNumber?: string;
	/** the document's own heading, e.g. "Yrkande angående – Budget 2025 för kommunstyrelsen" */
	title: string;
	points: ExportPoint[];
	/** the motivation ("Yrkandet") or the statement's text */
	motivation: Block[];
	signatories: ExportSignatory[];
	amendments: ExportAmendment[];
}

/** Positions of the parties on the points of an item: rows × parties with a label in each cell. */
export interface DecisionMatrix {
	parties: ExportParty[];
	rows: {
		id: string;
		/** what the row is about, e.g. "SLK punkt 1" or "SD:s yrkande, punkt 3" */
		label: string;
		/** cell label by party id ("Bifall", "Avslag", "Deltar inte"); a missing party shows as not stated */
		cells: Record<string, string>;
	}[];
}

/** One ärende of the meeting in the case package. */
export interface PackageItem {
	caseId: string;
	caseNumber: string;
	title: string;
	agendaNumber?: string;
	/** every submitted yrkande and yttrande of the item, in the order they were submitted */
	documents: ExportDocument[];
	matrix?: DecisionMatrix;
	/** after the meeting: the protocol-style summary of the item, paragraphs separated by blank lines */
	protocol?: string;
}

/** What the clerk puts in front of the meeting: the items in agenda order with the parties' documents. */
export interface CasePackage {
	/** names the package in its metadata */
	id: string;
	body: string;
	/** the date the package was made, YYYY-MM-DD; also its file timestamps */
	date: string;
	meetingDate?: string;
	items: PackageItem[];
}

/** Swedish document type by draft kind, as the header and the file name write it (the UI's own labels). */
export const documentTypeLabels = Object.fromEntries(draftKinds.map((k) => [k, draftKindInfo[k].label])) as Record<
	DraftKind,
	string
>;

/** The heading above the motivation, the same the editor shows above the text: "Yrkandet", "Yttrandet". */
export const motivationHeadings = Object.fromEntries(draftKinds.map((k) => [k, draftKindInfo[k].bodyLabel])) as Record<
	DraftKind,
	string
>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The instant the export stamps on tracked changes and file entries: midnight UTC of the model's date,
 * so that the same input gives the same bytes whenever it is rendered.
 */
export function exportInstant(date: string): Date {
	if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
		throw new Error(`export date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
	}
	return new Date(`${date}T00:00:00Z`);
}

/** "Moderaterna, Liberalerna och Kristdemokraterna" */
export function joinSwedish(names: readonly string[]): string {
	if (names.length <= 1) return names.join('');
	return `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}`;
}

/** Agenda numbers compare by their numeric parts: "2.1.1." before "4." before "10."; none goes last. */
export function compareAgendaNumbers(a: string | undefined, b: string | undefined): number {
	const parts = (s: string) =>
		s
			.split(/[.\s]+/)
			.filter(Boolean)
			.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
	if (!a || !b) return a ? -1 : b ? 1 : 0;
	const pa = parts(a);
	const pb = parts(b);
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const x = pa[i];
		const y = pb[i];
		if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
		if (x === y) continue;
		if (typeof x === 'number' && typeof y === 'number') return x - y;
		return String(x).localeCompare(String(y), 'sv');
	}
	return 0;
}

/** The package's items in agenda order; items without a number keep their order at the end. */
export function inAgendaOrder(items: readonly PackageItem[]): PackageItem[] {
	return items
		.map((item, i) => ({ item, i }))
		.sort((x, y) => compareAgendaNumbers(x.item.agendaNumber, y.item.agendaNumber) || x.i - y.i)
		.map((x) => x.item);
}
