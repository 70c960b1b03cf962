import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CasePackage, ExportDocument, ExportParty } from '../../../server/export/model';

/**
 * Export models made from the real case: the party documents at the top of the fixture
 * (SLK-2024-00738) recreated as the drafting model would hold them.
 */

const fixturePath = fileURLToPath(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url));

export const parties: Record<string, ExportParty> = {
	S: { id: 'S', name: 'Socialdemokraterna' },
	V: { id: 'V', name: 'Vänsterpartiet' },
	MP: { id: 'MP', name: 'Miljöpartiet de gröna' },
	M: { id: 'M', name: 'Moderaterna' },
	L: { id: 'L', name: 'Liberalerna' },
	KD: { id: 'KD', name: 'Kristdemokraterna' },
	C: { id: 'C', name: 'Centerpartiet' },
	SD: { id: 'SD', name: 'Sverigedemokraterna' },
	D: { id: 'D', name: 'Demokraterna' }
};

/** Lines wrapped by the PDF become one paragraph; blank lines separate paragraphs. */
function paragraphsOf(lines: string[]): string[] {
	const out: string[] = [];
	let cur: string[] = [];
	const flush = () => {
		if (cur.length) out.push(cur.join(' ').replace(/\s+/g, ' ').trim());
		cur = [];
	};
	for (const line of lines) {
		// A page of the PDF text starts with a space; after a full stop it starts a paragraph too.
		if (line.startsWith(' ') && cur.length > 0 && /[.:]\s*$/.test(cur[cur.length - 1])) flush();
		if (!line.trim()) flush();
		else cur.push(line.trim());
	}
	flush();
	return out;
}

export interface FixtureYrkande {
	title: string;
	proposalHeading: string;
	levelHeading: string;
	points: string[];
	motivationHeading: string;
	motivation: string[];
}

/** The SD yrkande as the fixture prints it: its title, headings, four points and "Yrkandet". */
export function sdYrkandeFromFixture(): FixtureYrkande {
	const lines = readFileSync(fixturePath, 'utf8').split('\n');
	const start = lines.findIndex((l) => l.trim() === 'Yrkande angående – Budget 2025 för kommunstyrelsen');
	const proposal = lines.indexOf('Förslag till beslut ', start);
	const level = proposal + 1;
	const motivationAt = lines.findIndex((l, i) => i > level && l.trim() === 'Yrkandet');
	// The tjänsteutlåtande that follows starts with its own title line.
	const end = lines.findIndex((l, i) => i > motivationAt && l.trim() === 'Budget 2025 för kommunstyrelsen');
	const points = paragraphsOf(lines.slice(level + 1, motivationAt)).map((p) => p.replace(/^\d+\.\s*/, ''));
	return {
		title: lines[start].trim(),
		proposalHeading: lines[proposal].trim(),
		levelHeading: lines[level].trim(),
		points,
		motivationHeading: lines[motivationAt].trim(),
		motivation: paragraphsOf(lines.slice(motivationAt + 1, end))
	};
}

export function sdYrkande(over: Partial<ExportDocument> = {}): ExportDocument {
	const f = sdYrkandeFromFixture();
	return {
		id: 'draft-sd-1',
		kind: 'yrkande',
		draft: false,
		date: '2024-12-04',
		body: 'Kommunstyrelsen',
		parties: [parties.SD],
		caseNumber: 'SLK-2024-00738',
		caseTitle: 'Budget 2025 för kommunstyrelsen',
		meetingDate: '2024-12-11',
		agendaNumber: '4.',
		title: f.title,
		points: f.points.map((text, i) => ({ id: `p${i + 1}`, level: 'ks_kf', text })),
		motivation: f.motivation.map((text) => ({ type: 'paragraph', runs: [{ text }] })),
		signatories: [{ name: 'Jörgen Fogelklou', partyId: 'SD' }],
		amendments: [],
		...over
	};
}

/** SLK's point 1 of "Förslag till beslut", the baseline an ändringsyrkande changes. */
export const slkPoint1 =
	'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen, i enlighet med bilaga 1 till stadsledningskontorets tjänsteutlåtande, fastställs.';
export const slkPoint3 =
	'Stadsledningskontorets förslag till interna regler och riktlinjer för ekonomisk uppföljning och överföring av eget kapital, i enlighet med bilaga 3 till stadsledningskontorets tjänsteutlåtande, fastställs.';

