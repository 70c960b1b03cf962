import {
	derivePartyStance,
	joinSv,
	partyPositionLines,
	protocolSummary,
	questionOutcome,
	tallyRound,
	voteLabels,
	type Alternative,
	type Position,
	type QuestionKind,
	type RoundKind
} from '../domain/positions';
import type { LoadedMeeting, PositionRow, PositionsCase } from '../commands/positions-context';
import { toPosition } from '../commands/positions-context';
import { draftPhrase, targetLabel } from './positions';

/**
 * The clerk's record as everyone in the body may read it: who served, the questions in order with
 * their outcome, each votering round by round with every member's vote, and the protocol summary.
 * It reads recorded positions only; plans never reach the record.
 */

export const questionKindLabels: Record<QuestionKind, string> = {
	formal: 'Formell fråga (återremiss eller bordläggning)',
	main: 'Huvudfrågan',
	addition: 'Tilläggsyrkande'
};

export const roundKindLabels: Record<RoundKind, string> = {
	kontraproposition: 'Kontrapropositionsvotering',
	huvudvotering: 'Huvudvotering'
};

export const attendanceLabels = {
	serving: 'Tjänstgör',
	present: 'Närvarande, tjänstgör inte',
	absent: 'Frånvarande'
} as const;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function alternativeLabel(snap: PositionsCase, alt: Alternative): string {
	switch (alt.type) {
		case 'baseline':
			return snap.baseline.title;
		case 'yrkande': {
			const d = snap.drafts.find((x) => x.id === alt.draftId);
			return d ? capitalize(draftPhrase(d)) : 'Ett yrkande';
		}
		case 'aterremiss':
			return `Återremiss till ${alt.referTo} (${joinSv(alt.partyIds)})`;
		case 'bordlaggning':
			return `Bordläggning (${joinSv(alt.partyIds)})`;
		case 'avgora_idag':
			return 'Ärendet ska avgöras i dag';
		case 'avslag':
			return 'Avslag';
	}
}

export function presentMeeting(
	snap: PositionsCase,
	meeting: LoadedMeeting,
	rows: readonly PositionRow[],
	names: ReadonlyMap<string, string>,
	canManage: boolean
) {
	const { record } = meeting;
	const recorded: Position[] = rows.filter((r) => r.stage === 'recorded').map(toPosition);
	const nameOf = (id: string) => snap.members.find((m) => m.id === id)?.name ?? names.get(id) ?? '';
	const partyOrder = snap.parties.map((p) => p.id);
	const joint = snap.drafts.filter((d) => d.status === 'submitted').map((d) => d.partyIds);
	const caseStances = partyOrder.map((p) =>
		derivePartyStance(p, snap.members, { type: 'case' }, recorded, record.openedAt ? record.serving : undefined)
	);
	const questions = record.propositionsordning.questions.map((q, index) => {
		const outcome = questionOutcome(record, q);
		const votering = record.voteringar.find((v) => v.questionId === q.id);
		const labels = q.alternatives.map((a) => alternativeLabel(snap, a));
		return {
			id: q.id,
			number: index + 1,
			kind: q.kind,
			kindLabel: questionKindLabels[q.kind],
			alternatives: q.alternatives.map((a, i) => ({ ...a, label: labels[i] })),
			about: (q.about ?? []).map((t) => ({ target: t, label: targetLabel(snap, t) })),
			acclamation: q.acclamation ?? null,
			outcome: outcome.decided
				? {
						decided: true as const,
						winner: outcome.winner,
						winnerLabel: labels[outcome.winner],
						count: outcome.count
					}
				: { decided: false as const },
			votering: votering
				? {
						id: votering.id,
						recordedBy: names.get(meeting.voteringMeta.get(votering.id)?.recordedBy ?? '') ?? null,
						rounds: votering.rounds.map((r) => {
							const t = tallyRound(r);
							return {
								kind: r.kind,
								kindLabel: roundKindLabels[r.kind],
								ja: r.ja,
								nej: r.nej,
								jaLabel: labels[r.ja],
								nejLabel: labels[r.nej],
								castingVote: r.castingVote ?? null,
								tally: t,
								votes: snap.members
									.filter((m) => r.votes[m.id])
									.map((m) => ({
										memberId: m.id,
										name: m.name,
										partyId: m.partyId,
										vote: r.votes[m.id],
										voteLabel: voteLabels[r.votes[m.id]]
									}))
							};
						})
					}
				: null
		};
	});
	const entryOf = new Map(meeting.attendance.map((a) => [a.memberId, a]));
	return {
		openedAt: record.openedAt,
		closedAt: record.closedAt,
		justeringDate: record.justeringDate,
		lockedAt: record.propositionsordning.lockedAt,
		attendance: snap.members.map((m) => {
			const e = entryOf.get(m.id);
			return {
				memberId: m.id,
				name: m.name,
				partyId: m.partyId,
				seat: m.seat,
				attendance: e?.attendance ?? null,
				attendanceLabel: e ? attendanceLabels[e.attendance] : 'Inte antecknad',
				replacesMemberId: e?.replacesMemberId ?? null,
				replacesName: e?.replacesMemberId ? nameOf(e.replacesMemberId) : null
			};
		}),
		questions,
		reservations: recorded
			.filter((p) => p.kind === 'reservation')
			.map((p) => {
				const m = snap.members.find((x) => x.id === p.memberId);
				return {
					id: p.id,
					name: m?.name ?? '',
					partyId: m?.partyId ?? '',
					targetLabel: targetLabel(snap, p.target),
					motivation: p.kind === 'reservation' ? (p.motivation ?? null) : null
				};
			}),
		partyLines: partyPositionLines(caseStances, partyOrder, joint),
		summary: protocolSummary({
			bodyName: snap.case.bodyName,
			baselineName: snap.baseline.phrase,
			partyOrder,
			members: snap.members,
			drafts: snap.drafts,
			positions: recorded,
			record
		}),
		viewer: { canManage }
	};
}
