import { describe, expect, it } from 'vitest';
import { casePackageLayout, documentLayout, inlineText, type LayoutBlock } from '../../../server/export/layout';
import { compareAgendaNumbers, exportInstant, joinSwedish } from '../../../server/export/model';
import { andringsyrkande, ninePartyPackage, parties, sdYrkande, yttrande } from './samples';

/** The blocks as short lines: enough to see the form of the document at a glance. */
function outline(blocks: readonly LayoutBlock[]): string[] {
	return blocks.flatMap((b): string[] => {
		switch (b.type) {
			case 'letterhead':
				return [`[${b.body}] ${b.lines.map((l) => l.text).join(' | ')}`];
			case 'heading':
				return [`${'#'.repeat(b.level)} ${b.text}`];
			case 'paragraph':
				return [inlineText(b.runs)];
			case 'point':
				return [`${b.number} ${inlineText(b.runs)}`];
			case 'list':
				return b.items.flatMap((item) => outline(item).map((l) => `- ${l}`));
			case 'quote':
				return outline(b.children).map((l) => `> ${l}`);
			case 'table':
				return [b.columns.join('|'), ...b.rows.map((r) => r.join('|'))];
			case 'signatures':
				return b.groups.flatMap((g) => [...(g.party ? [`~ ${g.party}`] : []), ...g.names.map((n) => `~ – ${n}`)]);
			default:
				return [`(${b.type})`];
		}
	});
}

describe('document layout (Göteborg form)', () => {
	it('numbers the points per decision level, "I kommunstyrelsen" first', () => {
		const doc = sdYrkande({
			points: [
				{ id: 'a', level: 'ks_kf', text: 'KF-punkt ett.' },
				{ id: 'b', level: 'ks', text: 'KS-punkt ett.' },
				{ id: 'c', level: 'ks_kf', text: 'KF-punkt två.' },
				{ id: 'd', level: 'ks', text: '  KS-punkt två.  ' }
			],
			motivation: []
		});
		expect(outline(documentLayout(doc).blocks)).toEqual([
			'[Kommunstyrelsen] Yrkande | 2024-12-04 | Sverigedemokraterna | Sammanträde 2024-12-11, ärende nr 4. | Ärendenummer SLK-2024-00738',
			'# Yrkande angående – Budget 2025 för kommunstyrelsen',
			'## Förslag till beslut',
			'### I kommunstyrelsen:',
			'1. KS-punkt ett.',
			'2. KS-punkt två.',
			'### I kommunstyrelsen och kommunfullmäktige:',
			'1. KF-punkt ett.',
			'2. KF-punkt två.',
			'~ Sverigedemokraterna',
			'~ – Jörgen Fogelklou'
		]);
	});

	it('writes a yttrande without a proposal, under "Yttrandet", with its rich text', () => {
		expect(outline(documentLayout(yttrande(parties.MP)).blocks).slice(1)).toEqual([
			'# Yttrande angående – Budget 2025 för kommunstyrelsen',
			'## Yttrandet',
			'Miljöpartiet de gröna anser att välfärden går först.',
			'### Våra prioriteringar',
			'- Förskola och skola',
			'- Äldreomsorg',
			'> Ingen plats i vårt Göteborg.',
			'~ Miljöpartiet de gröna'
		]);
		const note = documentLayout(yttrande(parties.V, { kind: 'protokollsanteckning' }));
		// each kind under the heading the editor shows above its text
		expect(outline(note.blocks).filter((l) => l.startsWith('#'))).toEqual([
			'# Yttrande angående – Budget 2025 för kommunstyrelsen',
			'## Anteckningen',
			'### Våra prioriteringar'
		]);
	});

	it('writes the meeting line only with what is known, and the parties written out', () => {
		const letterhead = (over: Parameters<typeof sdYrkande>[0]) => outline(documentLayout(sdYrkande(over)).blocks)[0];
		expect(letterhead({ meetingDate: undefined, agendaNumber: undefined })).toBe(
			'[Kommunstyrelsen] Yrkande | 2024-12-04 | Sverigedemokraterna | Ärendenummer SLK-2024-00738'
		);
		expect(letterhead({ meetingDate: undefined })).toContain('| Ärende nr 4. |');
		expect(letterhead({ agendaNumber: undefined })).toContain('| Sammanträde 2024-12-11 |');
		expect(letterhead({ draft: true })).toMatch(/^\[Kommunstyrelsen\] UTKAST \| Yrkande \|/);
		expect(letterhead({ parties: [parties.M, parties.D, parties.L, parties.KD], kind: 'yttrande' })).toContain(
			' Yttrande | 2024-12-04 | Moderaterna, Demokraterna, Liberalerna och Kristdemokraterna |'
		);
		expect(joinSwedish(['A'])).toBe('A');
		expect(joinSwedish(['A', 'B'])).toBe('A och B');
	});

	it('writes each amendment with its reference and its marked change', () => {
		const doc = andringsyrkande();
		doc.amendments[3].amounts = [{ column: 'Budget 2025', from: null, to: -1300.5 }];
		const blocks = documentLayout(doc).blocks;
		const lines = outline(blocks);
		const at = lines.indexOf('## Ändringsförslag');
		expect(lines.slice(at, at + 11)).toEqual([
			'## Ändringsförslag',
			'(legend)',
			'Punkt 1 i stadsledningskontorets förslag till beslut får följande lydelse:',
			doc.amendments[0].newText,
			'Punkt 3 i stadsledningskontorets förslag till beslut stryks:',
			doc.amendments[1].baselineText,
			'Ny text efter punkt 4 i stadsledningskontorets förslag till beslut:',
			doc.amendments[2].newText,
			'Tabellen Driftbudget i bilaga 1 – ändrade belopp:',
			'Ledningsarbete, marknadsföring och administration',
			'Budget 2025: inget belopp −1\u00a0300,5'
		]);
		const revisions = blocks.flatMap((b) => (b.type === 'paragraph' ? b.runs : [])).filter((r) => r.revision);
		expect(revisions.map((r) => r.revision?.kind)).toEqual(['ins', 'del', 'ins', 'del', 'ins']);
		expect(new Set(revisions.map((r) => r.revision?.author))).toEqual(
			new Set(['Moderaterna, Liberalerna och Kristdemokraterna'])
		);
	});

	it('takes its instant from the model date and refuses one that is not a date', () => {
		expect(documentLayout(sdYrkande()).timestamp.toISOString()).toBe('2024-12-04T00:00:00.000Z');
		expect(() => documentLayout(sdYrkande({ date: '4 december 2024' }))).toThrow(/YYYY-MM-DD/);
		expect(() => exportInstant('2024-13-01')).toThrow(/YYYY-MM-DD/);
	});
});

