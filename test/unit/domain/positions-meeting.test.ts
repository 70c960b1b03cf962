import { describe, expect, it } from 'vitest';
import {
	checkPropositionsordning,
	checkVotering,
	decisiveQuestion,
	participationIn,
	questionOutcome,
	tallyRound,
	type MeetingRecord,
	type Question,
	type Votering,
	type VoteringRound
} from '../../../server/domain/positions';
import { drafts, member, members, openRecord, pos } from './positions-board';

const daniel = member('Daniel Strand');
const malin = member('Malin Öberg');
const anna = member('Anna Lindqvist');
const per = member('Per Åkesson');
const jonas = member('Jonas Fält');
const birgitta = member('Birgitta Ålund');

const round = (
	kind: VoteringRound['kind'],
	ja: number,
	nej: number,
	votes: VoteringRound['votes'],
	castingVote?: 'ja' | 'nej'
) => ({
	kind,
	ja,
	nej,
	votes,
	castingVote
});

const main: Question = {
	id: 'q-main',
	kind: 'main',
	alternatives: [
		{ type: 'baseline' },
		{ type: 'yrkande', draftId: 'sd-yrkande' },
		{ type: 'yrkande', draftId: 'm-andring' }
	]
};
const formal: Question = {
	id: 'q-formal',
	kind: 'formal',
	alternatives: [
		{ type: 'aterremiss', partyIds: ['M'], referTo: 'stadsledningskontoret', reason: 'Mer underlag.' },
		{ type: 'avgora_idag' }
	]
};
const addition: Question = {
	id: 'q-add',
	kind: 'addition',
	alternatives: [{ type: 'yrkande', draftId: 'v-tillagg' }, { type: 'avslag' }]
};

function record(questions: Question[], voteringar: Votering[] = [], locked = true): MeetingRecord {
	return openRecord({
		propositionsordning: { lockedAt: locked ? '2024-12-11T10:30:00Z' : null, questions },
		voteringar
	});
}

describe('tallies', () => {
	it('counts ja, nej and avstår, and the larger side wins', () => {
		expect(tallyRound(round('huvudvotering', 0, 1, { a: 'ja', b: 'ja', c: 'nej', d: 'avstar' }))).toEqual({
			ja: 2,
			nej: 1,
			avstar: 1,
			winner: 'ja',
			castingVote: false
		});
		expect(tallyRound(round('huvudvotering', 0, 1, { a: 'nej', b: 'nej', c: 'ja' })).winner).toBe('nej');
	});

	it('leaves a tie open until the chair casts the deciding vote', () => {
		expect(tallyRound(round('huvudvotering', 0, 1, { a: 'ja', b: 'nej' }))).toMatchObject({
			winner: null,
			castingVote: false
		});
		expect(tallyRound(round('huvudvotering', 0, 1, { a: 'ja', b: 'nej' }, 'nej'))).toMatchObject({
			winner: 'nej',
			castingVote: true
		});
	});
});

describe('the outcome of a question', () => {
	it('comes from the huvudvotering, winner first in the count', () => {
		const r = record(
			[main],
			[{ id: 'v', questionId: 'q-main', rounds: [round('huvudvotering', 0, 1, { a: 'nej', b: 'nej', c: 'ja' })] }]
		);
		expect(questionOutcome(r, main)).toMatchObject({
			decided: true,
			winner: 1,
			count: { for: 2, against: 1, abstained: 0, castingVote: false }
		});
	});

	it("comes from the chair's finding when there was no votering, and is open otherwise", () => {
		expect(questionOutcome(record([{ ...main, acclamation: 0 }]), { ...main, acclamation: 0 })).toEqual({
			decided: true,
			winner: 0,
			count: null,
			finalRound: null
		});
		expect(questionOutcome(record([main]), main)).toEqual({ decided: false });
		const tied = record(
			[main],
			[{ id: 'v', questionId: 'q-main', rounds: [round('huvudvotering', 0, 1, { a: 'ja', b: 'nej' })] }]
		);
		expect(questionOutcome(tied, main)).toEqual({ decided: false });
	});

	it('is not decided by a counter-proposition round alone', () => {
		const r = record(
			[main],
			[{ id: 'v', questionId: 'q-main', rounds: [round('kontraproposition', 1, 2, { a: 'ja' })] }]
		);
		expect(questionOutcome(r, main)).toEqual({ decided: false });
	});
});

