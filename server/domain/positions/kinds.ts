import type { Seat } from '../../../db/schema/organization';

/**
 * What a member can say about a case or one of its points, as Swedish municipal practice records it
 * (Kommunallagen 2017:725 ch. 4–5 and the board's reglemente). Pure data: the web imports it too.
 */
export const positionKinds = [
	/** bifall: the member supports the target (the administration's proposal, a yrkande, or one point) */
	'bifall',
	/** avslag: the member asks the board to reject the target */
	'avslag',
	/** ändring: the member supports an ändringsyrkande's new wording of a baseline point, "i övrigt bifall" */
	'andring',
	/** tillägg: the member supports a tilläggsyrkande; it is put to the board after the main question */
	'tillagg',
	/** återremiss: send the case back for more preparation, with a reason and to whom; decided before the main question */
	'aterremiss',
	/** bordläggning: postpone the case to a later meeting; decided before the main question */
	'bordlaggning',
	/** deltar inte i beslutet: the member announces taking no part in the decision (stays, does not vote) */
	'deltar_inte',
	/** jäv: conflict of interest; the member leaves the item and an ersättare may serve instead */
	'jav',
	/** reservation: personal formal dissent from the decision; a written motivation may follow until justering */
	'reservation',
	/** protokollsanteckning: a short note entered in the protocol, when the chair allows it */
	'protokollsanteckning',
	/** yttrande: the member stands behind the party's written statement, entered in the protocol */
	'yttrande',
	/** särskilt yttrande: a written statement entered in the protocol, often by one who took no part in the decision */
	'sarskilt_yttrande'
] as const;
export type PositionKind = (typeof positionKinds)[number];

/** As a heading or a matrix cell shows it. */
export const positionKindLabels: Record<PositionKind, string> = {
	bifall: 'Bifall',
	avslag: 'Avslag',
	andring: 'Ändring',
	tillagg: 'Tillägg',
	aterremiss: 'Återremiss',
	bordlaggning: 'Bordläggning',
	deltar_inte: 'Deltar inte i beslutet',
	jav: 'Jäv',
	reservation: 'Reservation',
	protokollsanteckning: 'Protokollsanteckning',
	yttrande: 'Yttrande',
	sarskilt_yttrande: 'Särskilt yttrande'
};

/** The label inside a sentence: "M, L, KD: deltar inte i beslutet". */
export function positionKindPhrase(kind: PositionKind): string {
	const label = positionKindLabels[kind];
	return label.charAt(0).toLowerCase() + label.slice(1);
}

/** Motions on the proposals themselves: made only by those who serve, frozen with the propositionsordning. */
export const motionKinds = ['bifall', 'avslag', 'andring', 'tillagg', 'aterremiss', 'bordlaggning'] as const;
/** Who takes part at all; decides who votes, so it is frozen with the propositionsordning as well. */
export const participationKinds = ['deltar_inte', 'jav'] as const;
/** Entered after the decision, so the lock of the propositionsordning does not freeze them. */
export const recordKinds = ['reservation', 'protokollsanteckning', 'yttrande', 'sarskilt_yttrande'] as const;
/** A member's stance on a proposal: on one point only the most specific of them counts. */
export const stanceKinds = ['bifall', 'avslag', 'andring', 'tillagg'] as const;

export function isMotionKind(kind: PositionKind): boolean {
	return (motionKinds as readonly string[]).includes(kind);
}
export function isFrozenByPropositionsordning(kind: PositionKind): boolean {
	return isMotionKind(kind) || (participationKinds as readonly string[]).includes(kind);
}
export function isStanceKind(kind: PositionKind): boolean {
	return (stanceKinds as readonly string[]).includes(kind);
}

/**
 * What a position is about. Points are referred to by id, never by number: numbering is computed at
 * export and changes when points are added.
 */
export type PositionTarget =
	/** the ärende as a whole: procedural motions, jäv, statements */
	| { type: 'case' }
	/** the administration's förslag till beslut as a whole (in Göteborg: stadsledningskontorets förslag) */
	| { type: 'baseline' }
	/** one decision point of the baseline */
	| { type: 'baseline_point'; itemId: string }
	/** a submitted yrkande as a whole (also ändrings- and tilläggsyrkanden) */
	| { type: 'yrkande'; draftId: string }
	/** one decision point of a submitted yrkande */
	| { type: 'yrkande_point'; draftId: string; pointId: string };
