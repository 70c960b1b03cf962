import { describe, expect, it } from 'vitest';
import { cleanInline, joinLines, removePageFurniture, toBlocks, toLines } from '../../../server/import/text';
import { parseBaselineText, plausibleHeading, splitRow } from '../../../server/import/parse';

const line = (text: string, raw = text) => ({ text, raw });

describe('joining wrapped lines', () => {
	it('drops a hyphen that broke a word over the line', () => {
		expect(joinLines([line('ut-'), line('veckling av staden')])).toBe('utveckling av staden');
	});

	it('keeps a hyphen that stands for a shared word part', () => {
		expect(joinLines([line('Krävs dialog med miljö-', 'Krävs dialog med miljö- '), line('och klimatnämnden.')])).toBe(
			'Krävs dialog med miljö- och klimatnämnden.'
		);
		// even when the space after the hyphen was lost
		expect(joinLines([line('i fyra-'), line('och sjuårsåldern')])).toBe('i fyra- och sjuårsåldern');
	});

	it('keeps the hyphen of codes and abbreviations', () => {
		expect(joinLines([line('ärende SLK-'), line('2023-01044')])).toBe('ärende SLK-2023-01044');
		expect(joinLines([line('ändamålsenlig EU-'), line('finansiering')])).toBe('ändamålsenlig EU-finansiering');
	});

	it('mends stray spaces inside words and dates', () => {
		expect(cleanInline('det stöd de behöver fö r att utveckla')).toBe('det stöd de behöver för att utveckla');
		expect(cleanInline('KS 2025-09- 24, i delårsrapport')).toBe('KS 2025-09-24, i delårsrapport');
		expect(cleanInline('  två   mellanslag ')).toBe('två mellanslag');
		// one-letter Swedish words stay words
		expect(cleanInline('arbetar i staden och på ö')).toBe('arbetar i staden och på ö');
	});
});

describe('pages', () => {
	it('marks the first line of a page, from a form feed or a leading space', () => {
		const lines = toLines('Rubrik\ntext\f Andra sidan\n Tredje sidan').filter((l) => l);
		expect(lines.map((l) => [l!.text, l!.page])).toEqual([
			['Rubrik', true],
			['text', false],
			['Andra sidan', true],
			['Tredje sidan', true]
		]);
	});

	it('removes running headers and page numbers but keeps the first heading', () => {
		const pages = [1, 2, 3].map(
			(n) =>
				`Göteborgs Stad, tjänsteutlåtande\nText på sidan ${n} som är lång nog att vara en mening i ett stycke.\n${n} (3)`
		);
		const lines = removePageFurniture(toLines(pages.join('\f')));
		expect(lines.filter((l) => l).map((l) => l!.text)).toEqual([
			'Göteborgs Stad, tjänsteutlåtande',
			'Text på sidan 1 som är lång nog att vara en mening i ett stycke.',
			'Text på sidan 2 som är lång nog att vara en mening i ett stycke.',
			'Text på sidan 3 som är lång nog att vara en mening i ett stycke.'
		]);
	});

	it('keeps a sentence running over a page break in one block', () => {
		const text =
			'Stadsledningskontoret ser behov av att lyfta ett större fokus på att motverka organiserad brottslighet och\n förvaltningar och bolag.\n\nNytt stycke.';
		const blocks = toBlocks(toLines(text));
		expect(blocks.map((b) => b.map((l) => l.text).join(' | '))).toEqual([
			'Stadsledningskontoret ser behov av att lyfta ett större fokus på att motverka organiserad brottslighet och | förvaltningar och bolag.',
			'Nytt stycke.'
		]);
	});

	it('starts a new block at a page break after a finished sentence', () => {
		const blocks = toBlocks(toLines('Första stycket slutar här.\n Andra stycket börjar på nästa sida.'));
		expect(blocks).toHaveLength(2);
	});
});

describe('table rows', () => {
	it('splits a label from its numbers, with minus signs and decimal commas', () => {
		expect(splitRow('Kostnader -580,6 -602,0', 2)).toEqual({ label: 'Kostnader', values: [-580.6, -602] });
		expect(splitRow('Kostnader −580,6 –602,0', 2)).toEqual({ label: 'Kostnader', values: [-580.6, -602] });
		expect(splitRow('Div. kompetensutveckling 1,3', 1)).toEqual({ label: 'Div. kompetensutveckling', values: [1.3] });
	});

	it('reads a thousands space as part of one number when the columns say so', () => {
		expect(splitRow('Summa 1 300,0 2 450,5', 2)).toEqual({ label: 'Summa', values: [1300, 2450.5] });
	});

	it('does not take running text with a number for a row', () => {
		expect(splitRow('Budget 2025', 1)).toBeNull();
		expect(splitRow('1,5', 1)).toBeNull();
	});
});

describe('heading numbers', () => {
	it('accepts the next number at any level and refuses a step back', () => {
		expect(plausibleHeading([1], null)).toBe(true);
		expect(plausibleHeading([2, 0], [1])).toBe(true);
		expect(plausibleHeading([2, 1], [2, 0])).toBe(true);
		expect(plausibleHeading([2, 2], [2, 2])).toBe(true);
		expect(plausibleHeading([3, 0], [2, 5])).toBe(true);
		expect(plausibleHeading([1], [2, 1])).toBe(false);
		expect(plausibleHeading([2], [2, 1])).toBe(false);
		expect(plausibleHeading([5], [2])).toBe(false);
	});
});

describe('a small ärende', () => {
	const text = [
		'Yrkande angående – Parkering i centrum',
		'',
		'Moderaterna, Liberalerna',
		'',
		'Förslag till beslut',
		'I kommunstyrelsen:',
		'1. Kommunstyrelsen får i uppdrag att utreda avgifterna.',
		'I kommunstyrelsen och kommunfullmäktige:',
		'1. Kommunfullmäktige avslår förslaget.',
		'2. Avgiften sänks till 20 kronor.',
		'',
		'Yrkandet',
		'Vi vill ha lägre avgifter.',
		'\fParkering i centrum',
		'Förslag till beslut',
		'I kommunstyrelsen',
		'1. Förslaget fastställs.',
		'',
		'Sammanfattning',
		'Kontoret föreslår nya avgifter för parkering i centrum under nästa år.'
	].join('\n');

	it('reads both levels of points and the parties from the header line', () => {
		const r = parseBaselineText(text);
		expect(r.partyDocuments).toHaveLength(1);
		const doc = r.partyDocuments[0];
		expect(doc.fields!['Partier']).toEqual(['M', 'L']);
		expect(doc.children!.filter((c) => c.kind === 'decision_point').map((c) => [c.level, c.label, c.text])).toEqual([
			['ks', '1', 'Kommunstyrelsen får i uppdrag att utreda avgifterna.'],
			['ks_kf', '1', 'Kommunfullmäktige avslår förslaget.'],
			['ks_kf', '2', 'Avgiften sänks till 20 kronor.']
		]);
		expect(r.items[0].title).toBe('Parkering i centrum');
		expect(r.items[0].children![0].children!.map((c) => c.text)).toEqual(['Förslaget fastställs.']);
	});

	it('finds nothing in text that is no ärende', () => {
		const r = parseBaselineText('Hej!\n\nDetta är ett brev om något helt annat.');
		expect(r.items.filter((i) => i.kind !== 'paragraph' && i.kind !== 'section')).toHaveLength(0);
		expect(r.partyDocuments).toHaveLength(0);
	});
});
