import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rebaseAmendment, rebaseAmounts, rebaseText, rebaseTexts } from '../../../server/domain/rebase';

const OLD =
	'Stadsledningskontoret stödjer genomförandet av miljö- och klimatprogrammet inom kontorets ordinarie processer.';

describe('rebaseText', () => {
	it('leaves an amendment of an untouched item valid', () => {
		const amended = OLD.replace('stödjer', 'driver');
		expect(rebaseText(OLD, OLD, amended)).toEqual({ status: 'valid', text: amended });
	});

	it('treats a whitespace-only change of the baseline as untouched', () => {
		const amended = OLD.replace('stödjer', 'driver');
		expect(rebaseText(OLD, OLD.replace(/ /g, '\n'), amended).status).toBe('valid');
	});

	it('carries the amendment over a change elsewhere in the item', () => {
		const newBase = OLD.replace('ordinarie processer', 'ordinarie och nya processer');
		const amended = OLD.replace('stödjer', 'driver');
		expect(rebaseText(OLD, newBase, amended)).toEqual({
			status: 'rebased',
			text: 'Stadsledningskontoret driver genomförandet av miljö- och klimatprogrammet inom kontorets ordinarie och nya processer.',
			stillChanges: true
		});
	});

	it('carries a deletion over an insertion elsewhere', () => {
		const newBase = `Under 2025 ${OLD.charAt(0).toLowerCase()}${OLD.slice(1)}`;
		const amended = OLD.replace(' inom kontorets ordinarie processer', '');
		const r = rebaseText(OLD, newBase, amended);
		expect(r).toMatchObject({
			status: 'rebased',
			text: 'Under 2025 stadsledningskontoret stödjer genomförandet av miljö- och klimatprogrammet.'
		});
	});

	it('notices when the new baseline already says what the amendment says', () => {
		const amended = OLD.replace('stödjer', 'driver');
		expect(rebaseText(OLD, amended, amended)).toEqual({ status: 'rebased', text: amended, stillChanges: false });
	});

	it('keeps the amendment when the baseline made the same edit and one more', () => {
		const newBase = OLD.replace('stödjer', 'driver').replace('ordinarie', 'löpande');
		const amended = OLD.replace('stödjer', 'driver');
		expect(rebaseText(OLD, newBase, amended)).toEqual({ status: 'rebased', text: newBase, stillChanges: false });
	});

	it('marks a conflict on the same words stale, with both texts and the span', () => {
		const newBase = OLD.replace('stödjer', 'samordnar');
		const amended = OLD.replace('stödjer', 'driver');
		const r = rebaseText(OLD, newBase, amended);
		expect(r.status).toBe('stale');
		if (r.status !== 'stale') return;
		expect(r.baseText).toBe(newBase);
		expect(r.amendmentText).toBe(amended);
		expect(r.oldBaseText).toBe(OLD);
		expect(r.conflicts).toEqual([
			{
				span: { start: 22, end: 29, text: 'stödjer', words: ['stödjer'] },
				baseline: { deleted: 'stödjer', inserted: 'samordnar' },
				amendment: { deleted: 'stödjer', inserted: 'driver' }
			}
		]);
	});

	it('marks stale when the baseline deleted words the amendment changes', () => {
		const newBase = OLD.replace(' inom kontorets ordinarie processer', '');
		const amended = OLD.replace('ordinarie', 'befintliga');
		const r = rebaseText(OLD, newBase, amended);
		expect(r.status).toBe('stale');
		if (r.status === 'stale') expect(r.conflicts[0].span.words).toEqual(['ordinarie']);
	});

	it('marks stale when both insert different words at the same place', () => {
		const newBase = OLD.replace('genomförandet', 'det aktiva genomförandet');
		const amended = OLD.replace('genomförandet', 'det fortsatta genomförandet');
		expect(rebaseText(OLD, newBase, amended).status).toBe('stale');
	});

	it('merges when both insert the same words at the same place', () => {
		const newBase = OLD.replace('genomförandet', 'det aktiva genomförandet');
		expect(rebaseText(OLD, newBase, newBase)).toEqual({ status: 'rebased', text: newBase, stillChanges: false });
	});

	it('follows the new baseline when the amendment changed nothing', () => {
		const newBase = OLD.replace('stödjer', 'samordnar');
		expect(rebaseText(OLD, newBase, OLD)).toEqual({ status: 'rebased', text: newBase, stillChanges: false });
	});

	it('rebases a strike of the whole text over a change as stale', () => {
		const newBase = OLD.replace('stödjer', 'samordnar');
		expect(rebaseText(OLD, newBase, '').status).toBe('stale');
	});

	it('handles an empty old baseline', () => {
		expect(rebaseText('', 'Ny lydelse.', 'Vår lydelse.').status).toBe('stale');
		expect(rebaseText('', '', 'Vår lydelse.')).toEqual({ status: 'valid', text: 'Vår lydelse.' });
	});

	it('handles Swedish letters and numbers in the merge', () => {
		const old =
			'Budgeten för stadsledningskontoret uppgår till 285,7 mnkr och för den politiska verksamheten till 112,1 mnkr.';
		const newBase = old.replace('112,1', '113,1');
		const amended = old.replace('285,7', '280,7');
		expect(rebaseText(old, newBase, amended)).toMatchObject({
			status: 'rebased',
			text: 'Budgeten för stadsledningskontoret uppgår till 280,7 mnkr och för den politiska verksamheten till 113,1 mnkr.'
		});
	});

	it('merges punctuation edits on both sides', () => {
		const old = 'Trygghet, skola och omsorg är viktigt';
		expect(
			rebaseText(old, 'Trygghet, skola och omsorg är viktigt.', 'Trygghet, skola, och omsorg är viktigt')
		).toMatchObject({ status: 'rebased', text: 'Trygghet, skola, och omsorg är viktigt.' });
	});

	it('merges edits in different paragraphs of a long text', () => {
		const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
		const i = fixture.indexOf('1. Inledning');
		const old = fixture.slice(i, fixture.indexOf('Bilaga 2', i));
		const newBase = old.replace('Budgetramen \när 4,3 mnkr högre', 'Budgetramen \när 4,4 mnkr högre');
		expect(newBase).not.toBe(old);
		const amended = old.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '');
		const r = rebaseText(old, newBase, amended);
		expect(r.status).toBe('rebased');
		if (r.status !== 'rebased') return;
		expect(r.text).toContain('4,4 mnkr högre');
		expect(r.text).not.toContain('ett Agenda 2030 hållbarhetsperspektiv');
		expect(r.text.length).toBe(newBase.length - 'med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv '.length);
	});
});