describe('taking part in the decision is judged by the final round', () => {
	const r = record(
		[main],
		[
			{
				id: 'v',
				questionId: 'q-main',
				rounds: [
					round('kontraproposition', 1, 2, { a: 'avstar', b: 'ja', c: 'ja' }),
					round('huvudvotering', 0, 1, { a: 'ja', b: 'avstar', d: 'nej', e: 'ja' })
				]
			}
		]
	);
	it('abstaining in the counter-proposition round still counts as taking part', () => {
		expect(participationIn(r, main, 'a')).toBe('took_part');
	});
	it('abstaining in or staying out of the huvudvotering does not', () => {
		expect(participationIn(r, main, 'b')).toBe('abstained_final');
		expect(participationIn(r, main, 'c')).toBe('absent_final');
	});
	it('an undecided question has no participants yet; a finding without votering includes everyone', () => {
		expect(participationIn(record([main]), main, 'a')).toBe('undecided');
		expect(participationIn(record([{ ...main, acclamation: 1 }]), { ...main, acclamation: 1 }, 'x')).toBe('took_part');
	});
});

describe('the decisive question', () => {
	it('is the main question, or a formal one that sent the case back', () => {
		expect(decisiveQuestion(record([formal, main]), { type: 'case' })?.id).toBe('q-main');
		const sentBack = record([{ ...formal, acclamation: 0 }, main]);
		expect(decisiveQuestion(sentBack, { type: 'case' })?.id).toBe('q-formal');
	});

	it("is a point's own question when the board voted point by point", () => {
		const p3: Question = { ...main, id: 'q-p3', about: [{ type: 'baseline_point', itemId: 'slk-3' }] };
		const r = record([main, p3]);
		expect(decisiveQuestion(r, { type: 'baseline_point', itemId: 'slk-3' })?.id).toBe('q-p3');
		expect(decisiveQuestion(r, { type: 'baseline_point', itemId: 'slk-1' })?.id).toBe('q-main');
		expect(decisiveQuestion(r, { type: 'case' })?.id).toBe('q-main');
	});
});

describe('the propositionsordning', () => {
	const check = (questions: Question[], locked = false) =>
		checkPropositionsordning(record(questions, [], locked), drafts);

	it('accepts formal questions first, the main question, then tilläggsyrkanden', () => {
		expect(check([formal, main, addition])).toEqual({ ok: true });
		expect(check([main])).toEqual({ ok: true });
	});

	it('refuses a formal question after the main question', () => {
		expect(check([main, formal])).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Yrkanden om återremiss och bordläggning ska avgöras före huvudfrågan.'
		});
	});

	it('refuses a tilläggsyrkande before the main question or without one', () => {
		const message = 'Tilläggsyrkanden ställs under proposition efter huvudfrågan.';
		expect(check([addition, main])).toEqual({ ok: false, code: 'invalid_record', message });
		expect(check([addition])).toEqual({ ok: false, code: 'invalid_record', message });
	});

	it('refuses a question with nothing to put against', () => {
		expect(check([{ ...main, alternatives: [{ type: 'baseline' }] }])).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Varje fråga behöver minst två förslag att ställa mot varandra.'
		});
	});

	it('refuses withdrawn and unsubmitted yrkanden', () => {
		expect(
			check([{ ...main, alternatives: [{ type: 'baseline' }, { type: 'yrkande', draftId: 'c-aterdraget' }] }])
		).toEqual({
			ok: false,
			code: 'withdrawn',
			message: 'Yrkandet från C är återtaget och kan inte ställas under proposition.'
		});
		expect(
			check([{ ...main, alternatives: [{ type: 'baseline' }, { type: 'yrkande', draftId: 'l-utkast' }] }])
		).toEqual({
			ok: false,
			code: 'not_submitted',
			message: 'Bara inlämnade yrkanden kan ställas under proposition.'
		});
	});

	it("refuses a chair's finding for a proposal that is not in the question", () => {
		expect(check([{ ...main, acclamation: 5 }])).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Det bifallna förslaget finns inte i frågan.'
		});
	});

	it('refuses any change once locked', () => {
		expect(check([main], true)).toEqual({
			ok: false,
			code: 'positions_frozen',
			message: 'Propositionsordningen är redan fastställd och kan inte ändras.'
		});
	});
});