export type PositionTargetType = PositionTarget['type'];
/** A row of the decision matrix: one addressable point. */
export type PointTarget = Extract<PositionTarget, { type: 'baseline_point' | 'yrkande_point' }>;

/** A stable string for maps and comparisons. */
export function targetKey(t: PositionTarget): string {
	switch (t.type) {
		case 'case':
		case 'baseline':
			return t.type;
		case 'baseline_point':
			return `baseline:${t.itemId}`;
		case 'yrkande':
			return `yrkande:${t.draftId}`;
		case 'yrkande_point':
			return `yrkande:${t.draftId}:${t.pointId}`;
	}
}

/** How specific a target is: a position on a point outweighs one on its whole proposal. */
export function targetSpecificity(t: PositionTarget): number {
	return t.type === 'case' ? 0 : t.type === 'baseline' || t.type === 'yrkande' ? 1 : 2;
}

/** Whether a position on `general` also speaks to `specific` (the case covers everything). */
export function targetCovers(general: PositionTarget, specific: PositionTarget): boolean {
	if (general.type === 'case') return true;
	if (targetKey(general) === targetKey(specific)) return true;
	if (general.type === 'baseline') return specific.type === 'baseline_point';
	if (general.type === 'yrkande') return specific.type === 'yrkande_point' && specific.draftId === general.draftId;
	return false;
}

/** Which targets each kind may take; everything else is refused. */
export const allowedTargets: Record<PositionKind, readonly PositionTargetType[]> = {
	bifall: ['baseline', 'baseline_point', 'yrkande', 'yrkande_point'],
	avslag: ['baseline', 'baseline_point', 'yrkande', 'yrkande_point'],
	// an amendment in the draft model names the baseline item it rewrites
	andring: ['baseline_point'],
	tillagg: ['yrkande', 'yrkande_point'],
	aterremiss: ['case'],
	bordlaggning: ['case'],
	deltar_inte: ['case', 'baseline_point', 'yrkande_point'],
	jav: ['case'],
	reservation: ['case', 'baseline_point', 'yrkande_point'],
	protokollsanteckning: ['case', 'baseline_point', 'yrkande_point'],
	yttrande: ['case'],
	sarskilt_yttrande: ['case']
};

export const targetTypeDescriptions: Record<PositionTargetType, string> = {
	case: 'hela ärendet',
	baseline: 'förslaget till beslut',
	baseline_point: 'en beslutspunkt',
	yrkande: 'ett yrkande',
	yrkande_point: 'en punkt i ett yrkande'
};

/** The part of a position that depends on its kind. */
export type PositionDetail =
	| { kind: 'bifall' }
	| { kind: 'avslag' }
	| { kind: 'andring'; amendment: { draftId: string; amendmentId: string } }
	| { kind: 'tillagg' }
	| { kind: 'aterremiss'; reason: string; referTo: string }
	| { kind: 'bordlaggning' }
	| { kind: 'deltar_inte' }
	| { kind: 'jav' }
	/** the motivation may be written later, until the justering date */
	| { kind: 'reservation'; motivation?: string | null }
	| { kind: 'protokollsanteckning'; text: string }
	| { kind: 'yttrande'; draftId: string }
	| { kind: 'sarskilt_yttrande'; draftId: string };

export const positionStages = [
	/** planerat: the party's plan before the meeting; internal to the party until published */
	'planned',
	/** antecknat: announced at the meeting and entered in the record; public in the body */
	'recorded'
] as const;
export type PositionStage = (typeof positionStages)[number];

export interface PositionBase {
	id: string;
	/** the member whose position it is (a user id); a secretary records on the member's behalf */
	memberId: string;
	target: PositionTarget;
	stage: PositionStage;
	/** when the party published a planned position to the whole body; recorded ones are public anyway */
	publishedAt?: string | null;
}
export type Position = PositionBase & PositionDetail;
/** What a person chooses: the kind with its details and the target, before member, stage and id. */
export type PositionSpec = PositionDetail & { target: PositionTarget };
/** A position about to be recorded: it has no id yet. */
export type NewPosition = Omit<PositionBase, 'id'> & PositionDetail;

/** A ledamot or ersättare of the body. */
export interface Member {
	/** the user id */
	id: string;
	name: string;
	partyId: string;
	seat: Seat;
}
