import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BaselineItem, type ParsedItem, walkItems } from '../../../server/domain/baseline';
import { diffVersions } from '../../../server/domain/baseline-diff';
import { assignStableIds } from '../../../server/domain/baseline-match';
import { parseBaselineText } from '../../../server/import/parse';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

function counter(prefix = 'n') {
	let n = 0;
	return () => `${prefix}${++n}`;
}

function ids(items: BaselineItem[]): string[] {
	return [...walkItems(items)].map(({ item }) => item.id);
}

function replaceOnce(text: string, from: string, to: string): string {
	expect(text.split(from)).toHaveLength(2);
	return text.replace(from, to);
}

describe('stable ids across imports of the fixture', () => {
	const first = assignStableIds(null, parseBaselineText(fixture).items, counter('a'));

	it('gives every item an id of its own', () => {
		const all = ids(first);
		expect(new Set(all).size).toBe(all.length);
		expect(all.length).toBeGreaterThan(300);
	});

	it('changes nothing when the same file is imported again', () => {
		const again = assignStableIds(first, parseBaselineText(fixture).items, counter('b'));
		expect(ids(again)).toEqual(ids(first));
		const diff = diffVersions(first, again);
		expect(diff.changes).toEqual([]);
		expect(diff.summary.unchanged).toBe(ids(first).length);
	});

	it('finds exactly one uppdrag reworded, one removed and one added, every other id unchanged', () => {
		let revised = replaceOnce(
			fixture,
			'kan bli en bättre arbetsgivare för personer med \nneuropsykiatriska diagnoser.',
			'kan bli en attraktivare arbetsgivare för personer med \nneuropsykiatriska funktionsnedsättningar.'
		);
		revised = replaceOnce(
			revised,
			'Alla nämnder och bolagsstyrelsen får i uppdrag att säkerställa \nen hållbar livscykelhantering av bärbar elektronik. \n\nKS 2025-09- 24, \ni delårsrapport augusti för \nkommunstyrelsen \n\n',
			''
		);
		revised = replaceOnce(
			revised,
			'Kommunstyrelsen får i uppdrag att genomföra en översyn och \n',
			'Kommunstyrelsen får i uppdrag att ta fram en plan för stadens \nsamarbete med civilsamhällets organisationer i utsatta områden. \n\nKS Q2 2025 \n\nKommunstyrelsen får i uppdrag att genomföra en översyn och \n'
		);
		const second = assignStableIds(first, parseBaselineText(revised).items, counter('c'));
		const diff = diffVersions(first, second);

		expect(diff.summary).toMatchObject({ added: 1, removed: 1, changed: 1, moved: 0 });
		expect(diff.changes).toHaveLength(3);
		const byType = Object.fromEntries(diff.changes.map((c) => [c.type, c]));
		expect(byType.changed).toMatchObject({ kind: 'assignment', moved: false });
		expect(byType.changed.type === 'changed' && byType.changed.changes.map((c) => c.attribute)).toEqual(['text']);
		expect(byType.changed.type === 'changed' && byType.changed.after.text).toMatch(/en attraktivare arbetsgivare/);
		expect(byType.removed).toMatchObject({ kind: 'assignment' });
		expect(byType.removed.type === 'removed' && byType.removed.before.text).toMatch(
			/^Alla nämnder och bolagsstyrelsen/
		);
		expect(byType.added).toMatchObject({ kind: 'assignment' });
		expect(byType.added.type === 'added' && byType.added.id).toMatch(/^c/);

		// Every id of the first version except the removed one lives on.
		const kept = new Set(ids(second));
		expect(ids(first).filter((id) => !kept.has(id))).toEqual([byType.removed.id]);
	});

	it('shows the rewording as a word diff', () => {
		const revised = replaceOnce(fixture, 'Fel lön betalas ut.', 'Felaktig lön betalas ut.');
		const second = assignStableIds(first, parseBaselineText(revised).items, counter('d'));
		const [change] = diffVersions(first, second).changes;
		expect(change.type).toBe('changed');
		if (change.type !== 'changed') return;
		expect(change.kind).toBe('control');
		expect(change.changes).toHaveLength(1);
		expect(change.changes[0].attribute).toBe('fields.Konsekvensbeskrivning');
		expect(change.changes[0].runs).toEqual([
			{ text: 'Fel', removed: true },
			{ text: 'Felaktig', added: true },
			{ text: ' lön betalas ut.' }
		]);
	});

	it('keeps the id of a table row whose figure changed, and tells the rows of groups apart', () => {
		const revised = replaceOnce(fixture, 'Kostnader -367,4 -394,2', 'Kostnader -367,4 -390,0');
		const second = assignStableIds(first, parseBaselineText(revised).items, counter('e'));
		const diff = diffVersions(first, second);
		expect(diff.changes).toHaveLength(1);
		const [change] = diff.changes;
		expect(change.type === 'changed' && change.changes).toEqual([
			{ attribute: 'values.Budget 2025', before: -394.2, after: -390 }
		]);
		expect(change.type === 'changed' && change.after.path).toContain('Kommunledningen');
	});
});

describe('matching rules', () => {
	const p = (kind: ParsedItem['kind'], text: string, children?: ParsedItem[]): ParsedItem => ({
		kind,
		text,
		...(children ? { children } : {})
	});

	it('follows an item that moved to another section', () => {
		const v1 = assignStableIds(
			null,
			[
				{ kind: 'section', title: 'A', children: [p('paragraph', 'Ett stycke som flyttas till B.')] },
				{ kind: 'section', title: 'B', children: [] }
			],
			counter('x')
		);
		const v2 = assignStableIds(
			v1,
			[
				{ kind: 'section', title: 'A', children: [] },
				{ kind: 'section', title: 'B', children: [p('paragraph', 'Ett stycke som flyttas till B.')] }
			],
			counter('y')
		);
		expect(v2[1].children![0].id).toBe(v1[0].children![0].id);
		const diff = diffVersions(v1, v2);
		expect(diff.summary).toMatchObject({ moved: 1, changed: 0, added: 0, removed: 0 });
	});

	it('does not take a new item of another kind for an old one', () => {
		const v1 = assignStableIds(null, [p('paragraph', 'Samma ord i båda.')], counter('x'));
		const v2 = assignStableIds(v1, [p('list_item', 'Samma ord i båda.')], counter('y'));
		expect(v2[0].id).toBe('y1');
	});

	it('gives identical items their ids in order', () => {
		const v1 = assignStableIds(null, [p('paragraph', 'Lika.'), p('paragraph', 'Lika.')], counter('x'));
		const v2 = assignStableIds(
			v1,
			[p('paragraph', 'Lika.'), p('paragraph', 'Lika.'), p('paragraph', 'Lika.')],
			counter('y')
		);
		expect(ids(v2)).toEqual(['x1', 'x2', 'y1']);
	});

	it('does not match a rewritten item with nothing in common', () => {
		const v1 = assignStableIds(
			null,
			[p('assignment', 'Kommunstyrelsen får i uppdrag att bygga en bro över älven.')],
			counter('x')
		);
		const v2 = assignStableIds(
			v1,
			[p('assignment', 'Kommunstyrelsen får i uppdrag att utreda skolskjutsar på landsbygden.')],
			counter('y')
		);
		expect(v2[0].id).toBe('y1');
	});
});
