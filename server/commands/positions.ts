import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { positions, type PositionDetails } from '../../db/schema';
import { recordAudit } from '../audit';
import {
	canSeePosition,
	checkPublishPlanned,
	checkRecordPosition,
	checkReservationMotivation,
	checkWithdrawPosition,
	goteborgKsReglemente,
	isStanceKind,
	targetKey,
	type Member,
	type NewPosition,
	type Position,
	type PositionContext,
	type PositionSpec,
	type PositionStage,
	type Refusal,
	type RefusalCode
} from '../domain/positions';
import { AppError, notFound } from '../errors';
import { newId } from '../ids';
import type { LiveHub } from '../live/hub';
import type { Principal } from '../policies';
import {
	loadPositionRows,
	loadPositionsCase,
	lockMeeting,
	toPosition,
	type PositionRow,
	type PositionsCase,
	type ProjectionReader
} from './positions-context';

/**
 * Changes to positions. Each one runs the domain's rules inside one transaction that holds the case's
 * lock (the meeting record row), stores the change with its audit entry (who, when, on whose behalf),
 * and after the commit tells open pages to refetch. Planned positions a party has not published
 * announce themselves to that party only.
 */

export interface PositionDeps {
	db: Db;
	sync: ProjectionReader;
	live?: Pick<LiveHub, 'publish'>;
}

const forbiddenCodes: readonly RefusalCode[] = [
	'not_allowed_to_record',
	'clerk_kind_not_allowed',
	'not_allowed_to_publish'
];
const conflictCodes: readonly RefusalCode[] = ['meeting_not_open', 'meeting_closed', 'positions_frozen'];

/** A refusal of the rules as the API answers it: the rule's code and its Swedish message. */
export function refusalError(v: Refusal): AppError {
	const status = forbiddenCodes.includes(v.code) ? 403 : conflictCodes.includes(v.code) ? 409 : 422;
	return new AppError(status, v.code, v.message);
}

function detailsOf(p: PositionSpec | Position | NewPosition): PositionDetails {
	switch (p.kind) {
		case 'andring':
			return { amendment: { draftId: p.amendment.draftId, amendmentId: p.amendment.amendmentId } };
		case 'aterremiss':
			return { reason: p.reason.trim(), referTo: p.referTo.trim() };
		case 'reservation':
			return { motivation: p.motivation?.trim() || null };
		case 'protokollsanteckning':
			return { text: p.text.trim() };
		case 'yttrande':
		case 'sarskilt_yttrande':
			return { draftId: p.draftId };
		default:
			return {};
	}
}

function targetColumns(p: NewPosition) {
	const t = p.target;
	return {
		targetType: t.type,
		targetKey: targetKey(t),
		targetItemId: t.type === 'baseline_point' ? t.itemId : null,
		targetDraftId: t.type === 'yrkande' || t.type === 'yrkande_point' ? t.draftId : null,
		targetPointId: t.type === 'yrkande_point' ? t.pointId : null
	};
}

const isPublic = (r: Pick<PositionRow, 'stage' | 'publishedAt'>) => r.stage === 'recorded' || r.publishedAt !== null;

function memberOf(snap: PositionsCase, memberId: string): Member {
	const m = snap.members.find((x) => x.id === memberId);
	if (!m) throw notFound('Ledamoten eller ersättaren finns inte i nämnden.');
	return m;
}

function context(
	snap: PositionsCase,
	user: Principal,
	member: Member,
	all: Position[],
	record: PositionContext['record']
) {
	return {
		bodyId: snap.case.bodyId,
		actor: user,
		member,
		positions: all,
		record,
		baselinePointIds: snap.baseline.points.map((p) => p.id),
		drafts: snap.drafts,
		reglemente: goteborgKsReglemente,
		now: new Date()
	} satisfies PositionContext;
}

function announce(
	deps: PositionDeps,
	snap: PositionsCase,
	rows: Pick<PositionRow, 'id' | 'stage' | 'publishedAt' | 'partyId'>[]
) {
	if (!deps.live || rows.length === 0) return;
	const audience = rows.some(isPublic)
		? ({ kind: 'body' } as const)
		: ({ kind: 'parties', partyIds: [...new Set(rows.map((r) => r.partyId))] } as const);
	deps.live.publish({
		caseId: snap.case.id,
		bodyId: snap.case.bodyId,
		audience,
		topic: 'positions',
		ids: rows.map((r) => r.id)
	});
}

/** The positions of a case the user may see: a party's unpublished plans only to that party. */
export async function visiblePositionRows(db: Db, user: Principal, snap: PositionsCase): Promise<PositionRow[]> {
	const rows = await loadPositionRows(db, snap.case.id);
	const byId = new Map(snap.members.map((m) => [m.id, m]));
	return rows.filter((r) => {
		const m = byId.get(r.memberId);
		return m !== undefined && canSeePosition(user, snap.case.bodyId, toPosition(r), m);
	});
}

