import {
	allowedTargets,
	buildDecisionMatrix,
	checkPublishPlanned,
	derivePartyStance,
	filterDecisionMatrix,
	joinSv,
	matrixRows,
	partyPositionLines,
	positionKindLabels,
	positionKinds,
	targetCovers,
	whoMayRecord,
	type MatrixFilter,
	type MeetingRecord,
	type Member,
	type Position,
	type PositionKind,
	type PositionStage,
	type PositionTarget
} from '../domain/positions';
import type { Principal } from '../policies';
import { partiesOf } from '../policies';
import { toPosition, type CaseDraft, type PositionRow, type PositionsCase } from '../commands/positions-context';

/**
 * What leaves the server about positions: each position with its target and details in words, the
 * decision matrix, and what the viewer may do. Only positions the viewer may see ever reach here.
 */

export const stageLabels: Record<PositionStage, string> = {
	planned: 'Planerat',
	recorded: 'Antecknat vid sammanträdet'
};

const draftNouns: Partial<Record<CaseDraft['kind'], string>> = {
	yrkande: 'yrkandet',
	andringsyrkande: 'ändringsyrkandet',
	tillaggsyrkande: 'tilläggsyrkandet',
	yttrande: 'yttrandet',
	sarskilt_yttrande: 'det särskilda yttrandet'
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "yrkandet från SD", "yttrandet från M, D, L och KD". */
export function draftPhrase(d: Pick<CaseDraft, 'kind' | 'partyIds'>): string {
	return `${draftNouns[d.kind] ?? 'dokumentet'} från ${joinSv(d.partyIds)}`;
}

/** The target in words: "Hela ärendet", "Punkt 2 i stadsledningskontorets förslag", "Punkt 4 i yrkandet från SD". */
export function targetLabel(snap: PositionsCase, t: PositionTarget): string {
	switch (t.type) {
		case 'case':
			return 'Hela ärendet';
		case 'baseline':
			return snap.baseline.title;
		case 'baseline_point': {
			const p = snap.baseline.points.find((x) => x.id === t.itemId);
			return `Punkt ${p?.label ?? '?'} i ${snap.baseline.phrase}`;
		}
		case 'yrkande': {
			const d = snap.drafts.find((x) => x.id === t.draftId);
			return d ? capitalize(draftPhrase(d)) : 'Ett yrkande';
		}
		case 'yrkande_point': {
			const d = snap.drafts.find((x) => x.id === t.draftId);
			const p = d?.points.find((x) => x.id === t.pointId);
			return d ? `Punkt ${p?.label ?? '?'} i ${draftPhrase(d)}` : 'En punkt i ett yrkande';
		}
	}
}

/** The kind's own part in words, e.g. "till stadsledningskontoret: underlaget saknar konsekvensanalys". */
function detailText(snap: PositionsCase, p: Position): string | null {
	switch (p.kind) {
		case 'andring': {
			const d = snap.drafts.find((x) => x.id === p.amendment.draftId);
			const a = d?.amendmentTexts.find((x) => x.id === p.amendment.amendmentId);
			return d ? `Ändringen i ${draftPhrase(d)}${a?.text ? `: ”${a.text}”` : ''}` : null;
		}
		case 'aterremiss':
			return `Till ${p.referTo}: ${p.reason}`;
		case 'reservation':
			return p.motivation ? `Motivering: ${p.motivation}` : null;
		case 'protokollsanteckning':
			return p.text;
		case 'yttrande':
		case 'sarskilt_yttrande': {
			const d = snap.drafts.find((x) => x.id === p.draftId);
			return d ? `${d.title} (${joinSv(d.partyIds)})` : null;
		}
		default:
			return null;
	}
}

export function presentPosition(
	snap: PositionsCase,
	row: PositionRow,
	names: ReadonlyMap<string, string>,
	viewer: Principal
) {
	const p = toPosition(row);
	const member = snap.members.find((m) => m.id === row.memberId);
	const mayChange = member ? whoMayRecord(snap.case.bodyId, viewer, member, row.kind, row.stage).ok : false;
	return {
		id: row.id,
		memberId: row.memberId,
		memberName: member?.name ?? names.get(row.memberId) ?? '',
		partyId: row.partyId,
		seat: member?.seat ?? null,
		kind: row.kind,
		kindLabel: positionKindLabels[row.kind],
		target: p.target,
		targetLabel: targetLabel(snap, p.target),
		details: row.details,
		detailText: detailText(snap, p),
		stage: row.stage,
		stageLabel: stageLabels[row.stage],
		publishedAt: row.publishedAt?.toISOString() ?? null,
		recordedBy: row.recordedBy ? (names.get(row.recordedBy) ?? null) : null,
		onBehalf: row.onBehalfOf !== null,
		updatedAt: row.updatedAt.toISOString(),
		viewer: {
			canChange: mayChange,
			canPublish:
				row.stage === 'planned' &&
				row.publishedAt === null &&
				checkPublishPlanned(snap.case.bodyId, viewer, row.partyId).ok
		}
	};
}

export type PresentedPosition = ReturnType<typeof presentPosition>;

/** For each member the viewer may speak for: the kinds at each stage. */
export function recordableFor(snap: PositionsCase, viewer: Principal) {
	const out: { memberId: string; planned: PositionKind[]; recorded: PositionKind[] }[] = [];
	for (const m of snap.members) {
		const at = (stage: PositionStage) =>
			positionKinds.filter((k) => whoMayRecord(snap.case.bodyId, viewer, m, k, stage).ok);
		const planned = at('planned');
		const recorded = at('recorded');
		if (planned.length || recorded.length) out.push({ memberId: m.id, planned, recorded });
	}
	return out;
}

/** The targets a position can take, in words, for the form: points, yrkanden, amendments, statements. */
export function presentTargets(snap: PositionsCase) {
	const yrkandeKinds = ['yrkande', 'andringsyrkande', 'tillaggsyrkande'];
	const baselinePoints = new Set(snap.baseline.points.map((p) => p.id));
	return {
		baseline: {
			title: snap.baseline.title,
			points: snap.baseline.points.map((p) => ({
				...p,
				targetLabel: targetLabel(snap, { type: 'baseline_point', itemId: p.id })
			}))
		},
		yrkanden: snap.drafts
			.filter((d) => yrkandeKinds.includes(d.kind) && d.status !== 'withdrawn')
			.map((d) => ({
				id: d.id,
				kind: d.kind,
				status: d.status,
				title: d.title,
				label: capitalize(draftPhrase(d)),
				partyIds: d.partyIds,
				points: d.points.map((p) => ({
					...p,
					targetLabel: targetLabel(snap, { type: 'yrkande_point', draftId: d.id, pointId: p.id })
				})),
				// only amendments of decision points can be an ändring of one (allowedTargets of 'andring')
				amendments: d.amendmentTexts
					.filter((a) => baselinePoints.has(a.baselineItemId))
					.map((a) => ({
						...a,
						pointLabel: targetLabel(snap, { type: 'baseline_point', itemId: a.baselineItemId })
					}))
			})),
		statements: snap.drafts
			.filter((d) => (d.kind === 'yttrande' || d.kind === 'sarskilt_yttrande') && d.status !== 'withdrawn')
			.map((d) => ({ id: d.id, kind: d.kind, status: d.status, title: d.title, partyIds: d.partyIds })),
		allowedTargets
	};
}

export interface MatrixQuery extends MatrixFilter {
	/** 'recorded': only what was announced at the meeting; default everything the viewer may see */
	stage?: 'recorded';
}

/**
 * The decision matrix as the viewer may see it, with the party lines per row and for the whole case,
 * and per cell how many of the positions behind it are still plans.
 */
export function presentMatrix(
	snap: PositionsCase,
	visible: readonly PositionRow[],
	record: MeetingRecord,
	query: MatrixQuery
) {
	const shown = visible.filter((r) => query.stage !== 'recorded' || r.stage === 'recorded');
	const positions = shown.map(toPosition);
	const members: Member[] = snap.members;
	const partyOrder = snap.parties.map((p) => p.id);
	const yrkanden = snap.drafts.map((d) => ({ draft: d, points: d.points }));
	const rows = matrixRows(snap.baseline.title, snap.baseline.points, yrkanden);
	const counted = record.openedAt ? record.serving : undefined;
	const full = buildDecisionMatrix(rows, partyOrder, members, positions, counted);
	const matrix = filterDecisionMatrix(full, query);
	const joint = snap.drafts.filter((d) => d.status === 'submitted').map((d) => d.partyIds);
	const partyOf = new Map(members.map((m) => [m.id, m.partyId]));
	const plannedIn = (partyId: string, target: PositionTarget) =>
		shown.filter(
			(r) => r.stage === 'planned' && partyOf.get(r.memberId) === partyId && targetCovers(toPosition(r).target, target)
		).length;
	const texts = new Map<string, string>([
		...snap.baseline.points.map((p) => [`baseline:${p.id}`, p.text] as const),
		...snap.drafts.flatMap((d) => d.points.map((p) => [`yrkande:${d.id}:${p.id}`, p.text] as const))
	]);
	const caseTarget: PositionTarget = { type: 'case' };
	const caseStances = partyOrder.map((p) => derivePartyStance(p, members, caseTarget, positions, counted));
	return {
		parties: matrix.parties,
		groups: [...new Set(full.rows.map((r) => r.group))],
		rows: matrix.rows.map((row) => ({
			key: row.key,
			target: row.target,
			group: row.group,
			label: row.label,
			text: texts.get(row.key) ?? '',
			lines: partyPositionLines(Object.values(row.cells), partyOrder, joint),
			cells: Object.fromEntries(
				matrix.parties.map((partyId) => {
					const cell = row.cells[partyId];
					return [
						partyId,
						{
							tone: cell.tone,
							label: cell.label,
							split: cell.split,
							kinds: cell.kinds,
							groups: cell.groups.map((g) => ({ kinds: g.kinds, memberIds: g.memberIds })),
							planned: plannedIn(partyId, row.target)
						}
					];
				})
			)
		})),
		caseLines: partyPositionLines(caseStances, partyOrder, joint),
		counted: counted ? 'serving' : 'ledamoter'
	};
}

/** Parties whose planned positions the viewer may publish. */
export function publishableParties(snap: PositionsCase, viewer: Principal): string[] {
	return partiesOf(viewer, snap.case.bodyId).filter((p) => checkPublishPlanned(snap.case.bodyId, viewer, p).ok);
}
