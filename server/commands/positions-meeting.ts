import { eq } from 'drizzle-orm';
import {
	cases,
	meetingAttendance,
	meetingRecords,
	voteringar,
	voteringRounds,
	voteringVotes,
	type AttendanceKind
} from '../../db/schema';
import type { Tx } from '../../db/client';
import { recordAudit } from '../audit';
import {
	checkPropositionsordning,
	checkVotering,
	refuse,
	targetKey,
	type MeetingRecord,
	type Question,
	type VoteringRound
} from '../domain/positions';
import { AppError, forbidden, notFound } from '../errors';
import { newId } from '../ids';
import { can, type Principal } from '../policies';
import { refusalError, type PositionDeps } from './positions';
import {
	loadPositionRows,
	loadPositionsCase,
	lockMeeting,
	toPosition,
	type LoadedMeeting,
	type PositionsCase
} from './positions-context';

/**
 * The clerk's record of the meeting for one case: opening and closing the item, who serves, the
 * propositionsordning and its lock, the voteringar and the chair's findings. Each change checks the
 * domain's rules under the case's lock, writes its audit entry in the same transaction, and then
 * tells every open page of the body to refetch.
 */

interface Step {
	user: Principal;
	caseId: string;
	ip?: string | null;
}

function requireClerk(user: Principal, snap: PositionsCase) {
	if (!can(user, 'manage', { type: 'case', bodyId: snap.case.bodyId }))
		throw forbidden('Bara nämndsekreteraren kan föra protokollet över sammanträdet.');
}

const closed = () =>
	refusalError(refuse('meeting_closed', 'Sammanträdet är avslutat; protokollet kan inte längre ändras.'));

/**
 * Runs one change of the record: the clerk's right, the case's lock, the audit entry, and the live
 * event after the commit.
 */
async function change<T>(
	deps: PositionDeps,
	step: Step,
	action: string,
	fn: (tx: Tx, meeting: LoadedMeeting, snap: PositionsCase) => Promise<{ result: T; details?: Record<string, unknown> }>
): Promise<T> {
	const snap = await loadPositionsCase(deps.db, deps.sync, step.user, step.caseId);
	requireClerk(step.user, snap);
	const result = await deps.db.transaction(async (tx) => {
		const meeting = await lockMeeting(tx, step.caseId);
		const { result, details } = await fn(tx, meeting, snap);
		await recordAudit(tx, {
			actorId: step.user.id,
			action,
			bodyId: snap.case.bodyId,
			subjectType: 'case',
			subjectId: step.caseId,
			details: details ?? {},
			ip: step.ip
		});
		return result;
	});
	deps.live?.publish({
		caseId: snap.case.id,
		bodyId: snap.case.bodyId,
		audience: { kind: 'body' },
		topic: 'meeting'
	});
	return result;
}

export async function openMeeting(deps: PositionDeps, step: Step, input: { justeringDate?: string | null }) {
	return change(deps, step, 'meeting.open', async (tx, { record }) => {
		if (record.closedAt) throw closed();
		if (record.openedAt) throw new AppError(409, 'already_open', 'Ärendet är redan uppe vid sammanträdet.');
		await tx
			.update(meetingRecords)
			.set({
				openedAt: new Date(),
				openedBy: step.user.id,
				updatedAt: new Date(),
				...(input.justeringDate !== undefined ? { justeringDate: input.justeringDate } : {})
			})
			.where(eq(meetingRecords.caseId, step.caseId));
		return { result: undefined, details: { justeringDate: input.justeringDate ?? record.justeringDate } };
	});
}

export async function setJusteringDate(deps: PositionDeps, step: Step, justeringDate: string | null) {
	return change(deps, step, 'meeting.justering', async (tx, { record }) => {
		await tx
			.update(meetingRecords)
			.set({ justeringDate, updatedAt: new Date() })
			.where(eq(meetingRecords.caseId, step.caseId));
		return { result: undefined, details: { from: record.justeringDate, to: justeringDate } };
	});
}

export interface AttendanceInput {
	memberId: string;
	attendance: AttendanceKind;
	replacesMemberId?: string | null;
}

/**
 * Who serves on the item. Fixed with the propositionsordning: who may vote cannot change once the
 * questions are put. No more may serve than the body has ledamöter.
 */