/** A position the user may see, or 404: another party's plan answers like a missing one. */
function visibleRow(user: Principal, snap: PositionsCase, rows: PositionRow[], id: string): PositionRow {
	const row = rows.find((r) => r.id === id);
	const m = row && snap.members.find((x) => x.id === row.memberId);
	if (!row || !m || !canSeePosition(user, snap.case.bodyId, toPosition(row), m))
		throw notFound('Ställningstagandet hittades inte.');
	return row;
}

export interface RecordInput {
	memberId: string;
	stage: PositionStage;
	spec: PositionSpec;
}

/**
 * What a new position takes the place of: the same kind on the same target at the same stage; any
 * other stance on that target (bifall replaced by avslag); and, once it is recorded at the meeting,
 * the member's plans for that target and kind, which the meeting has now settled.
 */
function superseded(rows: readonly PositionRow[], p: NewPosition): PositionRow[] {
	const key = targetKey(p.target);
	const sameFamily = (r: PositionRow) => r.kind === p.kind || (isStanceKind(r.kind) && isStanceKind(p.kind));
	return rows.filter(
		(r) =>
			r.memberId === p.memberId &&
			r.targetKey === key &&
			sameFamily(r) &&
			(r.stage === p.stage || (p.stage === 'recorded' && r.stage === 'planned'))
	);
}

async function storeNew(
	tx: Tx,
	snap: PositionsCase,
	user: Principal,
	member: Member,
	p: NewPosition,
	audit: { recordedBy: string; onBehalfOf: string | null },
	replaced: PositionRow[],
	ip: string | null | undefined,
	action: string
): Promise<PositionRow> {
	if (replaced.length)
		await tx.delete(positions).where(
			inArray(
				positions.id,
				replaced.map((r) => r.id)
			)
		);
	const [row] = await tx
		.insert(positions)
		.values({
			id: newId(),
			caseId: snap.case.id,
			memberId: member.id,
			partyId: member.partyId,
			kind: p.kind,
			...targetColumns(p),
			details: detailsOf(p),
			stage: p.stage,
			recordedBy: audit.recordedBy,
			onBehalfOf: audit.onBehalfOf
		})
		.returning();
	await recordAudit(tx, {
		actorId: user.id,
		action,
		onBehalfOfId: audit.onBehalfOf,
		bodyId: snap.case.bodyId,
		partyId: member.partyId,
		subjectType: 'position',
		subjectId: row.id,
		details: {
			caseId: snap.case.id,
			memberId: member.id,
			kind: p.kind,
			stage: p.stage,
			target: p.target,
			...detailsOf(p),
			...(replaced.length ? { replaced: replaced.map((r) => ({ id: r.id, kind: r.kind, stage: r.stage })) } : {})
		},
		ip
	});
	return row;
}

/** Records a position for a member, by the member, a secretary of the member's party, or the clerk. */
export async function recordPosition(
	deps: PositionDeps,
	user: Principal,
	caseId: string,
	input: RecordInput,
	ip?: string | null
): Promise<PositionRow> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const member = memberOf(snap, input.memberId);
	const p = { ...input.spec, memberId: member.id, stage: input.stage } as NewPosition;
	const { row, replaced } = await deps.db.transaction(async (tx) => {
		const meeting = await lockMeeting(tx, caseId);
		const rows = await loadPositionRows(tx, caseId);
		const verdict = checkRecordPosition(context(snap, user, member, rows.map(toPosition), meeting.record), p);
		if (!verdict.ok) throw refusalError(verdict);
		const replaced = superseded(rows, p);
		return {
			row: await storeNew(tx, snap, user, member, p, verdict, replaced, ip, 'position.record'),
			replaced
		};
	});
	announce(deps, snap, [row, ...replaced]);
	return row;
}

/** Announces a planned position at the meeting: the same position, now recorded, in place of the plan. */
export async function announcePlanned(
	deps: PositionDeps,
	user: Principal,
	caseId: string,
	positionId: string,
	ip?: string | null
): Promise<PositionRow> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const { row, replaced } = await deps.db.transaction(async (tx) => {
		const meeting = await lockMeeting(tx, caseId);
		const rows = await loadPositionRows(tx, caseId);
		const planned = visibleRow(user, snap, rows, positionId);
		if (planned.stage !== 'planned')
			throw new AppError(409, 'already_recorded', 'Ställningstagandet är redan antecknat vid sammanträdet.');
		const member = memberOf(snap, planned.memberId);
		const p: NewPosition = { ...toPosition(planned), stage: 'recorded' };
		const others = rows.filter((r) => r.id !== planned.id);
		const verdict = checkRecordPosition(context(snap, user, member, others.map(toPosition), meeting.record), p);
		if (!verdict.ok) throw refusalError(verdict);
		const replaced = superseded(rows, p);
		return {
			row: await storeNew(tx, snap, user, member, p, verdict, replaced, ip, 'position.announce'),
			replaced
		};
	});
	announce(deps, snap, [row, ...replaced]);
	return row;
}