describe('a votering', () => {
	const votes = { [anna.id]: 'ja', [daniel.id]: 'nej', [malin.id]: 'nej' } as const;
	const v = (rounds: VoteringRound[], questionId = 'q-main'): Votering => ({ id: 'v', questionId, rounds });
	const check = (votering: Votering, positions = [] as ReturnType<typeof pos>[], locked = true) =>
		checkVotering(record([main], [], locked), votering, members, positions);

	it('is accepted with a counter-proposition round and a huvudvotering against its winner', () => {
		expect(
			check(
				v([
					round('kontraproposition', 1, 2, { [daniel.id]: 'ja', [malin.id]: 'ja', [per.id]: 'nej' }),
					round('huvudvotering', 0, 1, votes)
				])
			)
		).toEqual({ ok: true });
	});

	it('needs the propositionsordning locked and its question in it', () => {
		expect(check(v([round('huvudvotering', 0, 1, votes)]), [], false)).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Propositionsordningen måste fastställas innan votering.'
		});
		expect(check(v([round('huvudvotering', 0, 1, votes)], 'q-x'))).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Voteringen gäller en fråga som inte finns i propositionsordningen.'
		});
	});

	it('ends with exactly one huvudvotering', () => {
		expect(check(v([round('kontraproposition', 1, 2, votes)]))).toMatchObject({
			message: 'Huvudvoteringen ska vara sista omgången.'
		});
		expect(check(v([]))).toMatchObject({ message: 'Huvudvoteringen ska vara sista omgången.' });
		expect(check(v([round('huvudvotering', 0, 1, votes), round('huvudvotering', 0, 2, votes)]))).toMatchObject({
			message: 'Det kan bara finnas en huvudvotering per fråga.'
		});
	});

	it('puts two different proposals of the question against each other', () => {
		const message = 'Omgången ställer förslag som inte finns i frågan mot varandra.';
		expect(check(v([round('huvudvotering', 0, 0, votes)]))).toMatchObject({ message });
		expect(check(v([round('huvudvotering', 0, 7, votes)]))).toMatchObject({ message });
	});

	it('puts the counter-proposition winner against the main proposal', () => {
		expect(
			check(
				v([
					round('kontraproposition', 1, 2, { [daniel.id]: 'ja', [malin.id]: 'ja', [per.id]: 'nej' }),
					round('huvudvotering', 0, 2, votes)
				])
			)
		).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Motförslaget i huvudvoteringen ska vara det som vann kontrapropositionsvoteringen.'
		});
	});

	it('refuses votes from a non-serving member, a jävig one and one who takes no part', () => {
		expect(check(v([round('huvudvotering', 0, 1, { ...votes, [jonas.id]: 'ja' })]))).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Jonas Fält tjänstgör inte i ärendet och kan inte rösta.'
		});
		expect(
			check(v([round('huvudvotering', 0, 1, { ...votes, [per.id]: 'nej' })]), [
				pos(per, { kind: 'jav', target: { type: 'case' } })
			])
		).toEqual({ ok: false, code: 'jav', message: 'Per Åkesson är jävig i ärendet och kan inte rösta.' });
		expect(
			check(v([round('huvudvotering', 0, 1, { ...votes, [birgitta.id]: 'avstar' })]), [
				pos(birgitta, { kind: 'deltar_inte', target: { type: 'case' } })
			])
		).toEqual({
			ok: false,
			code: 'not_participating',
			message: 'Birgitta Ålund deltar inte i beslutet och kan inte rösta.'
		});
	});

	it('does not hold a planned position against a recorded vote', () => {
		expect(
			check(v([round('huvudvotering', 0, 1, { ...votes, [per.id]: 'nej' })]), [
				pos(per, { kind: 'deltar_inte', target: { type: 'case' }, stage: 'planned' })
			])
		).toEqual({ ok: true });
	});

	it("needs the chair's deciding vote on a tie", () => {
		const tie = { [anna.id]: 'ja', [daniel.id]: 'nej' } as const;
		expect(check(v([round('huvudvotering', 0, 1, tie)]))).toEqual({
			ok: false,
			code: 'invalid_record',
			message: 'Lika röstetal: ordförandens utslagsröst måste antecknas.'
		});
		expect(check(v([round('huvudvotering', 0, 1, tie, 'ja')]))).toEqual({ ok: true });
	});
});