describe('case package layout', () => {
	it('puts the items in agenda order with their documents, matrix and summary', () => {
		const lines = outline(casePackageLayout(ninePartyPackage()).blocks);
		const items = lines.filter((l) => /^# \d/.test(l));
		expect(items).toEqual([
			'# 4. Budget 2025 för kommunstyrelsen',
			'# 10. Yttrande till trafiknämnden över parkeringsregler'
		]);
		expect(lines).toContain('- 4. Budget 2025 för kommunstyrelsen (SLK-2024-00738) – 11 inlämnade dokument');
		expect(lines).toContain(
			'- 10. Yttrande till trafiknämnden över parkeringsregler (SLK-2024-00801) – 0 inlämnade dokument'
		);
		const docs = lines.filter((l) => /^## (Yrkande|Ändringsyrkande|Yttrande) – /.test(l));
		expect(docs).toHaveLength(11);
		expect(docs.slice(0, 3)).toEqual([
			'## Yrkande – Sverigedemokraterna',
			'## Ändringsyrkande – Moderaterna, Liberalerna och Kristdemokraterna',
			'## Yttrande – Socialdemokraterna'
		]);
		// sections of a document sit one level below its heading
		expect(lines).toContain('### Förslag till beslut');
		expect(lines).toContain('#### I kommunstyrelsen och kommunfullmäktige:');
		expect(lines).toContain('|S|V|MP|M|L|KD|C|SD|D');
		expect(lines).toContain('SD:s yrkande|Avslag|–|–|–|–|–|–|Bifall|–');
		expect(lines.slice(-3)).toEqual([
			'# 10. Yttrande till trafiknämnden över parkeringsregler',
			'Ärendenummer SLK-2024-00801',
			'Inga yrkanden eller yttranden har lämnats in.'
		]);
		const summary = lines.indexOf('## Sammanfattning efter sammanträdet');
		expect(lines.slice(summary + 1, summary + 3)).toEqual([
			'Ordföranden ställde proposition på stadsledningskontorets förslag och SD:s yrkande.',
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag.'
		]);
	});

	it('refuses a document that is not submitted', () => {
		const pkg = ninePartyPackage();
		pkg.items[1].documents[4] = { ...pkg.items[1].documents[4], draft: true };
		expect(() => casePackageLayout(pkg)).toThrow(/not submitted/);
	});

	it('orders agenda numbers by their numeric parts', () => {
		const numbers = ['10.', '2.1.1.', undefined, '4.', '2.', '2.10', '2.9', '2.1.'];
		expect([...numbers].sort(compareAgendaNumbers)).toEqual([
			'2.',
			'2.1.',
			'2.1.1.',
			'2.9',
			'2.10',
			'4.',
			'10.',
			undefined
		]);
	});
});