/** Takes a position back; the audit log keeps what it was. */
export async function withdrawPosition(
	deps: PositionDeps,
	user: Principal,
	caseId: string,
	positionId: string,
	ip?: string | null
): Promise<void> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const row = await deps.db.transaction(async (tx) => {
		const meeting = await lockMeeting(tx, caseId);
		const rows = await loadPositionRows(tx, caseId);
		const row = visibleRow(user, snap, rows, positionId);
		const member = memberOf(snap, row.memberId);
		const verdict = checkWithdrawPosition(
			context(snap, user, member, rows.map(toPosition), meeting.record),
			toPosition(row)
		);
		if (!verdict.ok) throw refusalError(verdict);
		await tx.delete(positions).where(eq(positions.id, row.id));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'position.withdraw',
			onBehalfOfId: verdict.onBehalfOf,
			bodyId: snap.case.bodyId,
			partyId: row.partyId,
			subjectType: 'position',
			subjectId: row.id,
			details: {
				caseId,
				memberId: row.memberId,
				kind: row.kind,
				stage: row.stage,
				target: toPosition(row).target,
				...row.details
			},
			ip
		});
		return row;
	});
	announce(deps, snap, [row]);
}

/** The written motivation of a reservation, which may follow the meeting until the justering day. */
export async function writeMotivation(
	deps: PositionDeps,
	user: Principal,
	caseId: string,
	positionId: string,
	motivation: string,
	ip?: string | null
): Promise<PositionRow> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const updated = await deps.db.transaction(async (tx) => {
		const meeting = await lockMeeting(tx, caseId);
		const rows = await loadPositionRows(tx, caseId);
		const row = visibleRow(user, snap, rows, positionId);
		const member = memberOf(snap, row.memberId);
		const verdict = checkReservationMotivation(
			context(snap, user, member, rows.map(toPosition), meeting.record),
			toPosition(row)
		);
		if (!verdict.ok) throw refusalError(verdict);
		const text = motivation.trim() || null;
		const [updated] = await tx
			.update(positions)
			.set({
				details: { ...row.details, motivation: text },
				updatedAt: new Date(),
				// a changed plan is the party's again until it publishes it anew
				...(row.stage === 'planned' ? { publishedAt: null, publishedBy: null } : {})
			})
			.where(eq(positions.id, row.id))
			.returning();
		await recordAudit(tx, {
			actorId: user.id,
			action: 'position.motivation',
			onBehalfOfId: verdict.onBehalfOf,
			bodyId: snap.case.bodyId,
			partyId: row.partyId,
			subjectType: 'position',
			subjectId: row.id,
			details: { caseId, memberId: row.memberId, motivation: text },
			ip
		});
		return { before: row, after: updated };
	});
	announce(deps, snap, [updated.before, updated.after]);
	return updated.after;
}

/**
 * Publishes a party's planned positions to the whole body: all its unpublished plans in the case, or
 * the listed ones. Returns how many were published.
 */
export async function publishPlanned(
	deps: PositionDeps,
	user: Principal,
	caseId: string,
	input: { partyId: string; positionIds?: string[] },
	ip?: string | null
): Promise<PositionRow[]> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const verdict = checkPublishPlanned(snap.case.bodyId, user, input.partyId);
	if (!verdict.ok) throw refusalError(verdict);
	const published = await deps.db.transaction(async (tx) => {
		await lockMeeting(tx, caseId);
		const conditions = [
			eq(positions.caseId, caseId),
			eq(positions.partyId, input.partyId),
			eq(positions.stage, 'planned'),
			isNull(positions.publishedAt)
		];
		if (input.positionIds) {
			const rows = await loadPositionRows(tx, caseId);
			const own = rows.filter((r) => r.partyId === input.partyId).map((r) => r.id);
			const missing = input.positionIds.find((id) => !own.includes(id));
			if (missing) throw notFound('Ställningstagandet hittades inte bland partiets planerade ställningstaganden.');
			conditions.push(inArray(positions.id, input.positionIds));
		}
		const now = new Date();
		const rows = await tx
			.update(positions)
			.set({ publishedAt: now, publishedBy: user.id, updatedAt: now })
			.where(and(...conditions))
			.returning();
		if (rows.length)
			await recordAudit(tx, {
				actorId: user.id,
				action: 'position.publish',
				bodyId: snap.case.bodyId,
				partyId: input.partyId,
				subjectType: 'case',
				subjectId: caseId,
				details: { positionIds: rows.map((r) => r.id) },
				ip
			});
		return rows;
	});
	announce(deps, snap, published);
	return published;
}