export async function setAttendance(deps: PositionDeps, step: Step, entries: AttendanceInput[]) {
	return change(deps, step, 'meeting.attendance', async (tx, { record }, snap) => {
		if (record.closedAt) throw closed();
		if (record.propositionsordning.lockedAt)
			throw refusalError(
				refuse('positions_frozen', 'Propositionsordningen är fastställd; tjänstgöringen kan inte längre ändras.')
			);
		const byId = new Map(snap.members.map((m) => [m.id, m]));
		const seen = new Set<string>();
		for (const e of entries) {
			const m = byId.get(e.memberId);
			if (!m) throw notFound('Ledamoten eller ersättaren finns inte i nämnden.');
			if (seen.has(e.memberId))
				throw refusalError(refuse('invalid_record', `${m.name} finns med två gånger i närvaron.`));
			seen.add(e.memberId);
			if (e.replacesMemberId) {
				const replaced = byId.get(e.replacesMemberId);
				if (m.seat !== 'ersattare' || e.attendance !== 'serving')
					throw refusalError(
						refuse('invalid_record', `Bara en tjänstgörande ersättare ersätter en ledamot; ${m.name} gör inte det.`)
					);
				if (!replaced || replaced.seat !== 'ledamot')
					throw refusalError(refuse('invalid_record', `${m.name} kan bara ersätta en ledamot.`));
				const replacedEntry = entries.find((x) => x.memberId === replaced.id);
				if (replacedEntry?.attendance === 'serving')
					throw refusalError(
						refuse('invalid_record', `${replaced.name} tjänstgör själv och kan inte ersättas av ${m.name}.`)
					);
			}
			if (m.seat === 'ledamot' && e.attendance === 'present')
				throw refusalError(
					refuse('invalid_record', `${m.name} är ledamot: en närvarande ledamot tjänstgör, annars är hen frånvarande.`)
				);
		}
		const seats = snap.members.filter((m) => m.seat === 'ledamot').length;
		const serving = entries.filter((e) => e.attendance === 'serving').length;
		if (serving > seats)
			throw refusalError(refuse('invalid_record', `${serving} kan inte tjänstgöra: nämnden har ${seats} ledamöter.`));
		await tx.delete(meetingAttendance).where(eq(meetingAttendance.caseId, step.caseId));
		if (entries.length)
			await tx.insert(meetingAttendance).values(
				entries.map((e) => ({
					caseId: step.caseId,
					memberId: e.memberId,
					attendance: e.attendance,
					replacesMemberId: e.replacesMemberId ?? null
				}))
			);
		await tx.update(meetingRecords).set({ updatedAt: new Date() }).where(eq(meetingRecords.caseId, step.caseId));
		return { result: undefined, details: { entries } };
	});
}

/** A question as the clerk sends it: the server gives new questions their ids. */
export type QuestionInput = Omit<Question, 'id' | 'acclamation'> & { id?: string };

/** The targets a question decides point by point must be points of the case. */
function checkAbout(snap: PositionsCase, q: QuestionInput) {
	const known = new Set<string>([
		...snap.baseline.points.map((p) => targetKey({ type: 'baseline_point', itemId: p.id })),
		...snap.drafts.flatMap((d) => [
			targetKey({ type: 'yrkande', draftId: d.id }),
			...d.points.map((p) => targetKey({ type: 'yrkande_point', draftId: d.id, pointId: p.id }))
		]),
		'baseline'
	]);
	for (const t of q.about ?? [])
		if (!known.has(targetKey(t)))
			throw refusalError(refuse('unknown_target', 'Frågan gäller en punkt som inte finns i ärendet.'));
}

/** Replaces the propositionsordning the clerk is preparing; refused once it is fixed. */
export async function setPropositionsordning(deps: PositionDeps, step: Step, input: QuestionInput[]) {
	return change(deps, step, 'meeting.propositionsordning', async (tx, { record }, snap) => {
		if (record.closedAt) throw closed();
		const questions: Question[] = input.map((q) => ({ ...q, id: q.id ?? newId(), acclamation: null }));
		const ids = new Set(questions.map((q) => q.id));
		if (ids.size !== questions.length)
			throw refusalError(refuse('invalid_record', 'Två frågor i propositionsordningen har samma id.'));
		for (const q of questions) checkAbout(snap, q);
		const next: MeetingRecord = { ...record, propositionsordning: { ...record.propositionsordning, questions } };
		const verdict = checkPropositionsordning(next, snap.drafts);
		if (!verdict.ok) throw refusalError(verdict);
		await tx
			.update(meetingRecords)
			.set({ questions, updatedAt: new Date() })
			.where(eq(meetingRecords.caseId, step.caseId));
		return { result: questions, details: { questions } };
	});
}

/** Fixes the propositionsordning: from now on motions and participation are frozen and voteringar can be held. */
export async function lockPropositionsordning(deps: PositionDeps, step: Step) {
	return change(deps, step, 'meeting.lock', async (tx, { record }, snap) => {
		if (record.closedAt) throw closed();
		if (!record.openedAt)
			throw refusalError(
				refuse('meeting_not_open', 'Ärendet är inte uppe vid sammanträdet; propositionsordningen fastställs där.')
			);
		if (record.propositionsordning.questions.length === 0)
			throw refusalError(refuse('invalid_record', 'Propositionsordningen har inga frågor att ställa.'));
		const verdict = checkPropositionsordning(record, snap.drafts);
		if (!verdict.ok) throw refusalError(verdict);
		await tx
			.update(meetingRecords)
			.set({ lockedAt: new Date(), lockedBy: step.user.id, updatedAt: new Date() })
			.where(eq(meetingRecords.caseId, step.caseId));
		return { result: undefined, details: { questions: record.propositionsordning.questions.map((q) => q.id) } };
	});
}

