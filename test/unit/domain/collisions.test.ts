import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combineAmendments, findCollisions, type TextAmendment } from '../../../server/domain/collisions';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
const planning = (() => {
	const start = 'Stadsledningskontoret kommer att arbeta för att nå målet till exempel';
	const end = 'stärka synergier.';
	const i = fixture.indexOf(start);
	return fixture.slice(i, fixture.indexOf(end, i) + end.length);
})();

const BASE =
	'Kommunstyrelsen får i uppdrag att ta bort hänvisningar till utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv.';

let seq = 0;
const amend = (draftId: string, text: string, baseText = BASE): TextAmendment => ({
	id: `${draftId}-${++seq}`,
	draftId,
	baseText,
	text
});

describe('findCollisions', () => {
	it('flags SD striking and C rewording the Agenda 2030 reference, with the overlapping span', () => {
		const sd = {
			...amend('sd', planning.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', ''), planning),
			id: 'sd',
			party: 'SD'
		};
		const c = {
			...amend(
				'c',
				planning.replace(
					'ett Agenda 2030 hållbarhetsperspektiv',
					'ett socialt, ekonomiskt och ekologiskt hållbarhetsperspektiv'
				),
				planning
			),
			id: 'c',
			party: 'C'
		};
		const { collisions, uncomparable } = findCollisions([sd, c]);
		expect(uncomparable).toEqual([]);
		expect(collisions).toHaveLength(1);
		const [collision] = collisions;
		expect(collision.a).toBe('sd');
		expect(collision.b).toBe('c');
		expect(collision.spans).toHaveLength(1);
		const span = collision.spans[0];
		expect(span.words).toEqual(['Agenda', '2030']);
		expect(span.text).toBe('Agenda 2030');
		expect(planning.slice(span.start, span.end)).toBe('Agenda 2030');
		expect(span.start).toBe(planning.indexOf('Agenda 2030 hållbarhetsperspektiv'));
	});

	it('does not flag changes to separate parts of the item', () => {
		const a = amend('s', BASE.replace('ta bort', 'stryka'));
		const b = amend('m', BASE.replace('hållbarhetsperspektiv', 'perspektiv'));
		expect(findCollisions([a, b]).collisions).toEqual([]);
	});

	it('does not flag changes that only border each other', () => {
		const a = amend('s', BASE.replace('ta bort ', ''));
		const b = amend('m', BASE.replace('hänvisningar', 'alla hänvisningar'));
		expect(findCollisions([a, b]).collisions).toEqual([]);
	});

	it('flags two changes of the same word', () => {
		const a = amend('s', BASE.replace('hänvisningar', 'referenser'));
		const b = amend('v', BASE.replace('hänvisningar', 'skrivningar'));
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans.map((s) => s.text)).toEqual(['hänvisningar']);
		expect(c.spans[0].start).toBe(BASE.indexOf('hänvisningar'));
		expect(c.spans[0].end).toBe(BASE.indexOf('hänvisningar') + 'hänvisningar'.length);
	});

	it('gives only the shared words of two overlapping deletions', () => {
		const a = amend('s', BASE.replace('ta bort hänvisningar', 'ta'));
		const b = amend('v', BASE.replace('hänvisningar till utgångspunkt', 'utgångspunkt'));
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans.map((s) => s.words)).toEqual([['hänvisningar']]);
	});

	it('flags two insertions at the same place with an empty span there', () => {
		const a = amend('s', BASE.replace('hänvisningar', 'alla hänvisningar'));
		const b = amend('v', BASE.replace('hänvisningar', 'samtliga hänvisningar'));
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans).toEqual([
			{ start: BASE.indexOf('hänvisningar'), end: BASE.indexOf('hänvisningar'), text: '', words: [] }
		]);
	});

	it('flags an insertion inside words another amendment deletes', () => {
		const a = amend('s', BASE.replace(' till utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv', ''));
		const b = amend('v', BASE.replace('Agenda 2030', 'FN:s Agenda 2030'));
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans).toHaveLength(1);
		expect(c.spans[0].text).toBe('till utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv');
	});

	it('does not flag the same edit proposed by two parties', () => {
		const a = amend('s', BASE.replace('ta bort', 'stryka'));
		const b = amend('v', BASE.replace('ta bort', 'stryka'));
		expect(findCollisions([a, b]).collisions).toEqual([]);
	});

	it('ignores amendments of the same draft', () => {
		const a = amend('sd', BASE.replace('hänvisningar', 'referenser'));
		const b = amend('sd', BASE.replace('hänvisningar', 'skrivningar'));
		expect(findCollisions([a, b]).collisions).toEqual([]);
	});

	it('flags a strike of the whole item against any change of it', () => {
		const strike = amend('sd', '');
		const change = amend('c', BASE.replace('ta bort', 'stryka'));
		const [c] = findCollisions([strike, change]).collisions;
		expect(c.spans.map((s) => s.text)).toEqual(['ta bort']);
	});

	it('does not compare amendments written against different wordings', () => {
		const a = amend('s', 'Ny text.', 'Gammal lydelse.');
		const b = amend('v', 'Annan text.', 'Nyare lydelse.');
		expect(findCollisions([a, b])).toEqual({ collisions: [], uncomparable: [{ a: a.id, b: b.id }] });
	});

	it('compares amendments whose bases differ only in whitespace', () => {
		const a = amend('s', BASE.replace('hänvisningar', 'referenser'));
		const b = amend('v', BASE.replace('hänvisningar', 'skrivningar').replace(/ /g, '\n'), BASE.replace(/ /g, '\n'));
		const { collisions, uncomparable } = findCollisions([a, b]);
		expect(uncomparable).toEqual([]);
		expect(collisions).toHaveLength(1);
		expect(collisions[0].spans[0].text).toBe('hänvisningar');
	});

	it('lists every colliding pair among several amendments', () => {
		const s = amend('s', BASE.replace('hänvisningar', 'referenser'));
		const v = amend('v', BASE.replace('hänvisningar', 'skrivningar'));
		const m = amend('m', BASE.replace('Kommunstyrelsen', 'Stadsledningskontoret'));
		const sd = amend('sd', BASE.replace('ta bort hänvisningar', 'avskaffa allt'));
		const pairs = findCollisions([s, v, m, sd]).collisions.map((c) => [c.a, c.b]);
		expect(pairs).toEqual([
			[s.id, v.id],
			[s.id, sd.id],
			[v.id, sd.id]
		]);
	});

	it('reports several spans of one pair in order', () => {
		const a = amend('s', BASE.replace('uppdrag', 'ansvar').replace('Agenda', 'FN:s agenda'));
		const b = amend('v', BASE.replace('uppdrag', 'uppdraget').replace('Agenda', 'agendan'));
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans.map((s) => s.text)).toEqual(['uppdrag', 'Agenda']);
	});

	it('handles an empty base text', () => {
		const a = amend('s', 'Första förslaget.', '');
		const b = amend('v', 'Andra förslaget.', '');
		const [c] = findCollisions([a, b]).collisions;
		expect(c.spans).toEqual([{ start: 0, end: 0, text: '', words: [] }]);
	});

	it('reports nothing for amendments that change nothing', () => {
		expect(findCollisions([amend('s', BASE), amend('v', BASE)]).collisions).toEqual([]);
	});

	it('offsets are character offsets of the base, past Swedish letters', () => {
		const base = 'Åtgärder för ökad måluppfyllelse i Göteborgs Stad';
		const a = amend('s', base.replace('Göteborgs', 'hela'), base);
		const b = amend('v', base.replace('Göteborgs Stad', 'staden'), base);
		const [c] = findCollisions([a, b]).collisions;
		expect(base.slice(c.spans[0].start, c.spans[0].end)).toBe('Göteborgs');
	});

	it('finds collisions among many amendments of a long text', () => {
		const words = planning.split(' ');
		const amendments = Array.from({ length: 20 }, (_, k) => {
			const w = [...words];
			w[10 + k * 5] = `ändrat${k}`;
			return amend(`d${k}`, w.join(' '), planning);
		});
		// Two drafts touching a word already changed by draft 3.
		const clash = [...words];
		clash[25] = 'annat';
		amendments.push(amend('x', clash.join(' '), planning));
		const { collisions } = findCollisions(amendments);
		expect(collisions.map((c) => [c.a, c.b])).toEqual([[amendments[3].id, amendments[20].id]]);
	});
});

