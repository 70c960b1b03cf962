import type { DraftKind } from '../../../db/schema/drafts';
import type { DraftStatus } from '../../policies';
import { targetCovers, targetKey, type Member, type Position, type PositionTarget } from './kinds';
import { joinSv } from './text';
import { allowed, refuse, type Verdict } from './verdict';

/**
 * The clerk's record of one ärende at a meeting: who serves, the propositionsordning, each votering
 * round by round, and from those the decision. Kept as data so the rules, the matrix and the protocol
 * summary all read the same facts.
 */

export const votes = [
	/** ja: for the proposal the chair put as "ja" in this round */
	'ja',
	/** nej: for the proposal put as "nej" */
	'nej',
	/** avstår: present and serving, but casts no vote in this round */
	'avstar'
] as const;
export type Vote = (typeof votes)[number];
export const voteLabels: Record<Vote, string> = { ja: 'Ja', nej: 'Nej', avstar: 'Avstår' };

/** One of the proposals the chair puts against another. */
export type Alternative =
	/** the administration's förslag till beslut */
	| { type: 'baseline' }
	/** a submitted yrkande, ändrings- or tilläggsyrkande */
	| { type: 'yrkande'; draftId: string }
	/** a motion to send the case back; often made orally, so it carries its own parties */
	| { type: 'aterremiss'; partyIds: readonly string[]; referTo: string; reason: string }
	/** a motion to postpone the case to a later meeting */
	| { type: 'bordlaggning'; partyIds: readonly string[] }
	/** the other side of a formal question: "ärendet ska avgöras i dag" */
	| { type: 'avgora_idag' }
	/** the other side of a tilläggsyrkande: reject it */
	| { type: 'avslag' };

export const questionKinds = [
	/** formell fråga: återremiss or bordläggning, decided before the case itself */
	'formal',
	/** huvudfrågan: the proposals on the case itself */
	'main',
	/** a tilläggsyrkande, decided after the main question */
	'addition'
] as const;
export type QuestionKind = (typeof questionKinds)[number];

export interface Question {
	id: string;
	kind: QuestionKind;
	/** the proposals put against each other; the chair's main proposal first */
	alternatives: readonly Alternative[];
	/** the points this question decides when the board votes point by point; absent: the whole case */
	about?: readonly PositionTarget[];
	/** decided without votering ("ordföranden finner att … bifallit"): index of the winning alternative */
	acclamation?: number | null;
}

export const roundKinds = [
	/** kontrapropositionsvotering: picks which proposal is put against the chair's main proposal */
	'kontraproposition',
	/** huvudvotering: the final vote that decides the question */
	'huvudvotering'
] as const;
export type RoundKind = (typeof roundKinds)[number];

export interface VoteringRound {
	kind: RoundKind;
	/** index into the question's alternatives of the proposal voted as "ja" */
	ja: number;
	/** index of the proposal voted as "nej" */
	nej: number;
	/** each voting member's vote, by member id; a serving member not listed did not vote */
	votes: Readonly<Record<string, Vote>>;
	/** the chair's utslagsröst (KL 4:24) when ja and nej are equal */
	castingVote?: 'ja' | 'nej' | null;
}

export interface Votering {
	id: string;
	questionId: string;
	/** the counter-proposition rounds first, the huvudvotering last */
	rounds: readonly VoteringRound[];
}

export interface MeetingRecord {
	/** when the chair opened the meeting; before it, positions can only be planned */
	openedAt: string | null;
	/** when the meeting closed; reservations must be announced before it */
	closedAt: string | null;
	/** the day the protocol is signed (YYYY-MM-DD); the deadline for written reservations */
	justeringDate: string | null;
	/** members serving on this item: the ledamöter present and the tjänstgörande ersättare */
	serving: readonly string[];
	propositionsordning: { lockedAt: string | null; questions: readonly Question[] };
	voteringar: readonly Votering[];
}

export function emptyMeetingRecord(justeringDate: string | null = null): MeetingRecord {
	return {
		openedAt: null,
		closedAt: null,
		justeringDate,
		serving: [],
		propositionsordning: { lockedAt: null, questions: [] },
		voteringar: []
	};
}

/** A draft as the record and the rules need it: never its text. */
export interface ProposalDraft {
	id: string;
	kind: DraftKind;
	status: DraftStatus;
	/** the owner first, then the co-signing parties, in the draft's order */
	partyIds: readonly string[];
	pointIds: readonly string[];
	/** amendments name the baseline item they rewrite */
	amendments: readonly { id: string; baselineItemId: string }[];
}

