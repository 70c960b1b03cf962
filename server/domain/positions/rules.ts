import { can, type Principal } from '../../policies';
import {
	allowedTargets,
	isFrozenByPropositionsordning,
	isMotionKind,
	positionKindLabels,
	targetTypeDescriptions,
	type Member,
	type NewPosition,
	type Position,
	type PositionKind,
	type PositionStage,
	type PositionTarget
} from './kinds';
import {
	decisiveQuestion,
	isJavig,
	isNotParticipating,
	participationIn,
	type MeetingRecord,
	type ProposalDraft
} from './meeting';
import { joinSv } from './text';
import { allowed, refuse, type Verdict } from './verdict';

/**
 * The rules on who may record which position when, as pure functions. Each answers ok (with what the
 * audit log must say) or a refusal with a Swedish message that names the member, since a secretary
 * often records on someone else's behalf.
 */

/** What the local reglemente decides; it differs between municipalities and boards. */
export interface Reglemente {
	/** may an ersättare who does not serve have a protokollsanteckning entered */
	ersattareMayEnterProtokollsanteckning: boolean;
	/** may an ersättare who does not serve stand behind a yttrande or särskilt yttrande */
	ersattareMayEnterYttrande: boolean;
}

/**
 * Göteborg's kommunstyrelsen. The fixture shows C and KD, with ersättare only in the demo board, entering
 * yttranden; nothing in it shows ersättare entering protokollsanteckningar, so that stays closed.
 */
export const goteborgKsReglemente: Reglemente = {
	ersattareMayEnterProtokollsanteckning: false,
	ersattareMayEnterYttrande: true
};

/** Everything the rules look at, gathered by the caller for one case. */
export interface PositionContext {
	bodyId: string;
	actor: Principal;
	member: Member;
	/** the positions already entered in the case, for every member */
	positions: readonly Position[];
	record: MeetingRecord;
	/** ids of the baseline's decision points */
	baselinePointIds: readonly string[];
	/** the case's drafts that positions may refer to, in submission order */
	drafts: readonly ProposalDraft[];
	reglemente: Reglemente;
	now: Date;
}

/** What the audit log must hold for an allowed change: who, when, and on whose behalf. */
export interface PositionAudit {
	recordedBy: string;
	/** the member, when someone else recorded it; null when members record their own */
	onBehalfOf: string | null;
	at: string;
}

/** Kinds the clerk enters in the record as they are announced at the meeting. */
const clerkKinds: readonly PositionKind[] = ['jav', 'deltar_inte', 'reservation', 'protokollsanteckning'];

/** Self, a secretary of the member's party on the member's behalf, or the clerk for what is announced aloud. */
export function whoMayRecord(
	bodyId: string,
	actor: Principal,
	member: Member,
	kind: PositionKind,
	stage: PositionStage
): Verdict<{ recordedBy: string; onBehalfOf: string | null }> {
	const workspace = { type: 'workspace', bodyId, partyId: member.partyId } as const;
	if (actor.id === member.id && can(actor, 'read', workspace))
		return { ok: true, recordedBy: actor.id, onBehalfOf: null };
	if (can(actor, 'edit', workspace)) return { ok: true, recordedBy: actor.id, onBehalfOf: member.id };
	if (can(actor, 'manage', { type: 'case', bodyId })) {
		if (stage === 'recorded' && clerkKinds.includes(kind))
			return { ok: true, recordedBy: actor.id, onBehalfOf: member.id };
		return refuse(
			'clerk_kind_not_allowed',
			'Nämndsekreteraren kan bara anteckna jäv, deltar inte i beslutet, reservationer och protokollsanteckningar som anmäls vid sammanträdet.'
		);
	}
	return refuse(
		'not_allowed_to_record',
		'Du kan bara registrera ställningstaganden för dig själv eller, som partisekreterare, för ledamöter och ersättare i ditt eget parti.'
	);
}

/** Only a party's secretary makes its planned positions visible to the other parties. */
export function checkPublishPlanned(bodyId: string, actor: Principal, partyId: string): Verdict {
	if (can(actor, 'submit', { type: 'workspace', bodyId, partyId })) return allowed;
	return refuse(
		'not_allowed_to_publish',
		'Bara partiets sekreterare kan publicera partiets planerade ställningstaganden.'
	);
}

