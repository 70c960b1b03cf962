import type { Principal } from '../../../server/policies';
import {
	emptyMeetingRecord,
	goteborgKsReglemente,
	type MeetingRecord,
	type Member,
	type NewPosition,
	type Position,
	type PositionContext,
	type PositionSpec,
	type PositionStage,
	type ProposalDraft
} from '../../../server/domain/positions';
import { demoMembers, demoParties } from '../../../server/seed/demo-data';

/**
 * The demo board of the positions tests: Kommunstyrelsen with the seed's 13 ledamöter (S 4, V 2, MP 1,
 * M 2, SD 2, L 1, D 1) and its ersättare (among them KD's and C's only seats), and the drafts of the
 * fixture case: SD's yrkande with four points, C's yttrande, M, D, L and KD's joint yttrande.
 */

export const BODY = 'goteborg-ks';
export const partyOrder = demoParties.map((p) => p.id);

const slug = (name: string) =>
	name
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z]+/g, '-');

export const members: Member[] = demoMembers.map(([partyId, seat, name]) => ({ id: slug(name), name, partyId, seat }));

export function member(name: string): Member {
	const m = members.find((x) => x.name === name);
	if (!m) throw new Error(`no member ${name}`);
	return m;
}

export const ledamoter = members.filter((m) => m.seat === 'ledamot');

export function asPrincipal(m: Member): Principal {
	return {
		id: m.id,
		name: m.name,
		email: `${m.id}@demo.yrka.se`,
		memberships: [{ bodyId: BODY, role: 'member', partyId: m.partyId, seat: m.seat }]
	};
}
export function secretary(partyId: string): Principal {
	return {
		id: `sekreterare-${partyId}`,
		name: `Partisekreterare ${partyId}`,
		email: `sekreterare.${partyId}@demo.yrka.se`,
		memberships: [{ bodyId: BODY, role: 'secretary', partyId, seat: null }]
	};
}
export const clerk: Principal = {
	id: 'namndsekreterare',
	name: 'Kristina Nämndsekreterare',
	email: 'namndsekreterare@demo.yrka.se',
	memberships: [{ bodyId: BODY, role: 'clerk', partyId: null, seat: null }]
};
export const observer: Principal = {
	id: 'observator',
	name: 'Observatör',
	email: 'observator@demo.yrka.se',
	memberships: [{ bodyId: BODY, role: 'observer', partyId: null, seat: null }]
};

export const baselinePointIds = ['slk-1', 'slk-2', 'slk-3', 'slk-4'];

function draft(p: Partial<ProposalDraft> & Pick<ProposalDraft, 'id' | 'kind' | 'partyIds'>): ProposalDraft {
	return { status: 'submitted', pointIds: [], amendments: [], ...p };
}

/** In the fixture's order: C's yttrande, the joint yttrande, SD's yrkande; then drafts for the edge cases. */
export const drafts: ProposalDraft[] = [
	draft({ id: 'c-yttrande', kind: 'yttrande', partyIds: ['C'] }),
	draft({ id: 'mdlkd-yttrande', kind: 'yttrande', partyIds: ['M', 'D', 'L', 'KD'] }),
	draft({ id: 'sd-yrkande', kind: 'yrkande', partyIds: ['SD'], pointIds: ['sd-1', 'sd-2', 'sd-3', 'sd-4'] }),
	draft({ id: 'v-tillagg', kind: 'tillaggsyrkande', partyIds: ['V'], pointIds: ['v-1'] }),
	draft({
		id: 'm-andring',
		kind: 'andringsyrkande',
		partyIds: ['M'],
		amendments: [{ id: 'am-1', baselineItemId: 'slk-1' }]
	}),
	draft({ id: 'l-utkast', kind: 'yrkande', partyIds: ['L'], status: 'draft', pointIds: ['l-1'] }),
	draft({ id: 'c-aterdraget', kind: 'yrkande', partyIds: ['C'], status: 'withdrawn', pointIds: ['c-1'] }),
	draft({ id: 'sd-sarskilt', kind: 'sarskilt_yttrande', partyIds: ['SD'] }),
	draft({ id: 'mp-utkast-yttrande', kind: 'yttrande', partyIds: ['MP'], status: 'shared' })
];

/**
 * The item as the meeting takes it up: Louise Hedlund (M) is absent and KD's ersättare Birgitta Ålund
 * serves in her place, so 13 serve; C's ersättare Jonas Fält attends without serving.
 */
export function openRecord(patch: Partial<MeetingRecord> = {}): MeetingRecord {
	const serving = [...ledamoter.filter((m) => m.name !== 'Louise Hedlund'), member('Birgitta Ålund')].map((m) => m.id);
	return { ...emptyMeetingRecord('2024-12-18'), openedAt: '2024-12-11T09:00:00Z', serving, ...patch };
}

export function context(m: Member, patch: Partial<PositionContext> = {}): PositionContext {
	return {
		bodyId: BODY,
		actor: asPrincipal(m),
		member: m,
		positions: [],
		record: openRecord(),
		baselinePointIds,
		drafts,
		reglemente: goteborgKsReglemente,
		now: new Date('2024-12-11T10:00:00Z'),
		...patch
	};
}

let seq = 0;
/** A recorded position, as the store would hold it. */
export function pos(m: Member, p: PositionSpec & { stage?: PositionStage; publishedAt?: string | null }): Position {
	return { id: `p${++seq}`, memberId: m.id, stage: 'recorded', ...p } as Position;
}
/** A position about to be recorded. */
export function fresh(m: Member, p: PositionSpec & { stage?: PositionStage }): NewPosition {
	return { memberId: m.id, stage: 'recorded', ...p } as NewPosition;
}