export interface Tally {
	ja: number;
	nej: number;
	avstar: number;
	/** null on a tie the chair has not yet broken */
	winner: 'ja' | 'nej' | null;
	castingVote: boolean;
}

export function tallyRound(round: VoteringRound): Tally {
	const t = { ja: 0, nej: 0, avstar: 0 };
	for (const v of Object.values(round.votes)) t[v] += 1;
	if (t.ja !== t.nej) return { ...t, winner: t.ja > t.nej ? 'ja' : 'nej', castingVote: false };
	return { ...t, winner: round.castingVote ?? null, castingVote: round.castingVote != null };
}

export type QuestionOutcome =
	| { decided: false }
	| {
			decided: true;
			/** index of the winning alternative */
			winner: number;
			/** the huvudvotering's count, winner first; null when decided without votering */
			count: { for: number; against: number; abstained: number; castingVote: boolean } | null;
			/** the round that decided it, to see who took part */
			finalRound: VoteringRound | null;
	  };

export function voteringFor(record: MeetingRecord, questionId: string): Votering | undefined {
	return record.voteringar.find((v) => v.questionId === questionId);
}

/** The result of a question: from its huvudvotering when there was one, else from the chair's finding. */
export function questionOutcome(record: MeetingRecord, question: Question): QuestionOutcome {
	const votering = voteringFor(record, question.id);
	const final = votering?.rounds.at(-1);
	if (final && final.kind === 'huvudvotering') {
		const t = tallyRound(final);
		if (!t.winner) return { decided: false };
		const winner = t.winner === 'ja' ? final.ja : final.nej;
		const [forVotes, against] = t.winner === 'ja' ? [t.ja, t.nej] : [t.nej, t.ja];
		return {
			decided: true,
			winner,
			count: { for: forVotes, against, abstained: t.avstar, castingVote: t.castingVote },
			finalRound: final
		};
	}
	if (question.acclamation != null)
		return { decided: true, winner: question.acclamation, count: null, finalRound: null };
	return { decided: false };
}

/**
 * The question whose decision a reservation on `target` dissents from: the one voting on that point
 * when the board voted point by point; else a formal question that sent the case back or postponed it;
 * else the main question.
 */
export function decisiveQuestion(record: MeetingRecord, target: PositionTarget): Question | undefined {
	const questions = record.propositionsordning.questions;
	if (target.type !== 'case') {
		const key = targetKey(target);
		const own = questions.filter((q) => q.about?.some((a) => targetKey(a) === key || targetCovers(a, target)));
		if (own.length) return own.at(-1);
	}
	for (const q of questions) {
		if (q.kind !== 'formal') continue;
		const o = questionOutcome(record, q);
		const won = o.decided ? q.alternatives[o.winner] : undefined;
		if (won && (won.type === 'aterremiss' || won.type === 'bordlaggning')) return q;
	}
	return questions.filter((q) => q.kind === 'main' && !q.about).at(-1) ?? questions.find((q) => q.kind === 'main');
}

/**
 * Whether a member took part in a question's decision, judged by the final round only: abstaining in a
 * counter-proposition vote and voting in the huvudvotering is taking part; abstaining in (or staying
 * out of) the huvudvotering is not.
 */
export function participationIn(
	record: MeetingRecord,
	question: Question,
	memberId: string
): 'took_part' | 'abstained_final' | 'absent_final' | 'undecided' {
	const outcome = questionOutcome(record, question);
	if (!outcome.decided) return 'undecided';
	if (!outcome.finalRound) return 'took_part';
	const vote = outcome.finalRound.votes[memberId];
	if (vote === 'avstar') return 'abstained_final';
	return vote ? 'took_part' : 'absent_final';
}

export function isJavig(memberId: string, positions: readonly Position[]): boolean {
	return positions.some((p) => p.memberId === memberId && p.kind === 'jav');
}

/** Recorded as "deltar inte i beslutet" on the case or on the point in question. */
export function isNotParticipating(memberId: string, target: PositionTarget, positions: readonly Position[]): boolean {
	return positions.some(
		(p) =>
			p.memberId === memberId &&
			p.kind === 'deltar_inte' &&
			(targetCovers(p.target, target) || (target.type !== 'case' && targetCovers(target, p.target)))
	);
}

const draftNoun = (d: ProposalDraft | undefined) =>
	d?.kind === 'tillaggsyrkande' ? 'Tilläggsyrkandet' : d?.kind === 'andringsyrkande' ? 'Ändringsyrkandet' : 'Yrkandet';