describe('combineAmendments', () => {
	it('combines changes to separate parts into one text', () => {
		const r = combineAmendments(BASE, [
			{ id: 'a', text: BASE.replace('ta bort', 'stryka') },
			{ id: 'b', text: BASE.replace('ett Agenda 2030 hållbarhetsperspektiv', 'Agenda 2030') }
		]);
		expect(r.text).toBe('Kommunstyrelsen får i uppdrag att stryka hänvisningar till utgångspunkt i Agenda 2030.');
		expect(r.applied).toEqual(['a', 'b']);
		expect(r.rejected).toEqual([]);
	});

	it('leaves out a colliding amendment whole and says with what it collides', () => {
		const r = combineAmendments(BASE, [
			{ id: 'a', text: BASE.replace('hänvisningar', 'referenser') },
			{ id: 'b', text: BASE.replace('hänvisningar', 'skrivningar').replace('Kommunstyrelsen', 'Nämnden') },
			{ id: 'c', text: BASE.replace('uppdrag', 'ansvar') }
		]);
		expect(r.applied).toEqual(['a', 'c']);
		expect(r.rejected).toEqual([{ id: 'b', collidesWith: ['a'] }]);
		expect(r.text).toBe(
			'Kommunstyrelsen får i ansvar att ta bort referenser till utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv.'
		);
	});

	it('applies the same edit once', () => {
		const r = combineAmendments(BASE, [
			{ id: 'a', text: BASE.replace('ta bort', 'stryka') },
			{ id: 'b', text: BASE.replace('ta bort', 'stryka') }
		]);
		expect(r.text).toBe(BASE.replace('ta bort', 'stryka'));
		expect(r.applied).toEqual(['a', 'b']);
	});

	it('keeps single spaces where two deletions meet', () => {
		const base = 'ett två tre fyra fem';
		const r = combineAmendments(base, [
			{ id: 'a', text: 'ett tre fyra fem' },
			{ id: 'b', text: 'ett två fyra fem' }
		]);
		expect(r.text).toBe('ett fyra fem');
	});

	it('combines deletions at the start and the end', () => {
		const base = 'Inledning. Mitten. Slutet.';
		const r = combineAmendments(base, [
			{ id: 'a', text: 'Mitten. Slutet.' },
			{ id: 'b', text: 'Inledning. Mitten.' }
		]);
		expect(r.text).toBe('Mitten.');
	});

	it('returns the base for no amendments', () => {
		expect(combineAmendments(BASE, [])).toEqual({ text: BASE, applied: [], rejected: [] });
	});

	it('works from an empty base', () => {
		expect(combineAmendments('', [{ id: 'a', text: 'Ny punkt.' }]).text).toBe('Ny punkt.');
	});

	it('combines the two fixture amendments when they touch different sentences', () => {
		const sd = planning.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '');
		const c = planning.replace('Stödet till nämnder med stor klimatpåverkan', 'Stödet till alla nämnder');
		const r = combineAmendments(planning, [
			{ id: 'sd', text: sd },
			{ id: 'c', text: c }
		]);
		expect(r.applied).toEqual(['sd', 'c']);
		expect(r.text).toContain('Stödet till alla nämnder');
		expect(r.text).not.toContain('Agenda 2030 hållbarhetsperspektiv');
		expect(r.text).toContain('miljö- och \nklimatprogrammet, för att identifiera');
	});
});