/** Planned positions wait for the meeting; recorded ones need it open; nothing changes after it closed. */
export function checkMeetingPhase(record: MeetingRecord, kind: PositionKind, stage: PositionStage): Verdict {
	if (record.closedAt) {
		if (kind === 'reservation' && stage === 'recorded')
			return refuse(
				'meeting_closed',
				'Sammanträdet är avslutat; en reservation ska anmälas innan sammanträdet avslutas.'
			);
		return refuse('meeting_closed', 'Sammanträdet är avslutat; inga ställningstaganden kan längre ändras.');
	}
	if (stage === 'recorded' && !record.openedAt)
		return refuse('meeting_not_open', 'Sammanträdet har inte börjat; ställningstaganden kan bara planeras i förväg.');
	return allowed;
}

/** Once the clerk locked the propositionsordning, the motions and who takes part stay as they are. */
export function checkNotFrozen(record: MeetingRecord, kind: PositionKind): Verdict {
	if (record.propositionsordning.lockedAt && isFrozenByPropositionsordning(kind))
		return refuse(
			'positions_frozen',
			'Propositionsordningen är fastställd; ställningstaganden till förslagen kan inte längre ändras.'
		);
	return allowed;
}

const yrkandeKinds = ['yrkande', 'andringsyrkande', 'tillaggsyrkande'];

/** A target draft: submitted, or at the planning stage one of the member's own party's drafts. */
function checkYrkandeDraft(draft: ProposalDraft | undefined, member: Member, stage: PositionStage): Verdict {
	if (!draft || !yrkandeKinds.includes(draft.kind)) return refuse('unknown_target', 'Yrkandet finns inte i ärendet.');
	if (draft.status === 'withdrawn')
		return refuse('withdrawn', 'Yrkandet är återtaget och kan inte längre bli föremål för ställningstaganden.');
	const ownPlan = stage === 'planned' && draft.partyIds.includes(member.partyId);
	if (draft.status !== 'submitted' && !ownPlan)
		return refuse('not_submitted', 'Ställningstaganden kan bara avse inlämnade yrkanden.');
	return allowed;
}

/** The target fits the kind and exists; linked amendments and statements exist and fit. */
export function checkTarget(
	position: NewPosition,
	member: Member,
	baselinePointIds: readonly string[],
	drafts: readonly ProposalDraft[]
): Verdict {
	const { target, stage } = position;
	const label = positionKindLabels[position.kind];
	const kinds = allowedTargets[position.kind];
	if (!kinds.includes(target.type))
		return refuse(
			'invalid_target',
			`${label} kan bara avse ${joinSv(
				kinds.map((k) => targetTypeDescriptions[k]),
				'eller'
			)}.`
		);
	if (target.type === 'baseline_point' && !baselinePointIds.includes(target.itemId))
		return refuse('unknown_target', 'Beslutspunkten finns inte i ärendet.');
	if (target.type === 'yrkande' || target.type === 'yrkande_point') {
		const draft = drafts.find((d) => d.id === target.draftId);
		const v = checkYrkandeDraft(draft, member, stage);
		if (!v.ok) return v;
		if (target.type === 'yrkande_point' && !draft!.pointIds.includes(target.pointId))
			return refuse('unknown_target', 'Punkten finns inte i yrkandet.');
		if (position.kind === 'tillagg' && draft!.kind !== 'tillaggsyrkande')
			return refuse('invalid_target', 'Tillägg avser ett tilläggsyrkande; andra yrkanden får bifall.');
	}
	if (position.kind === 'andring') {
		const draft = drafts.find((d) => d.id === position.amendment.draftId);
		const v = checkYrkandeDraft(draft, member, stage);
		if (!v.ok) return v;
		const amendment = draft!.amendments.find((a) => a.id === position.amendment.amendmentId);
		if (!amendment) return refuse('unknown_target', 'Ändringen finns inte i yrkandet.');
		if (target.type === 'baseline_point' && amendment.baselineItemId !== target.itemId)
			return refuse('invalid_target', 'Ändringen gäller en annan beslutspunkt än den valda.');
	}
	if (position.kind === 'yttrande' || position.kind === 'sarskilt_yttrande') {
		const draft = drafts.find((d) => d.id === position.draftId);
		if (!draft || (draft.kind !== 'yttrande' && draft.kind !== 'sarskilt_yttrande'))
			return refuse('unknown_target', 'Yttrandet finns inte i ärendet.');
		if (draft.kind !== position.kind)
			return refuse(
				'invalid_target',
				position.kind === 'yttrande'
					? 'Dokumentet är ett särskilt yttrande, inte ett yttrande.'
					: 'Dokumentet är ett yttrande, inte ett särskilt yttrande.'
			);
		if (!draft.partyIds.includes(member.partyId))
			return refuse('not_own_statement', `${member.name} kan bara ställa sig bakom yttranden från sitt eget parti.`);
		if (draft.status === 'withdrawn') return refuse('withdrawn', 'Yttrandet är återtaget.');
		if (stage === 'recorded' && draft.status !== 'submitted')
			return refuse('not_submitted', 'Yttrandet måste lämnas in innan det kan anmälas till protokollet.');
	}
	return allowed;
}

