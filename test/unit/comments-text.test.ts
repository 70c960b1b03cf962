import { describe, expect, it } from 'vitest';
import { keptMentions, matchPeople, mentionQuery, segments } from '../../web/src/lib/comments/text';

describe('comment text in the UI', () => {
	it('marks mentioned names and leaves everything else, markup included, as plain text', () => {
		expect(segments('@Anna Lindqvist <b>se</b> @Anna L', ['Anna Lindqvist'])).toEqual([
			{ text: '@Anna Lindqvist', mention: true },
			{ text: ' <b>se</b> @Anna L', mention: false }
		]);
		// The longer name wins where one name begins another.
		expect(segments('@Per Åkesson Jr', ['Per Åkesson', 'Per Åkesson Jr'])).toEqual([
			{ text: '@Per Åkesson Jr', mention: true }
		]);
		expect(segments('<script>x</script>', [])).toEqual([{ text: '<script>x</script>', mention: false }]);
		expect(segments('', ['A'])).toEqual([]);
	});

	it('finds the @ being typed, not an e-mail address or a finished sentence', () => {
		expect(mentionQuery('Hej @Ann', 8)).toEqual({ start: 4, query: 'Ann' });
		expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
		expect(mentionQuery('Hej @Anna Lindq', 15)).toEqual({ start: 4, query: 'Anna Lindq' });
		expect(mentionQuery('skriv till anna@exempel.se', 26)).toBeNull();
		expect(mentionQuery('@Anna\nnästa rad', 15)).toBeNull();
		expect(mentionQuery('@Anna gick hem och sov', 22)).toBeNull();
	});

	it('matches people by the start of any of their names, in Swedish', () => {
		const people = [{ name: 'Anna Lindqvist' }, { name: 'Malin Öberg' }, { name: 'Lars Wikström' }];
		expect(matchPeople(people, 'lind').map((p) => p.name)).toEqual(['Anna Lindqvist']);
		expect(matchPeople(people, 'öb').map((p) => p.name)).toEqual(['Malin Öberg']);
		expect(matchPeople(people, '')).toHaveLength(3);
	});

	it('keeps only the mentions still named in the text', () => {
		const chosen = [
			{ id: 'a', name: 'Anna Lindqvist' },
			{ id: 'b', name: 'Malin Öberg' }
		];
		expect(keptMentions('@Anna Lindqvist titta', chosen)).toEqual(['a']);
		expect(keptMentions('ingen', chosen)).toEqual([]);
	});
});
