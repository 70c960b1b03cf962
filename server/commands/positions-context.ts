import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
	baselineItemVersions,
	baselines,
	baselineVersions,
	bodies,
	cases,
	draftParties,
	drafts,
	draftVersions,
	meetingAttendance,
	meetingRecords,
	parties,
	positions,
	voteringar,
	voteringRounds,
	voteringVotes,
	type AttendanceKind,
	type DraftKind
} from '../../db/schema';
import { proposalSource } from '../domain/amendment-targets';
import type { DraftContent, DecisionLevel } from '../domain/draft-doc';
import {
	emptyMeetingRecord,
	type MeetingRecord,
	type Member,
	type Position,
	type PositionTarget,
	type ProposalDraft,
	type Question,
	type Votering
} from '../domain/positions';
import { notFound } from '../errors';
import { bodyRoll } from './memberships';
import { can, type Principal } from '../policies';
import { draftDocName, orderedParties } from '../presenters/draft';

/**
 * Everything about a case that positions and the meeting record are judged against, loaded once per
 * request: the body's members and parties, the published baseline's decision points, and the drafts
 * the viewer may read. Drafts another party has not shared are never loaded, so no rule, label or
 * refusal can tell that they exist.
 */

/** What reads the text of drafts still being written (deps.sync). */
export interface ProjectionReader {
	readProjections(docNames: string[]): Promise<Map<string, { content: unknown }>>;
}

type DbOrTx = Db | Tx;

const positionDraftKinds: readonly DraftKind[] = [
	'yrkande',
	'andringsyrkande',
	'tillaggsyrkande',
	'yttrande',
	'sarskilt_yttrande'
];

export interface CaseInfo {
	id: string;
	bodyId: string;
	bodyName: string;
	title: string;
	caseNumber: string;
	meetingDate: string | null;
}

export interface PointInfo {
	id: string;
	/** the number as shown: "1", or "KS 1" when a yrkande has points at both levels */
	label: string;
	text: string;
}

export interface CaseDraft extends ProposalDraft {
	title: string;
	points: PointInfo[];
	/** amendments with the baseline item they rewrite and their new wording */
	amendmentTexts: { id: string; baselineItemId: string; text: string }[];
}

export interface PositionsCase {
	case: CaseInfo;
	/** the body's parties in their order */
	parties: { id: string; name: string; color: string }[];
	/** ledamöter and ersättare in seat order */
	members: Member[];
	baseline: {
		/** "Stadsledningskontorets förslag" */
		title: string;
		/** "stadsledningskontorets förslag", as the object of a sentence */
		phrase: string;
		points: PointInfo[];
	};
	/** the case's drafts the viewer may read, in submission order (unsubmitted ones last) */
	drafts: CaseDraft[];
}

/** The case if the user may read it; otherwise 404, like a case that does not exist. */
export async function loadCaseInfo(db: DbOrTx, user: Principal, caseId: string): Promise<CaseInfo> {
	const [row] = await db
		.select({
			id: cases.id,
			bodyId: cases.bodyId,
			bodyName: bodies.name,
			title: cases.title,
			caseNumber: cases.caseNumber,
			meetingDate: cases.meetingDate
		})
		.from(cases)
		.innerJoin(bodies, eq(cases.bodyId, bodies.id))
		.where(eq(cases.id, caseId))
		.limit(1);
	if (!row || !can(user, 'read', { type: 'case', bodyId: row.bodyId })) throw notFound('Ärendet hittades inte.');
	return row;
}