/** The parts a kind cannot do without. */
export function checkDetail(position: NewPosition): Verdict {
	if (position.kind === 'aterremiss') {
		if (!position.reason.trim()) return refuse('missing_detail', 'Ange skälet till återremissen.');
		if (!position.referTo.trim()) return refuse('missing_detail', 'Ange till vem ärendet ska återremitteras.');
	}
	if (position.kind === 'protokollsanteckning' && !position.text.trim())
		return refuse('missing_detail', 'Skriv protokollsanteckningens text.');
	return allowed;
}

/** At the meeting only what was recorded there counts; a plan may be weighed against other plans. */
function positionsOf(ctx: PositionContext, stage: PositionStage): Position[] {
	return ctx.positions.filter((p) => p.memberId === ctx.member.id && (stage === 'planned' || p.stage === 'recorded'));
}

/** Whether the member serves on the item; unknown (true) until the meeting has begun. */
function serves(ctx: PositionContext): boolean {
	return !ctx.record.openedAt || ctx.record.serving.includes(ctx.member.id);
}

/** Motions are made only by those who take part: not jävig, not out of the decision, and serving. */
export function checkMotionEligibility(ctx: PositionContext, target: PositionTarget, stage: PositionStage): Verdict {
	const { member } = ctx;
	const own = positionsOf(ctx, stage);
	if (isJavig(member.id, own))
		return refuse('jav', `${member.name} är jävig i ärendet och kan inte delta i handläggningen.`);
	if (isNotParticipating(member.id, target, own))
		return refuse('not_participating', `${member.name} deltar inte i beslutet och kan därför inte yrka.`);
	if (stage === 'recorded' && !serves(ctx))
		return refuse(
			'not_serving',
			member.seat === 'ersattare'
				? `${member.name} är ersättare men tjänstgör inte i ärendet; bara ledamöter och tjänstgörande ersättare kan yrka.`
				: `${member.name} tjänstgör inte i ärendet och kan därför inte yrka.`
		);
	return allowed;
}

/**
 * A reservation is personal and needs part in the decision (KL 4:27): never by one who is jävig, out of
 * the decision or not serving; and judged by the final round, so abstaining in a counter-proposition
 * vote does not bar it but abstaining in the huvudvotering does. A plan made before the decision is
 * only held against what is known by then.
 */
export function checkReservationEligibility(
	ctx: PositionContext,
	target: PositionTarget,
	stage: PositionStage
): Verdict {
	const { member, record } = ctx;
	const own = positionsOf(ctx, stage);
	if (isJavig(member.id, own))
		return refuse('jav', `${member.name} är jävig i ärendet och kan därför inte reservera sig.`);
	if (isNotParticipating(member.id, target, own))
		return refuse('not_participating', `${member.name} deltar inte i beslutet och kan därför inte reservera sig.`);
	if (!serves(ctx))
		return refuse(
			'not_serving',
			member.seat === 'ersattare'
				? `${member.name} är ersättare men tjänstgör inte i ärendet och kan därför inte reservera sig.`
				: `${member.name} tjänstgör inte i ärendet och kan därför inte reservera sig.`
		);
	const question = decisiveQuestion(record, target);
	const part = question ? participationIn(record, question, member.id) : 'undecided';
	switch (part) {
		case 'undecided':
			return stage === 'planned'
				? allowed
				: refuse('decision_not_taken', 'Beslutet är inte fattat ännu; en reservation anmäls när beslutet har fattats.');
		case 'abstained_final':
			return refuse(
				'abstained_final',
				`${member.name} avstod från att rösta i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.`
			);
		case 'absent_final':
			return refuse(
				'absent_final',
				`${member.name} röstade inte i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.`
			);
		case 'took_part':
			return allowed;
	}
}

const statementNouns: Partial<Record<PositionKind, string>> = {
	protokollsanteckning: 'en protokollsanteckning',
	yttrande: 'ett yttrande',
	sarskilt_yttrande: 'ett särskilt yttrande'
};

