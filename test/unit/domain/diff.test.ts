import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	diffText,
	markup,
	sideBySide,
	splitParagraphs,
	tokenize,
	type DiffSegment,
	type TextDiff
} from '../../../server/domain/diff';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
const between = (start: string, end: string) => {
	const i = fixture.indexOf(start);
	const j = fixture.indexOf(end, i);
	if (i < 0 || j < 0) throw new Error(`fixture text not found: ${start}`);
	return fixture.slice(i, j + end.length);
};

const md = (oldText: string, newText: string, options?: Parameters<typeof diffText>[2]) =>
	markup(diffText(oldText, newText, options).segments);
const kinds = (oldText: string, newText: string) => diffText(oldText, newText).paragraphs.map((p) => p.kind);
const tokens = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.text}`);
const newSide = (segments: DiffSegment[]) =>
	segments
		.filter((s) => s.type !== 'delete')
		.map((s) => s.text)
		.join('');
const oldSide = (segments: DiffSegment[]) =>
	segments
		.filter((s) => s.type !== 'insert')
		.map((s) => (s.type === 'equal' ? (s.oldText ?? s.text) : s.text))
		.join('');
const normalised = (text: string) => splitParagraphs(text).join('\n\n');

describe('tokenize', () => {
	it('keeps Swedish words whole', () => {
		expect(tokens('Åtgärder för ökad måluppfyllelse')).toEqual([
			'word:Åtgärder',
			'space: ',
			'word:för',
			'space: ',
			'word:ökad',
			'space: ',
			'word:måluppfyllelse'
		]);
	});

	it('keeps é and other accented letters inside words', () => {
		expect(tokens('idé, café')).toEqual(['word:idé', 'punct:,', 'space: ', 'word:café']);
	});

	it('reads a decimal comma as part of the number', () => {
		expect(tokens('285,7 mnkr')).toEqual(['number:285,7', 'space: ', 'word:mnkr']);
	});

	it('tells a decimal comma from a list comma', () => {
		expect(tokens('bilagorna 2, 3 och 4')).toEqual([
			'word:bilagorna',
			'space: ',
			'number:2',
			'punct:,',
			'space: ',
			'number:3',
			'space: ',
			'word:och',
			'space: ',
			'number:4'
		]);
	});

	it('reads a minus sign as part of a number, with a hyphen or U+2212', () => {
		expect(tokens('-1,1 och −5,0')).toEqual(['number:-1,1', 'space: ', 'word:och', 'space: ', 'number:−5,0']);
	});

	it('keeps digit groups with space, no-break and thin space as one number', () => {
		expect(tokens('4 500 tkr')[0]).toBe('number:4 500');
		expect(tokens('4\u00A0500')[0]).toBe('number:4\u00A0500');
		expect(tokens('1\u2009300,5')[0]).toBe('number:1\u2009300,5');
		expect(tokens('2\u202F770')[0]).toBe('number:2\u202F770');
	});

	it('does not glue numbers whose next group is not three digits', () => {
		expect(tokens('år 2024 123')).toEqual(['word:år', 'space: ', 'number:2024', 'space: ', 'number:123']);
		expect(tokens('4 5000')).toEqual(['number:4', 'space: ', 'number:5000']);
	});

	it('keeps dates and clock times whole', () => {
		expect(tokens('2024-11-28')).toEqual(['word:2024-11-28']);
		expect(tokens('10:30')).toEqual(['word:10:30']);
	});

	it('splits a year range at its en dash', () => {
		expect(tokens('2025–2027')).toEqual(['number:2025', 'punct:–', 'number:2027']);
	});

	it('keeps hyphenated compounds and colon genitives whole', () => {
		expect(tokens('HR-avdelning LOV3-områden SD:s S:t')).toEqual([
			'word:HR-avdelning',
			'space: ',
			'word:LOV3-områden',
			'space: ',
			'word:SD:s',
			'space: ',
			'word:S:t'
		]);
	});

	it('leaves the hyphen of a suspended compound on its own', () => {
		expect(tokens('miljö- och klimatnämnden')).toEqual([
			'word:miljö',
			'punct:-',
			'space: ',
			'word:och',
			'space: ',
			'word:klimatnämnden'
		]);
	});

	it('makes punctuation, dashes and quotes their own tokens', () => {
		expect(tokens('”Div. kompetensutveckling” – målet.')).toEqual([
			'punct:”',
			'word:Div',
			'punct:.',
			'space: ',
			'word:kompetensutveckling',
			'punct:”',
			'space: ',
			'punct:–',
			'space: ',
			'word:målet',
			'punct:.'
		]);
	});

	it('gives composed and decomposed å ä ö the same key', () => {
		const composed = tokenize('hållbarhetsperspektiv')[0];
		const decomposed = tokenize('ha\u030allbarhetsperspektiv')[0];
		expect(decomposed.text).not.toBe(composed.text);
		expect(decomposed.key).toBe(composed.key);
	});

	it('ignores soft hyphens in the key', () => {
		expect(tokenize('kommun\u00ADstyrelsen')[0].key).toBe('kommunstyrelsen');
	});

	it('gives differently formatted equal numbers the same key', () => {
		expect(tokenize('4 500')[0].key).toBe(tokenize('4500')[0].key);
		expect(tokenize('-5,0')[0].key).toBe(tokenize('−5,0')[0].key);
	});

	it('keys whitespace by shape: a space or a paragraph break', () => {
		expect(tokenize('a \t b')[1].key).toBe(' ');
		expect(tokenize('a\nb')[1].key).toBe(' ');
		expect(tokenize('a\n\nb')[1].key).toBe('\n\n');
		expect(tokenize('a\r\n\r\nb')[1].key).toBe('\n\n');
		expect(tokenize('a  b', { ignoreWhitespace: false })[1].key).toBe('  ');
	});

	it('returns nothing for an empty text', () => {
		expect(tokenize('')).toEqual([]);
	});

	it('covers every character of any text exactly once', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
				const ts = tokenize(text);
				expect(ts.map((t) => t.text).join('')).toBe(text);
				let at = 0;
				for (const t of ts) {
					expect(t.start).toBe(at);
					at += t.text.length;
				}
			}),
			{ numRuns: 300 }
		);
	});
});

describe('diffText: words', () => {
	it('reports nothing for identical texts', () => {
		const d = diffText('Kommunstyrelsen får i uppdrag.', 'Kommunstyrelsen får i uppdrag.');
		expect(d.changed).toBe(false);
		expect(d.segments).toEqual([{ type: 'equal', text: 'Kommunstyrelsen får i uppdrag.' }]);
		expect(d.changeRatio).toBe(0);
	});

	it('marks one replaced word', () => {
		expect(md('Kommunstyrelsen får i uppdrag att', 'Kommunstyrelsen ges i uppdrag att')).toBe(
			'Kommunstyrelsen [-får-]{+ges+} i uppdrag att'
		);
	});

	it('marks a changed Swedish word whole, not letter by letter', () => {
		expect(md('för ökad takt', 'för minskad takt')).toBe('för [-ökad-]{+minskad+} takt');
	});

	it('marks an inserted word with its space', () => {
		expect(md('en grön stad', 'en grön och levande stad')).toBe('en grön {+och levande +}stad');
	});

	it('marks a deleted word with its trailing space', () => {
		expect(md('säkerställa att samtliga insatser', 'säkerställa att insatser')).toBe(
			'säkerställa att [-samtliga -]insatser'
		);
	});

	it('marks an insertion at the start and at the end', () => {
		expect(md('fastställs.', 'Förslaget fastställs.')).toBe('{+Förslaget +}fastställs.');
		expect(md('Förslaget fastställs', 'Förslaget fastställs inte')).toBe('Förslaget fastställs{+ inte+}');
	});

	it('marks a changed amount as one number', () => {
		expect(md('uppgår till 285,7 mnkr', 'uppgår till 280,7 mnkr')).toBe('uppgår till [-285,7-]{+280,7+} mnkr');
	});

	it('marks a changed sign of a number', () => {
		expect(md('förändringen på -1,1 mnkr', 'förändringen på 1,1 mnkr')).toBe('förändringen på [--1,1-]{+1,1+} mnkr');
	});

	it('does not mark a number only written differently', () => {
		expect(diffText('med 4 500 tkr', 'med 4500 tkr').changed).toBe(false);
		expect(diffText('på −1,1 mnkr', 'på -1,1 mnkr').changed).toBe(false);
		expect(diffText('med 4\u00A0500 tkr', 'med 4 500 tkr').changed).toBe(false);
	});

	it('marks changed punctuation alone', () => {
		expect(md('Ingen plats i vårt Göteborg.', 'Ingen plats i vårt Göteborg!')).toBe(
			'Ingen plats i vårt Göteborg[-.-]{+!+}'
		);
		expect(md('trygghet och kompetens', 'trygghet, och kompetens')).toBe('trygghet{+,+} och kompetens');
	});

	it('marks a hyphen turned into an en dash', () => {
		expect(md('budget 2025 - 2027', 'budget 2025 – 2027')).toBe('budget 2025 [---]{+–+} 2027');
	});

	it('marks quotes added around words', () => {
		expect(md('posten Div. kompetensutveckling i', 'posten ”Div. kompetensutveckling” i')).toBe(
			'posten {+”+}Div. kompetensutveckling{+”+} i'
		);
	});

	it('joins changes separated only by a space into one', () => {
		expect(md('att ta bort hänvisningar till', 'att stryka alla hänvisningar till')).toBe(
			'att [-ta bort-]{+stryka alla+} hänvisningar till'
		);
	});

	it('does not mark composed against decomposed letters', () => {
		expect(diffText('göteborgarnas behov', 'go\u0308teborgarnas behov').changed).toBe(false);
	});

	it('is case sensitive', () => {
		expect(md('Kommunstyrelsen', 'kommunstyrelsen')).toBe('[-Kommunstyrelsen-]{+kommunstyrelsen+}');
	});

	it('strikes the Agenda 2030 reference of the climate goal', () => {
		const old = 'med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv för att identifiera gränssnitt';
		const d = diffText(old, 'för att identifiera gränssnitt');
		expect(markup(d.segments)).toBe(
			'[-med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv -]för att identifiera gränssnitt'
		);
		expect(d.deletedWords).toBe(7);
		expect(d.insertedWords).toBe(0);
	});
});

describe('diffText: whitespace', () => {
	it('ignores doubled spaces', () => {
		const d = diffText('Göteborg står inför  stora utmaningar', 'Göteborg står inför stora utmaningar');
		expect(d.changed).toBe(false);
	});

	it('ignores line wrapping inside a paragraph', () => {
		expect(diffText('som kräver\nomedelbar handling', 'som kräver omedelbar handling').changed).toBe(false);
	});

	it('ignores leading and trailing whitespace', () => {
		expect(diffText('  Yrkandet \n', 'Yrkandet').changed).toBe(false);
	});

	it('keeps the old whitespace for the old side', () => {
		const d = diffText('a  b', 'a b');
		expect(d.segments).toEqual([{ type: 'equal', text: 'a b', oldText: 'a  b' }]);
	});

	it('shows whitespace changes when asked to', () => {
		expect(md('a  b', 'a b', { ignoreWhitespace: false })).toBe('a[-  -]{+ +}b');
	});

	it('treats a text of only whitespace as empty', () => {
		const d = diffText(' \n\t ', '');
		expect(d.changed).toBe(false);
		expect(d.paragraphs).toEqual([]);
	});
});

describe('diffText: empty texts', () => {
	it('reports nothing for two empty texts', () => {
		const d = diffText('', '');
		expect(d).toMatchObject({ changed: false, paragraphs: [], segments: [], changeRatio: 0 });
	});

	it('shows a text written from nothing as inserted', () => {
		const d = diffText('', 'Ett nytt uppdrag.');
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['inserted']);
		expect(markup(d.segments)).toBe('{+Ett nytt uppdrag.+}');
		expect(d.changeRatio).toBe(1);
	});

	it('shows a struck text as deleted', () => {
		const d = diffText('Uppdraget stryks.', '');
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['deleted']);
		expect(markup(d.segments)).toBe('[-Uppdraget stryks.-]');
	});
});

describe('diffText: the 60 % rule', () => {
	it('shows a paragraph rewritten beyond 60 % as replaced', () => {
		const d = diffText('Stadsledningskontoret ska stödja nämnderna.', 'Kommunen avvecklar allt detta arbete snabbt.');
		expect(d.paragraphs[0].kind).toBe('replaced');
		expect(markup(d.segments)).toBe(
			'[-Stadsledningskontoret ska stödja nämnderna.-]{+Kommunen avvecklar allt detta arbete snabbt.+}'
		);
	});

	it('keeps word marks for a paragraph changed by half', () => {
		// 4 of 8 words changed: ratio 0.5.
		const d = diffText('a b c d', 'a b x y');
		expect(d.paragraphs[0].kind).toBe('changed');
		expect(d.paragraphs[0].changeRatio).toBeCloseTo(0.5);
		expect(markup(d.segments)).toBe('a b [-c d-]{+x y+}');
	});

	it('replaces just above the threshold and not at it', () => {
		// 2 of 10 words kept on each side: ratio (3 + 3) / 10 = 0.6.
		expect(diffText('a b c d e', 'a b x y z').paragraphs[0].kind).toBe('changed');
		// ratio (4 + 4) / 10 = 0.8
		expect(diffText('a b c d e', 'a w x y z').paragraphs[0].kind).toBe('replaced');
	});

	it('takes another threshold', () => {
		expect(diffText('a b c d', 'a b x y', { replaceThreshold: 0.4 }).paragraphs[0].kind).toBe('replaced');
	});

	it('applies the rule per paragraph', () => {
		const d = diffText('Första stycket.\n\nAndra stycket här.', 'Första stycket.\n\nHelt annan mening nu.');
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['equal', 'replaced']);
	});

	it('answers a scrambled long paragraph quickly as replaced', () => {
		const words = Array.from({ length: 3000 }, (_, i) => `ord${i % 97}`);
		const shuffled = [...words].reverse().map((w, i) => (i % 2 ? w : `ny${i}`));
		const d = diffText(words.join(' '), shuffled.join(' '));
		expect(d.paragraphs[0].kind).toBe('replaced');
	});
});

describe('diffText: paragraphs', () => {
	const three = 'Första stycket om trygghet.\n\nAndra stycket om skolan.\n\nTredje stycket om äldreomsorgen.';

	it('diffs only the paragraph that changed', () => {
		const d = diffText(
			three,
			'Första stycket om trygghet.\n\nAndra stycket om förskolan.\n\nTredje stycket om äldreomsorgen.'
		);
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['equal', 'changed', 'equal']);
		expect(markup(d.paragraphs[1].segments)).toBe('Andra stycket om [-skolan-]{+förskolan+}.');
	});

	it('finds an inserted paragraph', () => {
		const d = diffText(
			three,
			'Första stycket om trygghet.\n\nEtt nytt stycke.\n\nAndra stycket om skolan.\n\nTredje stycket om äldreomsorgen.'
		);
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['equal', 'inserted', 'equal', 'equal']);
		expect(markup(d.segments)).toBe(
			'Första stycket om trygghet.{+\n\nEtt nytt stycke.+}\n\nAndra stycket om skolan.\n\nTredje stycket om äldreomsorgen.'
		);
	});

	it('finds a deleted paragraph', () => {
		expect(kinds(three, 'Första stycket om trygghet.\n\nTredje stycket om äldreomsorgen.')).toEqual([
			'equal',
			'deleted',
			'equal'
		]);
	});

	it('pairs a changed paragraph even when a new one is added before it', () => {
		const d = diffText(
			'Inledning.\n\nStadsledningskontoret stödjer genomförandet av miljö- och klimatprogrammet.',
			'Inledning.\n\nHelt ny text om annat.\n\nStadsledningskontoret stödjer aktivt genomförandet av miljö- och klimatprogrammet.'
		);
		expect(d.paragraphs.map((p) => p.kind)).toEqual(['equal', 'inserted', 'changed']);
		expect(markup(d.paragraphs[2].segments)).toContain('{+aktivt +}');
	});

	it('sees a paragraph split in two as a change', () => {
		expect(diffText('Mening ett. Mening två.', 'Mening ett.\n\nMening två.').changed).toBe(true);
	});

	it('treats different blank-line runs between paragraphs as the same', () => {
		expect(diffText('A.\n\nB.', 'A.\n \n\n\nB.').changed).toBe(false);
	});

	it('starts a text with an inserted paragraph without a stray separator', () => {
		const d = diffText('Andra.', 'Första.\n\nAndra.');
		expect(markup(d.segments)).toBe('{+Första.\n\n+}Andra.');
	});

	it('gives both sides back exactly', () => {
		const cases: [string, string][] = [
			[three, 'Första stycket om trygghet.\n\nTredje stycket om äldreomsorgen.\n\nFjärde.'],
			['', 'Ny.'],
			['Gammal.', ''],
			['A b c.\n\nD e f.', 'X y z.'],
			['a  b\nc', 'a b c d'],
			['Punkt 1.\n\nPunkt 2.\n\nPunkt 3.', 'Punkt 3.\n\nPunkt 1.']
		];
		for (const [a, b] of cases) {
			const d = diffText(a, b);
			expect(newSide(d.segments)).toBe(normalised(b));
			expect(oldSide(d.segments)).toBe(normalised(a));
		}
	});

	it('gives both sides back for any pair of texts', () => {
		const word = fc.constantFrom(
			'och',
			'att',
			'för',
			'ökad',
			'Göteborg',
			'285,7',
			'−5,0',
			'–',
			',',
			'.',
			'å',
			'ä',
			'ö'
		);
		const sep = fc.constantFrom(' ', ' ', '  ', '\n', '\n\n');
		const text = fc.array(fc.tuple(word, sep), { maxLength: 30 }).map((xs) => xs.map(([w, s]) => w + s).join(''));
		fc.assert(
			fc.property(text, text, (a, b) => {
				const d = diffText(a, b);
				expect(newSide(d.segments)).toBe(normalised(b));
				expect(oldSide(d.segments)).toBe(normalised(a));
			}),
			{ numRuns: 300 }
		);
	});
});

describe('sideBySide', () => {
	it('puts the baseline left and the amendment right, row by row', () => {
		const rows = sideBySide(diffText('Ett.\n\nTvå gamla ord.', 'Ett.\n\nTvå nya ord.\n\nTre.'));
		expect(rows.map((r) => r.kind)).toEqual(['equal', 'changed', 'inserted']);
		expect(markup(rows[1].left)).toBe('Två [-gamla-] ord.');
		expect(markup(rows[1].right)).toBe('Två {+nya+} ord.');
		expect(rows[2].left).toEqual([]);
		expect(markup(rows[2].right)).toBe('{+Tre.+}');
	});

	it('shows the old whitespace on the left', () => {
		const rows = sideBySide(diffText('a  b', 'a b'));
		expect(rows[0].left).toEqual([{ type: 'equal', text: 'a  b' }]);
		expect(rows[0].right).toEqual([{ type: 'equal', text: 'a b' }]);
	});
});

describe('diffText: long texts from the fixture', () => {
	const bilaga1 = between('1. Inledning', 'Bilaga 2');

	it('finds one changed word in a long text', () => {
		const changed = bilaga1.replace('285,7 mnkr. Budgetramen', '280,7 mnkr. Budgetramen');
		expect(changed).not.toBe(bilaga1);
		const d: TextDiff = diffText(bilaga1, changed);
		const changedParagraphs = d.paragraphs.filter((p) => p.kind !== 'equal');
		expect(changedParagraphs).toHaveLength(1);
		expect(changedParagraphs[0].segments.filter((s) => s.type !== 'equal')).toEqual([
			{ type: 'delete', text: '285,7' },
			{ type: 'insert', text: '280,7' }
		]);
	});

	it('reports a re-wrapped long text as unchanged', () => {
		expect(diffText(bilaga1, bilaga1.replace(/ \n/g, '\n').replace(/([a-zåäö]) ([a-zåäö])/g, '$1\n$2')).changed).toBe(
			false
		);
	});

	it('marks a struck sentence in the climate goal’s planning text', () => {
		const planning = between(
			'Stadsledningskontoret kommer att arbeta för att nå målet till exempel',
			'stärka synergier.'
		);
		const struck = planning.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '');
		const d = diffText(planning, struck);
		expect(d.paragraphs).toHaveLength(1);
		expect(d.paragraphs[0].kind).toBe('changed');
		expect(d.segments.filter((s) => s.type === 'delete').map((s) => s.text)).toEqual([
			'med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv '
		]);
	});
});