describe('rebaseTexts', () => {
	it('checks every amendment of an item at once, as one by one', () => {
		const newBase = OLD.replace('stödjer', 'samordnar');
		const amended = [OLD.replace('ordinarie', 'löpande'), OLD.replace('stödjer', 'driver'), OLD, newBase];
		expect(rebaseTexts(OLD, newBase, amended)).toEqual(amended.map((a) => rebaseText(OLD, newBase, a)));
		expect(rebaseTexts(OLD, newBase, amended).map((r) => r.status)).toEqual(['rebased', 'stale', 'rebased', 'rebased']);
	});

	it('answers valid for all when the item is untouched', () => {
		expect(rebaseTexts(OLD, OLD, ['a', 'b'])).toEqual([
			{ status: 'valid', text: 'a' },
			{ status: 'valid', text: 'b' }
		]);
	});

	it('answers nothing for no amendments', () => {
		expect(rebaseTexts(OLD, 'Annat.', [])).toEqual([]);
	});
});

describe('rebaseAmounts', () => {
	const before = { 'Budget 2024': 282.3, 'Budget 2025': 285.7 };

	it('is valid when the row is untouched', () => {
		expect(rebaseAmounts(before, { ...before }, { 'Budget 2025': 280.7 })).toEqual({
			status: 'valid',
			values: { 'Budget 2025': 280.7 }
		});
	});

	it('carries the amendment over a change in another column', () => {
		expect(rebaseAmounts(before, { ...before, 'Budget 2024': 282.4 }, { 'Budget 2025': 280.7 })).toEqual({
			status: 'rebased',
			values: { 'Budget 2025': 280.7 }
		});
	});

	it('does not propose a column given with its old value', () => {
		expect(
			rebaseAmounts(before, { ...before, 'Budget 2024': 282.4 }, { 'Budget 2024': 282.3, 'Budget 2025': 280.7 })
		).toEqual({ status: 'rebased', values: { 'Budget 2025': 280.7 } });
	});

	it('is stale when the baseline changed the amended column differently', () => {
		const r = rebaseAmounts(before, { ...before, 'Budget 2025': 290.0 }, { 'Budget 2025': 280.7 });
		expect(r).toEqual({
			status: 'stale',
			conflicts: [{ column: 'Budget 2025', oldBase: 285.7, newBase: 290, amendment: 280.7 }],
			baseValues: { ...before, 'Budget 2025': 290 },
			amendmentValues: { 'Budget 2025': 280.7 }
		});
	});

	it('drops a proposal the baseline adopted', () => {
		expect(rebaseAmounts(before, { ...before, 'Budget 2025': 280.7 }, { 'Budget 2025': 280.7 })).toEqual({
			status: 'rebased',
			values: {}
		});
	});

	it('treats a missing cell as empty', () => {
		expect(rebaseAmounts({}, { 'Budget 2025': 1 }, { 'Budget 2025': 2 }).status).toBe('stale');
		expect(rebaseAmounts({ a: null }, { a: null }, { a: 5 })).toEqual({ status: 'valid', values: { a: 5 } });
	});
});