/** Statements need the member at the meeting's table; ersättare who do not serve as the reglemente says. */
export function checkStatementEligibility(ctx: PositionContext, kind: PositionKind, stage: PositionStage): Verdict {
	const { member, reglemente } = ctx;
	if (isJavig(member.id, positionsOf(ctx, stage)))
		return refuse('jav', `${member.name} är jävig i ärendet och kan inte delta i handläggningen.`);
	if (stage === 'planned' || serves(ctx)) return allowed;
	if (member.seat === 'ledamot')
		return refuse(
			'not_serving',
			`${member.name} tjänstgör inte i ärendet och kan därför inte lämna ${statementNouns[kind]}.`
		);
	if (kind === 'protokollsanteckning' && !reglemente.ersattareMayEnterProtokollsanteckning)
		return refuse(
			'reglemente',
			'Enligt reglementet kan ersättare som inte tjänstgör inte lämna protokollsanteckningar.'
		);
	if (kind !== 'protokollsanteckning' && !reglemente.ersattareMayEnterYttrande)
		return refuse('reglemente', 'Enligt reglementet kan ersättare som inte tjänstgör inte lämna yttranden.');
	return allowed;
}

/** Only one who serves can announce staying out of a decision; an absent or non-serving member already is. */
export function checkParticipationChange(ctx: PositionContext, kind: PositionKind, stage: PositionStage): Verdict {
	if (kind === 'deltar_inte' && stage === 'recorded' && !serves(ctx))
		return refuse(
			'not_serving',
			`${ctx.member.name} tjänstgör inte i ärendet; bara den som tjänstgör kan anmäla att den inte deltar i beslutet.`
		);
	return allowed;
}

function audited(ctx: PositionContext, who: { recordedBy: string; onBehalfOf: string | null }): Verdict<PositionAudit> {
	return { ok: true, ...who, at: ctx.now.toISOString() };
}

/** Every rule for entering a new position, in the order a person would want to hear about them. */
export function checkRecordPosition(ctx: PositionContext, position: NewPosition): Verdict<PositionAudit> {
	if (position.memberId !== ctx.member.id)
		return refuse('not_allowed_to_record', 'Ställningstagandet gäller en annan ledamot än den angivna.');
	const who = whoMayRecord(ctx.bodyId, ctx.actor, ctx.member, position.kind, position.stage);
	if (!who.ok) return who;
	for (const check of [
		() => checkMeetingPhase(ctx.record, position.kind, position.stage),
		() => checkNotFrozen(ctx.record, position.kind),
		() => checkTarget(position, ctx.member, ctx.baselinePointIds, ctx.drafts),
		() => checkDetail(position),
		() => kindEligibility(ctx, position)
	]) {
		const v = check();
		if (!v.ok) return v;
	}
	return audited(ctx, who);
}

function kindEligibility(ctx: PositionContext, position: NewPosition): Verdict {
	if (isMotionKind(position.kind)) return checkMotionEligibility(ctx, position.target, position.stage);
	if (position.kind === 'reservation') return checkReservationEligibility(ctx, position.target, position.stage);
	if (position.kind === 'deltar_inte' || position.kind === 'jav')
		return checkParticipationChange(ctx, position.kind, position.stage);
	return checkStatementEligibility(ctx, position.kind, position.stage);
}

/** Taking a position back: the same person, the same phase, the same freeze. */
export function checkWithdrawPosition(ctx: PositionContext, position: Position): Verdict<PositionAudit> {
	if (position.memberId !== ctx.member.id)
		return refuse('not_allowed_to_record', 'Ställningstagandet gäller en annan ledamot än den angivna.');
	const who = whoMayRecord(ctx.bodyId, ctx.actor, ctx.member, position.kind, position.stage);
	if (!who.ok) return who;
	const phase = checkMeetingPhase(ctx.record, position.kind, position.stage);
	if (!phase.ok) return phase;
	const frozen = checkNotFrozen(ctx.record, position.kind);
	if (!frozen.ok) return frozen;
	return audited(ctx, who);
}

/** The day in Göteborg, whatever the server's zone: the deadline is a Swedish calendar day. */
export function swedishDate(at: Date): string {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/Stockholm',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).formatToParts(at);
	const get = (t: string) => parts.find((p) => p.type === t)!.value;
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The written motivation of a reservation may follow the meeting, up to and including the justering day. */
export function checkReservationMotivation(ctx: PositionContext, reservation: Position): Verdict<PositionAudit> {
	if (reservation.kind !== 'reservation')
		return refuse('invalid_target', 'Bara en reservation kan få en skriftlig motivering.');
	if (reservation.memberId !== ctx.member.id)
		return refuse('not_allowed_to_record', 'Ställningstagandet gäller en annan ledamot än den angivna.');
	const who = whoMayRecord(ctx.bodyId, ctx.actor, ctx.member, 'reservation', reservation.stage);
	if (!who.ok) return who;
	const due = ctx.record.justeringDate;
	if (due && swedishDate(ctx.now) > due)
		return refuse('motivation_late', `Den skriftliga motiveringen skulle ha lämnats senast på justeringsdagen ${due}.`);
	return audited(ctx, who);
}