export async function loadMembers(db: DbOrTx, bodyId: string): Promise<Member[]> {
	const roll = await bodyRoll(db, bodyId);
	return roll.flatMap((r) => (r.partyId ? [{ id: r.userId, name: r.name, partyId: r.partyId, seat: r.seat! }] : []));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Points numbered per decision level, as the exported document numbers them. */
function labelPoints(points: readonly { id: string; level: DecisionLevel; text: string }[]): PointInfo[] {
	const levels = new Set(points.map((p) => p.level));
	const ordered = [...points.filter((p) => p.level === 'ks'), ...points.filter((p) => p.level !== 'ks')];
	const seen = new Map<DecisionLevel, number>();
	return ordered.map((p) => {
		const n = (seen.get(p.level) ?? 0) + 1;
		seen.set(p.level, n);
		const prefix = levels.size > 1 ? (p.level === 'ks' ? 'KS ' : 'KS/KF ') : '';
		return { id: p.id, label: `${prefix}${n}`, text: p.text };
	});
}

async function loadBaselinePoints(db: DbOrTx, caseId: string): Promise<PositionsCase['baseline']> {
	// Only the id and meta of the version in force: its row also holds the whole source text.
	const [version] = await db
		.select({ id: baselineVersions.id, meta: baselineVersions.meta })
		.from(baselineVersions)
		.innerJoin(baselines, eq(baselineVersions.baselineId, baselines.id))
		.where(and(eq(baselines.caseId, caseId), eq(baselineVersions.status, 'published')))
		.orderBy(desc(baselineVersions.number))
		.limit(1);
	const phrase = proposalSource(version?.meta.issuer);
	// Only the decision points: the whole tree of a budget is hundreds of items this never needs.
	const rows = version
		? await db
				.select({ id: baselineItemVersions.itemId, label: baselineItemVersions.label, text: baselineItemVersions.text })
				.from(baselineItemVersions)
				.where(and(eq(baselineItemVersions.versionId, version.id), eq(baselineItemVersions.kind, 'decision_point')))
				.orderBy(asc(baselineItemVersions.position))
		: [];
	const points = rows.map((r, i) => ({ id: r.id, label: r.label ?? String(i + 1), text: r.text ?? '' }));
	return { title: capitalize(phrase), phrase, points };
}

async function loadDrafts(db: DbOrTx, docs: ProjectionReader, user: Principal, info: CaseInfo): Promise<CaseDraft[]> {
	const rows = await db
		.select()
		.from(drafts)
		.where(and(eq(drafts.caseId, info.id), inArray(drafts.kind, [...positionDraftKinds])));
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const partyRows = await db.select().from(draftParties).where(inArray(draftParties.draftId, ids));
	const readable = rows
		.map((row) => ({
			row,
			partyIds: orderedParties(partyRows.filter((p) => p.draftId === row.id)).map((p) => p.partyId)
		}))
		.filter(({ row, partyIds }) =>
			can(user, 'read', { type: 'draft', bodyId: info.bodyId, partyIds, status: row.status })
		);
	if (readable.length === 0) return [];

	// Submitted and withdrawn drafts are read from their frozen version; the rest from the live projection.
	const frozenIds = readable.filter((d) => d.row.status === 'submitted' || d.row.status === 'withdrawn');
	const versions = frozenIds.length
		? await db
				.select({ draftId: draftVersions.draftId, version: draftVersions.version, content: draftVersions.content })
				.from(draftVersions)
				.where(
					inArray(
						draftVersions.draftId,
						frozenIds.map((d) => d.row.id)
					)
				)
				.orderBy(desc(draftVersions.version))
		: [];
	const openIds = readable.filter((d) => d.row.status === 'draft' || d.row.status === 'shared');
	const projections = openIds.length
		? await docs.readProjections(openIds.map((d) => draftDocName(d.row.id)))
		: new Map<string, { content: unknown }>();

	const contentOf = (id: string, frozen: boolean): Partial<DraftContent> => {
		if (frozen) return versions.find((v) => v.draftId === id)?.content ?? {};
		return (projections.get(draftDocName(id))?.content as Partial<DraftContent> | null) ?? {};
	};
	const order = (r: (typeof rows)[number]) => r.submittedAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
	return readable
		.sort((a, b) => order(a.row) - order(b.row) || a.row.createdAt.getTime() - b.row.createdAt.getTime())
		.map(({ row, partyIds }) => {
			const content = contentOf(row.id, row.status === 'submitted' || row.status === 'withdrawn');
			const points = labelPoints(Array.isArray(content.points) ? content.points : []);
			const amendments = Array.isArray(content.amendments) ? content.amendments : [];
			return {
				id: row.id,
				kind: row.kind,
				status: row.status,
				partyIds,
				title: row.title,
				pointIds: points.map((p) => p.id),
				points,
				amendments: amendments.map((a) => ({ id: a.id, baselineItemId: a.baselineItemId })),
				amendmentTexts: amendments.map((a) => ({ id: a.id, baselineItemId: a.baselineItemId, text: a.text }))
			};
		});
}

/** The case with its members, baseline points and the drafts the user may read; 404 when not readable. */
export async function loadPositionsCase(
	db: Db,
	docs: ProjectionReader,
	user: Principal,
	caseId: string
): Promise<PositionsCase> {
	const info = await loadCaseInfo(db, user, caseId);
	const [members, partyRows, baseline, caseDrafts] = await Promise.all([
		loadMembers(db, info.bodyId),
		db
			.select({ id: parties.id, name: parties.name, color: parties.color })
			.from(parties)
			.orderBy(asc(parties.sortOrder)),
		loadBaselinePoints(db, caseId),
		loadDrafts(db, docs, user, info)
	]);
	const inBody = new Set(members.map((m) => m.partyId));
	return {
		case: info,
		parties: partyRows.filter((p) => inBody.has(p.id)),
		members,
		baseline,
		drafts: caseDrafts
	};
}

// ---- positions ------------------------------------------------------------------------------------

export type PositionRow = typeof positions.$inferSelect;

export function rowTarget(row: PositionRow): PositionTarget {
	switch (row.targetType) {
		case 'case':
		case 'baseline':
			return { type: row.targetType };
		case 'baseline_point':
			return { type: 'baseline_point', itemId: row.targetItemId! };
		case 'yrkande':
			return { type: 'yrkande', draftId: row.targetDraftId! };
		case 'yrkande_point':
			return { type: 'yrkande_point', draftId: row.targetDraftId!, pointId: row.targetPointId! };
	}
}

/** The row as the domain sees it. */
export function toPosition(row: PositionRow): Position {
	const base = {
		id: row.id,
		memberId: row.memberId,
		target: rowTarget(row),
		stage: row.stage,
		publishedAt: row.publishedAt?.toISOString() ?? null
	};
	const d = row.details;
	switch (row.kind) {
		case 'andring':
			return { ...base, kind: 'andring', amendment: d.amendment ?? { draftId: '', amendmentId: '' } };
		case 'aterremiss':
			return { ...base, kind: 'aterremiss', reason: d.reason ?? '', referTo: d.referTo ?? '' };
		case 'reservation':
			return { ...base, kind: 'reservation', motivation: d.motivation ?? null };
		case 'protokollsanteckning':
			return { ...base, kind: 'protokollsanteckning', text: d.text ?? '' };
		case 'yttrande':
		case 'sarskilt_yttrande':
			return { ...base, kind: row.kind, draftId: d.draftId ?? '' };
		default:
			return { ...base, kind: row.kind };
	}
}

export async function loadPositionRows(db: DbOrTx, caseId: string): Promise<PositionRow[]> {
	return db.select().from(positions).where(eq(positions.caseId, caseId)).orderBy(asc(positions.createdAt));
}

// ---- the meeting record ---------------------------------------------------------------------------

export type MeetingRow = typeof meetingRecords.$inferSelect;

export interface AttendanceEntry {
	memberId: string;
	attendance: AttendanceKind;
	replacesMemberId: string | null;
}

export interface LoadedMeeting {
	row: MeetingRow | null;
	attendance: AttendanceEntry[];
	/** votering id → who recorded it and when */
	voteringMeta: Map<string, { recordedBy: string | null; recordedAt: Date }>;
	record: MeetingRecord;
}

/** The record of the case's meeting as the domain reads it; empty when the clerk has not begun it. */
export async function loadMeeting(db: DbOrTx, caseId: string, lock = false): Promise<LoadedMeeting> {
	const query = db.select().from(meetingRecords).where(eq(meetingRecords.caseId, caseId));
	const [row] = lock ? await query.for('update') : await query;
	const attendance = await db
		.select({
			memberId: meetingAttendance.memberId,
			attendance: meetingAttendance.attendance,
			replacesMemberId: meetingAttendance.replacesMemberId
		})
		.from(meetingAttendance)
		.where(eq(meetingAttendance.caseId, caseId));
	const vRows = await db
		.select()
		.from(voteringar)
		.where(eq(voteringar.caseId, caseId))
		.orderBy(asc(voteringar.recordedAt));
	const vIds = vRows.map((v) => v.id);
	const [rounds, votesRows] = vIds.length
		? await Promise.all([
				db
					.select()
					.from(voteringRounds)
					.where(inArray(voteringRounds.voteringId, vIds))
					.orderBy(asc(voteringRounds.round)),
				db.select().from(voteringVotes).where(inArray(voteringVotes.voteringId, vIds))
			])
		: [[], []];
	const voteringList: Votering[] = vRows.map((v) => ({
		id: v.id,
		questionId: v.questionId,
		rounds: rounds
			.filter((r) => r.voteringId === v.id)
			.map((r) => ({
				kind: r.kind,
				ja: r.ja,
				nej: r.nej,
				castingVote: r.castingVote ?? null,
				votes: Object.fromEntries(
					votesRows.filter((x) => x.voteringId === v.id && x.round === r.round).map((x) => [x.memberId, x.vote])
				)
			}))
	}));
	const base = emptyMeetingRecord(row?.justeringDate ?? null);
	const record: MeetingRecord = {
		...base,
		openedAt: row?.openedAt?.toISOString() ?? null,
		closedAt: row?.closedAt?.toISOString() ?? null,
		serving: attendance.filter((a) => a.attendance === 'serving').map((a) => a.memberId),
		propositionsordning: {
			lockedAt: row?.lockedAt?.toISOString() ?? null,
			questions: (row?.questions ?? []) as Question[]
		},
		voteringar: voteringList
	};
	return {
		row: row ?? null,
		attendance,
		voteringMeta: new Map(vRows.map((v) => [v.id, { recordedBy: v.recordedBy, recordedAt: v.recordedAt }])),
		record
	};
}

/**
 * Takes the case's lock for a change of positions or of the record: creates the record row when it
 * is missing and locks it, then reads the record. Every change to a case's positions or record
 * passes here first, so the rules always see what the previous change left.
 */
export async function lockMeeting(tx: Tx, caseId: string): Promise<LoadedMeeting> {
	await tx.insert(meetingRecords).values({ caseId }).onConflictDoNothing();
	return loadMeeting(tx, caseId, true);
}