describe('rebaseAmendment', () => {
	const item = (text: string, values?: Record<string, number | null>) => ({ text, ...(values ? { values } : {}) });

	it('is stale when the item is gone from the new baseline', () => {
		expect(rebaseAmendment({ op: 'change', text: 'x', values: {} }, { before: item(OLD), now: null })).toEqual({
			status: 'stale',
			reason: 'item_removed'
		});
	});

	it('keeps a new item after the target valid whatever its wording', () => {
		expect(
			rebaseAmendment({ op: 'insert_after', text: 'Ny punkt.', values: {} }, { before: item(OLD), now: item('Annat.') })
		).toEqual({ status: 'valid' });
	});

	it('keeps a strike valid when the item is untouched and rebased when reworded', () => {
		const strike = { op: 'strike' as const, text: '', values: {} };
		expect(rebaseAmendment(strike, { before: item(OLD), now: item(OLD) })).toEqual({ status: 'valid' });
		expect(rebaseAmendment(strike, { before: item(OLD), now: item(`${OLD} Tillägg.`) })).toEqual({
			status: 'rebased',
			stillChanges: true
		});
	});

	it('merges a text change', () => {
		const r = rebaseAmendment(
			{ op: 'change', text: OLD.replace('stödjer', 'driver'), values: {} },
			{ before: item(OLD), now: item(OLD.replace('ordinarie', 'löpande')) }
		);
		expect(r).toEqual({
			status: 'rebased',
			text: OLD.replace('stödjer', 'driver').replace('ordinarie', 'löpande'),
			stillChanges: true
		});
	});

	it('reports a text conflict with both texts', () => {
		const r = rebaseAmendment(
			{ op: 'change', text: OLD.replace('stödjer', 'driver'), values: {} },
			{ before: item(OLD), now: item(OLD.replace('stödjer', 'leder')) }
		);
		expect(r).toMatchObject({
			status: 'stale',
			reason: 'text_conflict',
			text: { baseText: OLD.replace('stödjer', 'leder') }
		});
	});

	it('merges amounts per column', () => {
		const before = item('Kommunbidrag', { 'Budget 2024': 282.3, 'Budget 2025': 285.7 });
		const r = rebaseAmendment(
			{ op: 'amounts', text: '', values: { 'Budget 2025': 280.7 } },
			{ before, now: item('Kommunbidrag', { 'Budget 2024': 282.0, 'Budget 2025': 285.7 }) }
		);
		expect(r).toEqual({ status: 'rebased', values: { 'Budget 2025': 280.7 }, stillChanges: true });
		const stale = rebaseAmendment(
			{ op: 'amounts', text: '', values: { 'Budget 2025': 280.7 } },
			{ before, now: item('Kommunbidrag', { 'Budget 2024': 282.3, 'Budget 2025': 290 }) }
		);
		expect(stale).toMatchObject({ status: 'stale', reason: 'amount_conflict' });
	});
});