/** A joint ändringsyrkande of M, L and KD: one changed point, one struck, one added, one budget row. */
export function andringsyrkande(over: Partial<ExportDocument> = {}): ExportDocument {
	const authors = [parties.M, parties.L, parties.KD];
	return {
		id: 'draft-mlkd-2',
		kind: 'andringsyrkande',
		draft: false,
		date: '2024-12-05',
		body: 'Kommunstyrelsen',
		parties: authors,
		caseNumber: 'SLK-2024-00738',
		caseTitle: 'Budget 2025 för kommunstyrelsen',
		meetingDate: '2024-12-11',
		agendaNumber: '4.',
		title: 'Ändringsyrkande angående – Budget 2025 för kommunstyrelsen',
		points: [],
		motivation: [
			{
				type: 'paragraph',
				runs: [
					{ text: 'Välfärdens kärna ska prioriteras före ' },
					{ text: 'nya', italic: true },
					{ text: ' åtaganden.' }
				]
			}
		],
		signatories: [
			{ name: 'Axel Josefson', partyId: 'M' },
			{ name: 'Jonas Attenius', partyId: 'L' },
			{ name: 'Kristdemokraternas gruppledare', partyId: 'KD' }
		],
		amendments: [
			{
				id: 'a1',
				op: 'change',
				target: { itemId: 'slk-1', reference: 'Punkt 1 i stadsledningskontorets förslag till beslut' },
				baselineText: slkPoint1,
				newText:
					'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen, i enlighet med bilaga 1 till stadsledningskontorets tjänsteutlåtande, fastställs med ändringen att ramen för ledningsarbete minskas.',
				parties: authors
			},
			{
				id: 'a2',
				op: 'strike',
				target: { itemId: 'slk-3', reference: 'Punkt 3 i stadsledningskontorets förslag till beslut' },
				baselineText: slkPoint3,
				newText: '',
				parties: authors
			},
			{
				id: 'a3',
				op: 'insert_after',
				target: { itemId: 'slk-4', reference: 'Punkt 4 i stadsledningskontorets förslag till beslut' },
				baselineText: '',
				newText: 'Kommunstyrelsen får i uppdrag att återkomma med en plan för minskad administration.',
				parties: authors
			},
			{
				id: 'a4',
				op: 'amounts',
				target: { itemId: 'slk-tab-1', reference: 'Tabellen Driftbudget i bilaga 1' },
				baselineText: 'Ledningsarbete, marknadsföring och administration',
				newText: '',
				amounts: [
					{ column: 'Budget 2025', from: 285.7, to: 281.2 },
					{ column: 'Budget 2024', from: 279.9, to: 279.9 }
				],
				parties: authors
			}
		],
		...over
	};
}

/** A yttrande with bold and italic runs, a heading, a list and a quote in its text. */
export function yttrande(party: ExportParty, over: Partial<ExportDocument> = {}): ExportDocument {
	return {
		id: `draft-${party.id.toLowerCase()}-yttrande`,
		kind: 'yttrande',
		draft: false,
		date: '2024-12-06',
		body: 'Kommunstyrelsen',
		parties: [party],
		caseNumber: 'SLK-2024-00738',
		caseTitle: 'Budget 2025 för kommunstyrelsen',
		meetingDate: '2024-12-11',
		agendaNumber: '4.',
		title: 'Yttrande angående – Budget 2025 för kommunstyrelsen',
		points: [],
		motivation: [
			{
				type: 'paragraph',
				runs: [{ text: `${party.name} anser att ` }, { text: 'välfärden', bold: true }, { text: ' går först.' }]
			},
			{ type: 'heading', level: 2, runs: [{ text: 'Våra prioriteringar' }] },
			{
				type: 'list',
				ordered: false,
				items: [
					[{ type: 'paragraph', runs: [{ text: 'Förskola och skola' }] }],
					[{ type: 'paragraph', runs: [{ text: 'Äldreomsorg' }] }]
				]
			},
			{ type: 'blockquote', children: [{ type: 'paragraph', runs: [{ text: 'Ingen plats i vårt Göteborg.' }] }] }
		],
		signatories: [],
		amendments: [],
		...over
	};
}

/**
 * A case package with every party's submitted documents: SD's yrkande, the M/L/KD ändringsyrkande,
 * and a yttrande from each of the nine parties, with a decision matrix and a protocol summary.
 */
export function ninePartyPackage(): CasePackage {
	const all = Object.values(parties);
	const docs = [sdYrkande(), andringsyrkande(), ...all.map((p) => yttrande(p))];
	const labels = ['Bifall', 'Avslag', 'Deltar inte', 'Bifall till punkt 1, avslag på punkt 2'];
	return {
		id: 'package-ks-2024-12-11',
		body: 'Kommunstyrelsen',
		date: '2024-12-09',
		meetingDate: '2024-12-11',
		items: [
			{
				caseId: 'case-other',
				caseNumber: 'SLK-2024-00801',
				title: 'Yttrande till trafiknämnden över parkeringsregler',
				agendaNumber: '10.',
				documents: []
			},
			{
				caseId: 'case-budget',
				caseNumber: 'SLK-2024-00738',
				title: 'Budget 2025 för kommunstyrelsen',
				agendaNumber: '4.',
				documents: docs,
				matrix: {
					parties: all,
					rows: [
						...[1, 2, 3, 4].map((n, i) => ({
							id: `slk-${n}`,
							label: `SLK punkt ${n}`,
							cells: Object.fromEntries(all.map((p, j) => [p.id, labels[(i + j) % labels.length]]))
						})),
						{ id: 'sd', label: 'SD:s yrkande', cells: { SD: 'Bifall', S: 'Avslag' } }
					]
				},
				protocol:
					'Ordföranden ställde proposition på stadsledningskontorets förslag och SD:s yrkande.\n\nKommunstyrelsen beslutade enligt stadsledningskontorets förslag.'
			}
		]
	};
}