/** Checks the propositionsordning the clerk proposes, before it is locked. */
export function checkPropositionsordning(record: MeetingRecord, drafts: readonly ProposalDraft[]): Verdict {
	if (record.propositionsordning.lockedAt)
		return refuse('positions_frozen', 'Propositionsordningen är redan fastställd och kan inte ändras.');
	const questions = record.propositionsordning.questions;
	const firstMain = questions.findIndex((q) => q.kind === 'main');
	for (const [i, q] of questions.entries()) {
		if (q.alternatives.length < 2)
			return refuse('invalid_record', 'Varje fråga behöver minst två förslag att ställa mot varandra.');
		if (q.kind === 'formal' && firstMain !== -1 && i > firstMain)
			return refuse('invalid_record', 'Yrkanden om återremiss och bordläggning ska avgöras före huvudfrågan.');
		if (q.kind === 'addition' && (firstMain === -1 || i < firstMain))
			return refuse('invalid_record', 'Tilläggsyrkanden ställs under proposition efter huvudfrågan.');
		if (q.acclamation != null && !q.alternatives[q.acclamation])
			return refuse('invalid_record', 'Det bifallna förslaget finns inte i frågan.');
		for (const alt of q.alternatives) {
			if (alt.type !== 'yrkande') continue;
			const d = drafts.find((x) => x.id === alt.draftId);
			if (!d || d.status === 'draft' || d.status === 'shared')
				return refuse('not_submitted', 'Bara inlämnade yrkanden kan ställas under proposition.');
			if (d.status === 'withdrawn')
				return refuse(
					'withdrawn',
					`${draftNoun(d)} från ${joinSv(d.partyIds)} är återtaget och kan inte ställas under proposition.`
				);
		}
	}
	return allowed;
}

/**
 * Checks a votering before the clerk enters it: the propositionsordning is locked, the rounds are in
 * order, the huvudvotering puts the winner of the counter-propositions against the main proposal, and
 * only serving members who take part vote.
 */
export function checkVotering(
	record: MeetingRecord,
	votering: Votering,
	members: readonly Member[],
	positions: readonly Position[]
): Verdict {
	if (!record.propositionsordning.lockedAt)
		return refuse('invalid_record', 'Propositionsordningen måste fastställas innan votering.');
	const question = record.propositionsordning.questions.find((q) => q.id === votering.questionId);
	if (!question) return refuse('invalid_record', 'Voteringen gäller en fråga som inte finns i propositionsordningen.');
	const rounds = votering.rounds;
	if (rounds.length === 0 || rounds.at(-1)!.kind !== 'huvudvotering')
		return refuse('invalid_record', 'Huvudvoteringen ska vara sista omgången.');
	if (rounds.slice(0, -1).some((r) => r.kind !== 'kontraproposition'))
		return refuse('invalid_record', 'Det kan bara finnas en huvudvotering per fråga.');
	const recorded = positions.filter((p) => p.stage === 'recorded');
	const caseTarget: PositionTarget = { type: 'case' };
	let counterWinner: number | null = null;
	for (const round of rounds) {
		if (round.ja === round.nej || !question.alternatives[round.ja] || !question.alternatives[round.nej])
			return refuse('invalid_record', 'Omgången ställer förslag som inte finns i frågan mot varandra.');
		if (
			round.kind === 'huvudvotering' &&
			counterWinner !== null &&
			round.nej !== counterWinner &&
			round.ja !== counterWinner
		)
			return refuse(
				'invalid_record',
				'Motförslaget i huvudvoteringen ska vara det som vann kontrapropositionsvoteringen.'
			);
		for (const memberId of Object.keys(round.votes)) {
			const name = members.find((m) => m.id === memberId)?.name ?? 'Ledamoten';
			if (!record.serving.includes(memberId))
				return refuse('not_serving', `${name} tjänstgör inte i ärendet och kan inte rösta.`);
			if (isJavig(memberId, recorded)) return refuse('jav', `${name} är jävig i ärendet och kan inte rösta.`);
			const about = question.about ?? [caseTarget];
			if (about.some((t) => isNotParticipating(memberId, t, recorded)))
				return refuse('not_participating', `${name} deltar inte i beslutet och kan inte rösta.`);
		}
		const t = tallyRound(round);
		if (!t.winner) return refuse('invalid_record', 'Lika röstetal: ordförandens utslagsröst måste antecknas.');
		if (round.kind === 'kontraproposition') counterWinner = t.winner === 'ja' ? round.ja : round.nej;
	}
	return allowed;
}
