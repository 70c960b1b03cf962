import { targetKey, type Member, type PointTarget, type Position, type PositionKind } from './kinds';
import type { ProposalDraft } from './meeting';
import { derivePartyStance, type PartyStance } from './party';
import { joinSv } from './text';

/**
 * The decision matrix: one row per addressable point (the baseline's decision points, then each
 * submitted yrkande's points), one column per party, each cell the party's derived stance in words and
 * a colour key. Plain data: the server builds it from the positions a viewer may see, the web draws it.
 */

export const cellTones = [
	/** for the point: bifall, ändring, tillägg */
	'for',
	/** against the point: avslag */
	'against',
	/** takes no part: deltar inte i beslutet, jäv */
	'out',
	/** wants it decided later: återremiss, bordläggning */
	'procedural',
	/** only a statement in the protocol: reservation, protokollsanteckning, yttrande */
	'statement',
	/** the party's members disagree */
	'split',
	/** nobody in the party has taken a position */
	'none'
] as const;
export type CellTone = (typeof cellTones)[number];

const tonePriority: readonly [PositionKind, CellTone][] = [
	['jav', 'out'],
	['deltar_inte', 'out'],
	['avslag', 'against'],
	['bifall', 'for'],
	['andring', 'for'],
	['tillagg', 'for'],
	['aterremiss', 'procedural'],
	['bordlaggning', 'procedural'],
	['reservation', 'statement'],
	['protokollsanteckning', 'statement'],
	['yttrande', 'statement'],
	['sarskilt_yttrande', 'statement']
];

export function cellTone(stance: PartyStance): CellTone {
	if (stance.split) return 'split';
	for (const [kind, tone] of tonePriority) if (stance.kinds.includes(kind)) return tone;
	return 'none';
}

export interface MatrixCell extends PartyStance {
	tone: CellTone;
}

export interface MatrixRowSpec {
	target: PointTarget;
	/** the proposal the point belongs to: "Stadsledningskontorets förslag", "Yrkande från SD" */
	group: string;
	/** the point's number as shown: "1" */
	label: string;
}

export interface MatrixRow extends MatrixRowSpec {
	key: string;
	cells: Record<string, MatrixCell>;
}

export interface DecisionMatrix {
	/** the columns, in the body's order */
	parties: string[];
	rows: MatrixRow[];
}

/** The rows of a case: the baseline's points, then each submitted yrkande's; drafts and withdrawn ones never. */
export function matrixRows(
	baselineName: string,
	baselinePoints: readonly { id: string; label: string }[],
	yrkanden: readonly { draft: ProposalDraft; points: readonly { id: string; label: string }[] }[]
): MatrixRowSpec[] {
	const nouns: Partial<Record<ProposalDraft['kind'], string>> = {
		yrkande: 'Yrkande',
		andringsyrkande: 'Ändringsyrkande',
		tillaggsyrkande: 'Tilläggsyrkande'
	};
	const rows: MatrixRowSpec[] = baselinePoints.map((p) => ({
		target: { type: 'baseline_point', itemId: p.id },
		group: baselineName,
		label: p.label
	}));
	for (const { draft, points } of yrkanden) {
		const noun = nouns[draft.kind];
		if (!noun || draft.status !== 'submitted') continue;
		const group = `${noun} från ${joinSv(draft.partyIds)}`;
		for (const p of points)
			rows.push({ target: { type: 'yrkande_point', draftId: draft.id, pointId: p.id }, group, label: p.label });
	}
	return rows;
}

/**
 * @param members every ledamot and ersättare of the body
 * @param positions only the positions the viewer may see (see visibility.ts)
 * @param counted the members each party answers for (at the meeting: those serving); default its ledamöter
 */
export function buildDecisionMatrix(
	rows: readonly MatrixRowSpec[],
	parties: readonly string[],
	members: readonly Member[],
	positions: readonly Position[],
	counted?: readonly string[]
): DecisionMatrix {
	return {
		parties: [...parties],
		rows: rows.map((row) => ({
			...row,
			key: targetKey(row.target),
			cells: Object.fromEntries(
				parties.map((partyId) => {
					const stance = derivePartyStance(partyId, members, row.target, positions, counted);
					return [partyId, { ...stance, tone: cellTone(stance) }];
				})
			)
		}))
	};
}

export interface MatrixFilter {
	/** show only these columns */
	parties?: readonly string[];
	/** keep rows where a shown party holds one of these kinds (wholly or in a split) */
	kinds?: readonly PositionKind[];
	/** keep rows where a shown party is split */
	splitOnly?: boolean;
	/** keep rows of these proposals (MatrixRowSpec.group) */
	groups?: readonly string[];
}

export function filterDecisionMatrix(matrix: DecisionMatrix, filter: MatrixFilter): DecisionMatrix {
	const parties = filter.parties ? matrix.parties.filter((p) => filter.parties!.includes(p)) : matrix.parties;
	const rows = matrix.rows
		.filter((row) => !filter.groups || filter.groups.includes(row.group))
		.map((row) => ({ ...row, cells: Object.fromEntries(parties.map((p) => [p, row.cells[p]])) }))
		.filter((row) => {
			const cells = parties.map((p) => row.cells[p]);
			if (filter.splitOnly && !cells.some((c) => c.split)) return false;
			if (filter.kinds && !cells.some((c) => c.groups.some((g) => g.kinds.some((k) => filter.kinds!.includes(k)))))
				return false;
			return true;
		});
	return { parties, rows };
}