function questionOf(record: MeetingRecord, questionId: string): Question {
	const q = record.propositionsordning.questions.find((x) => x.id === questionId);
	if (!q) throw refusalError(refuse('invalid_record', 'Frågan finns inte i propositionsordningen.'));
	return q;
}

/** The chair's finding without votering ("ordföranden finner att … bifallit"), or null to clear it. */
export async function setAcclamation(deps: PositionDeps, step: Step, questionId: string, winner: number | null) {
	return change(deps, step, 'meeting.acclamation', async (tx, { record }) => {
		if (record.closedAt) throw closed();
		if (!record.propositionsordning.lockedAt)
			throw refusalError(refuse('invalid_record', 'Propositionsordningen måste fastställas innan beslut.'));
		const q = questionOf(record, questionId);
		if (winner !== null && !q.alternatives[winner])
			throw refusalError(refuse('invalid_record', 'Det bifallna förslaget finns inte i frågan.'));
		if (record.voteringar.some((v) => v.questionId === questionId))
			throw refusalError(refuse('invalid_record', 'Frågan avgjordes genom votering; ta bort voteringen först.'));
		const questions = record.propositionsordning.questions.map((x) =>
			x.id === questionId ? { ...x, acclamation: winner } : x
		);
		await tx
			.update(meetingRecords)
			.set({ questions, updatedAt: new Date() })
			.where(eq(meetingRecords.caseId, step.caseId));
		return { result: undefined, details: { questionId, winner } };
	});
}

export interface VoteringInput {
	questionId: string;
	rounds: VoteringRound[];
}

/** Enters a votering with each member's vote per round; one per question (delete it to correct it). */
export async function recordVotering(deps: PositionDeps, step: Step, input: VoteringInput): Promise<string> {
	return change(deps, step, 'meeting.votering', async (tx, { record }, snap) => {
		if (record.closedAt) throw closed();
		const q = questionOf(record, input.questionId);
		if (record.voteringar.some((v) => v.questionId === q.id))
			throw refusalError(refuse('invalid_record', 'Frågan har redan en votering; ta bort den för att rätta den.'));
		if (q.acclamation != null) throw refusalError(refuse('invalid_record', 'Frågan är redan avgjord utan votering.'));
		const id = newId();
		const positions = (await loadPositionRows(tx, step.caseId)).map(toPosition);
		const verdict = checkVotering(record, { id, ...input }, snap.members, positions);
		if (!verdict.ok) throw refusalError(verdict);
		await tx.insert(voteringar).values({ id, caseId: step.caseId, questionId: q.id, recordedBy: step.user.id });
		await tx.insert(voteringRounds).values(
			input.rounds.map((r, i) => ({
				voteringId: id,
				round: i,
				kind: r.kind,
				ja: r.ja,
				nej: r.nej,
				castingVote: r.castingVote ?? null
			}))
		);
		const votes = input.rounds.flatMap((r, i) =>
			Object.entries(r.votes).map(([memberId, vote]) => ({ voteringId: id, round: i, memberId, vote }))
		);
		if (votes.length) await tx.insert(voteringVotes).values(votes);
		return { result: id, details: { voteringId: id, questionId: q.id, rounds: input.rounds } };
	});
}

export async function deleteVotering(deps: PositionDeps, step: Step, voteringId: string) {
	return change(deps, step, 'meeting.votering.delete', async (tx, { record }) => {
		if (record.closedAt) throw closed();
		const v = record.voteringar.find((x) => x.id === voteringId);
		if (!v) throw notFound('Voteringen hittades inte.');
		await tx.delete(voteringar).where(eq(voteringar.id, voteringId));
		return { result: undefined, details: { voteringId, questionId: v.questionId, rounds: v.rounds } };
	});
}

/** Closes the item: reservations must have been announced by now; the case counts as decided. */
export async function closeMeeting(deps: PositionDeps, step: Step) {
	return change(deps, step, 'meeting.close', async (tx, { record }) => {
		if (record.closedAt) throw closed();
		if (!record.openedAt)
			throw refusalError(refuse('meeting_not_open', 'Ärendet har inte tagits upp vid sammanträdet.'));
		const now = new Date();
		await tx
			.update(meetingRecords)
			.set({ closedAt: now, closedBy: step.user.id, updatedAt: now })
			.where(eq(meetingRecords.caseId, step.caseId));
		await tx.update(cases).set({ status: 'decided' }).where(eq(cases.id, step.caseId));
		return { result: undefined };
	});
}
