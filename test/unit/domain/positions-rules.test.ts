import { describe, expect, it } from 'vitest';
import {
	checkDetail,
	checkMeetingPhase,
	checkNotFrozen,
	checkPublishPlanned,
	checkRecordPosition,
	checkReservationMotivation,
	checkTarget,
	checkWithdrawPosition,
	emptyMeetingRecord,
	goteborgKsReglemente,
	motionKinds,
	participationKinds,
	recordKinds,
	swedishDate,
	whoMayRecord,
	type MeetingRecord,
	type Question,
	type Votering
} from '../../../server/domain/positions';
import {
	BODY,
	asPrincipal,
	baselinePointIds,
	clerk,
	context,
	drafts,
	fresh,
	member,
	observer,
	openRecord,
	pos,
	secretary
} from './positions-board';

const daniel = member('Daniel Strand'); // SD ledamot
const malin = member('Malin Öberg'); // SD ledamot
const anna = member('Anna Lindqvist'); // S ledamot
const per = member('Per Åkesson'); // M ledamot
const louise = member('Louise Hedlund'); // M ledamot, absent in openRecord()
const birgitta = member('Birgitta Ålund'); // KD ersättare, serving for Louise
const jonas = member('Jonas Fält'); // C ersättare, not serving
const fredrik = member('Fredrik Nyström'); // L ledamot
const karin = member('Karin Vik'); // MP ledamot

const NOT_ALLOWED =
	'Du kan bara registrera ställningstaganden för dig själv eller, som partisekreterare, för ledamöter och ersättare i ditt eget parti.';
const FROZEN = 'Propositionsordningen är fastställd; ställningstaganden till förslagen kan inte längre ändras.';
const locked = (patch: Partial<MeetingRecord> = {}) =>
	openRecord({ propositionsordning: { lockedAt: '2024-12-11T10:30:00Z', questions: [mainQuestion] }, ...patch });

const mainQuestion: Question = {
	id: 'q-main',
	kind: 'main',
	alternatives: [
		{ type: 'baseline' },
		{ type: 'yrkande', draftId: 'sd-yrkande' },
		{ type: 'yrkande', draftId: 'm-andring' }
	]
};

describe('who may record a position', () => {
	it('lets members record their own positions, not audited as on behalf', () => {
		expect(whoMayRecord(BODY, asPrincipal(daniel), daniel, 'bifall', 'planned')).toEqual({
			ok: true,
			recordedBy: daniel.id,
			onBehalfOf: null
		});
	});

	it("lets a secretary of the member's party record on the member's behalf, and says so for the audit", () => {
		const v = checkRecordPosition(
			context(daniel, { actor: secretary('SD') }),
			fresh(daniel, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } })
		);
		expect(v).toEqual({
			ok: true,
			recordedBy: 'sekreterare-SD',
			onBehalfOf: daniel.id,
			at: '2024-12-11T10:00:00.000Z'
		});
	});

	it("refuses another party's secretary, another member of the same party and an observer", () => {
		for (const actor of [secretary('S'), asPrincipal(malin), observer]) {
			expect(whoMayRecord(BODY, actor, daniel, 'bifall', 'planned')).toEqual({
				ok: false,
				code: 'not_allowed_to_record',
				message: NOT_ALLOWED
			});
		}
	});

	it('refuses a secretary of the same party in another body', () => {
		const elsewhere = { ...secretary('SD'), memberships: [{ ...secretary('SD').memberships[0], bodyId: 'other' }] };
		expect(whoMayRecord(BODY, elsewhere, daniel, 'bifall', 'planned')).toMatchObject({
			ok: false,
			message: NOT_ALLOWED
		});
	});

	it('lets the clerk enter what is announced aloud at the meeting, audited as on behalf', () => {
		for (const kind of ['jav', 'deltar_inte', 'reservation', 'protokollsanteckning'] as const)
			expect(whoMayRecord(BODY, clerk, daniel, kind, 'recorded')).toEqual({
				ok: true,
				recordedBy: clerk.id,
				onBehalfOf: daniel.id
			});
	});

	it("refuses the clerk a party's motions, statements and plans", () => {
		const message =
			'Nämndsekreteraren kan bara anteckna jäv, deltar inte i beslutet, reservationer och protokollsanteckningar som anmäls vid sammanträdet.';
		for (const [kind, stage] of [
			['bifall', 'recorded'],
			['yttrande', 'recorded'],
			['reservation', 'planned']
		] as const)
			expect(whoMayRecord(BODY, clerk, daniel, kind, stage)).toEqual({
				ok: false,
				code: 'clerk_kind_not_allowed',
				message
			});
	});

	it('refuses a position whose member is not the one the context names', () => {
		expect(
			checkRecordPosition(context(daniel), fresh(malin, { kind: 'bifall', target: { type: 'baseline' } }))
		).toEqual({
			ok: false,
			code: 'not_allowed_to_record',
			message: 'Ställningstagandet gäller en annan ledamot än den angivna.'
		});
	});
});

describe('publishing planned positions', () => {
	it("is for the party's secretary only", () => {
		expect(checkPublishPlanned(BODY, secretary('SD'), 'SD')).toEqual({ ok: true });
		const refused = {
			ok: false,
			code: 'not_allowed_to_publish',
			message: 'Bara partiets sekreterare kan publicera partiets planerade ställningstaganden.'
		};
		expect(checkPublishPlanned(BODY, asPrincipal(daniel), 'SD')).toEqual(refused);
		expect(checkPublishPlanned(BODY, secretary('S'), 'SD')).toEqual(refused);
		expect(checkPublishPlanned(BODY, clerk, 'SD')).toEqual(refused);
	});
});

describe('the phase of the meeting', () => {
	const before = emptyMeetingRecord('2024-12-18');
	const closed = openRecord({ closedAt: '2024-12-11T16:00:00Z' });

	it('allows plans before the meeting and records during it', () => {
		expect(checkMeetingPhase(before, 'bifall', 'planned')).toEqual({ ok: true });
		expect(checkMeetingPhase(openRecord(), 'bifall', 'recorded')).toEqual({ ok: true });
	});

	it('refuses to record anything as announced before the meeting has begun', () => {
		expect(checkMeetingPhase(before, 'deltar_inte', 'recorded')).toEqual({
			ok: false,
			code: 'meeting_not_open',
			message: 'Sammanträdet har inte börjat; ställningstaganden kan bara planeras i förväg.'
		});
	});

	it('refuses a reservation announced after the meeting closed, and every other change then', () => {
		expect(checkMeetingPhase(closed, 'reservation', 'recorded')).toEqual({
			ok: false,
			code: 'meeting_closed',
			message: 'Sammanträdet är avslutat; en reservation ska anmälas innan sammanträdet avslutas.'
		});
		for (const stage of ['planned', 'recorded'] as const)
			expect(checkMeetingPhase(closed, 'protokollsanteckning', stage)).toEqual({
				ok: false,
				code: 'meeting_closed',
				message: 'Sammanträdet är avslutat; inga ställningstaganden kan längre ändras.'
			});
	});
});

describe('the freeze once the propositionsordning is locked', () => {
	it('freezes every motion and who takes part', () => {
		for (const kind of [...motionKinds, ...participationKinds])
			expect(checkNotFrozen(locked(), kind)).toEqual({ ok: false, code: 'positions_frozen', message: FROZEN });
	});

	it('leaves reservations, notes and statements open, and nothing is frozen before the lock', () => {
		for (const kind of recordKinds) expect(checkNotFrozen(locked(), kind)).toEqual({ ok: true });
		for (const kind of motionKinds) expect(checkNotFrozen(openRecord(), kind)).toEqual({ ok: true });
	});

	it('refuses recording a new motion and withdrawing a planned one, whoever asks', () => {
		const ctx = context(anna, { record: locked(), actor: secretary('S') });
		expect(checkRecordPosition(ctx, fresh(anna, { kind: 'bifall', target: { type: 'baseline' } }))).toMatchObject({
			ok: false,
			message: FROZEN
		});
		const planned = pos(anna, { kind: 'avslag', target: { type: 'yrkande', draftId: 'sd-yrkande' }, stage: 'planned' });
		expect(checkWithdrawPosition(ctx, planned)).toMatchObject({ ok: false, code: 'positions_frozen' });
	});
});

describe('targets', () => {
	const check = (p: ReturnType<typeof fresh>, m = anna) => checkTarget(p, m, baselinePointIds, drafts);

	it('refuses kinds on targets they cannot take, naming what they can', () => {
		const cases = [
			[
				fresh(anna, { kind: 'jav', target: { type: 'baseline_point', itemId: 'slk-1' } }),
				'Jäv kan bara avse hela ärendet.'
			],
			[
				fresh(anna, { kind: 'bifall', target: { type: 'case' } }),
				'Bifall kan bara avse förslaget till beslut, en beslutspunkt, ett yrkande eller en punkt i ett yrkande.'
			],
			[
				fresh(anna, {
					kind: 'andring',
					target: { type: 'yrkande', draftId: 'sd-yrkande' },
					amendment: { draftId: 'm-andring', amendmentId: 'am-1' }
				}),
				'Ändring kan bara avse en beslutspunkt.'
			],
			[
				fresh(anna, { kind: 'tillagg', target: { type: 'baseline' } }),
				'Tillägg kan bara avse ett yrkande eller en punkt i ett yrkande.'
			],
			[
				fresh(anna, { kind: 'reservation', target: { type: 'baseline' } }),
				'Reservation kan bara avse hela ärendet, en beslutspunkt eller en punkt i ett yrkande.'
			],
			[
				fresh(anna, { kind: 'aterremiss', target: { type: 'baseline' }, reason: 'x', referTo: 'y' }),
				'Återremiss kan bara avse hela ärendet.'
			],
			[
				fresh(anna, { kind: 'yttrande', target: { type: 'baseline_point', itemId: 'slk-1' }, draftId: 'c-yttrande' }),
				'Yttrande kan bara avse hela ärendet.'
			]
		] as const;
		for (const [p, message] of cases) expect(check(p)).toEqual({ ok: false, code: 'invalid_target', message });
	});

	it('accepts every kind on the targets it allows', () => {
		const ok = [
			fresh(anna, { kind: 'bifall', target: { type: 'baseline' } }),
			fresh(anna, { kind: 'avslag', target: { type: 'baseline_point', itemId: 'slk-4' } }),
			fresh(anna, { kind: 'avslag', target: { type: 'yrkande', draftId: 'sd-yrkande' } }),
			fresh(anna, { kind: 'bifall', target: { type: 'yrkande_point', draftId: 'sd-yrkande', pointId: 'sd-2' } }),
			fresh(anna, { kind: 'tillagg', target: { type: 'yrkande', draftId: 'v-tillagg' } }),
			fresh(anna, {
				kind: 'andring',
				target: { type: 'baseline_point', itemId: 'slk-1' },
				amendment: { draftId: 'm-andring', amendmentId: 'am-1' }
			}),
			fresh(anna, { kind: 'deltar_inte', target: { type: 'yrkande_point', draftId: 'sd-yrkande', pointId: 'sd-4' } }),
			fresh(anna, { kind: 'jav', target: { type: 'case' } }),
			fresh(anna, { kind: 'bordlaggning', target: { type: 'case' } }),
			fresh(anna, { kind: 'protokollsanteckning', target: { type: 'baseline_point', itemId: 'slk-2' }, text: 'x' })
		];
		for (const p of ok) expect(check(p)).toEqual({ ok: true });
	});

	it('refuses points, yrkanden and amendments that are not in the case', () => {
		const unknown = [
			[
				fresh(anna, { kind: 'bifall', target: { type: 'baseline_point', itemId: 'slk-9' } }),
				'Beslutspunkten finns inte i ärendet.'
			],
			[fresh(anna, { kind: 'bifall', target: { type: 'yrkande', draftId: 'nope' } }), 'Yrkandet finns inte i ärendet.'],
			[
				fresh(anna, { kind: 'bifall', target: { type: 'yrkande', draftId: 'c-yttrande' } }),
				'Yrkandet finns inte i ärendet.'
			],
			[
				fresh(anna, { kind: 'avslag', target: { type: 'yrkande_point', draftId: 'sd-yrkande', pointId: 'sd-9' } }),
				'Punkten finns inte i yrkandet.'
			],
			[
				fresh(anna, {
					kind: 'andring',
					target: { type: 'baseline_point', itemId: 'slk-1' },
					amendment: { draftId: 'm-andring', amendmentId: 'am-9' }
				}),
				'Ändringen finns inte i yrkandet.'
			],
			[fresh(anna, { kind: 'yttrande', target: { type: 'case' }, draftId: 'nope' }), 'Yttrandet finns inte i ärendet.']
		] as const;
		for (const [p, message] of unknown) expect(check(p)).toEqual({ ok: false, code: 'unknown_target', message });
	});

	it("refuses another party's unsubmitted yrkande; allows planning on one's own until it is recorded", () => {
		const onDraft = { kind: 'bifall', target: { type: 'yrkande', draftId: 'l-utkast' } } as const;
		const refused = {
			ok: false,
			code: 'not_submitted',
			message: 'Ställningstaganden kan bara avse inlämnade yrkanden.'
		};
		expect(check(fresh(anna, { ...onDraft, stage: 'planned' }))).toEqual(refused);
		expect(checkTarget(fresh(fredrik, { ...onDraft, stage: 'planned' }), fredrik, baselinePointIds, drafts)).toEqual({
			ok: true
		});
		expect(checkTarget(fresh(fredrik, onDraft), fredrik, baselinePointIds, drafts)).toEqual(refused);
	});

	it('refuses a withdrawn yrkande at any stage', () => {
		for (const stage of ['planned', 'recorded'] as const)
			expect(
				checkTarget(
					fresh(jonas, { kind: 'bifall', target: { type: 'yrkande', draftId: 'c-aterdraget' }, stage }),
					jonas,
					baselinePointIds,
					drafts
				)
			).toEqual({
				ok: false,
				code: 'withdrawn',
				message: 'Yrkandet är återtaget och kan inte längre bli föremål för ställningstaganden.'
			});
	});

	it('refuses tillägg on an ordinary yrkande', () => {
		expect(check(fresh(anna, { kind: 'tillagg', target: { type: 'yrkande', draftId: 'sd-yrkande' } }))).toEqual({
			ok: false,
			code: 'invalid_target',
			message: 'Tillägg avser ett tilläggsyrkande; andra yrkanden får bifall.'
		});
	});

	it('refuses an amendment linked to another point than the one chosen', () => {
		expect(
			check(
				fresh(anna, {
					kind: 'andring',
					target: { type: 'baseline_point', itemId: 'slk-2' },
					amendment: { draftId: 'm-andring', amendmentId: 'am-1' }
				})
			)
		).toEqual({ ok: false, code: 'invalid_target', message: 'Ändringen gäller en annan beslutspunkt än den valda.' });
	});

	it('links a yttrande only to a statement of its own kind and of the member’s own party', () => {
		const t = { type: 'case' } as const;
		expect(check(fresh(daniel, { kind: 'yttrande', target: t, draftId: 'sd-sarskilt' }), daniel)).toEqual({
			ok: false,
			code: 'invalid_target',
			message: 'Dokumentet är ett särskilt yttrande, inte ett yttrande.'
		});
		expect(check(fresh(per, { kind: 'sarskilt_yttrande', target: t, draftId: 'mdlkd-yttrande' }), per)).toEqual({
			ok: false,
			code: 'invalid_target',
			message: 'Dokumentet är ett yttrande, inte ett särskilt yttrande.'
		});
		expect(check(fresh(daniel, { kind: 'yttrande', target: t, draftId: 'c-yttrande' }), daniel)).toEqual({
			ok: false,
			code: 'not_own_statement',
			message: 'Daniel Strand kan bara ställa sig bakom yttranden från sitt eget parti.'
		});
		for (const m of [per, birgitta, fredrik])
			expect(check(fresh(m, { kind: 'yttrande', target: t, draftId: 'mdlkd-yttrande' }), m)).toEqual({ ok: true });
	});

	it('enters a yttrande in the protocol only once it is submitted, and never a withdrawn one', () => {
		const t = { type: 'case' } as const;
		const p = { kind: 'yttrande', target: t, draftId: 'mp-utkast-yttrande' } as const;
		expect(check(fresh(karin, { ...p, stage: 'planned' }), karin)).toEqual({ ok: true });
		expect(check(fresh(karin, p), karin)).toEqual({
			ok: false,
			code: 'not_submitted',
			message: 'Yttrandet måste lämnas in innan det kan anmälas till protokollet.'
		});
		const withdrawn = drafts.map((d) => (d.id === 'mp-utkast-yttrande' ? { ...d, status: 'withdrawn' as const } : d));
		expect(checkTarget(fresh(karin, { ...p, stage: 'planned' }), karin, baselinePointIds, withdrawn)).toEqual({
			ok: false,
			code: 'withdrawn',
			message: 'Yttrandet är återtaget.'
		});
	});
});

describe('required details', () => {
	it('asks återremiss for a reason and to whom', () => {
		const base = { kind: 'aterremiss', target: { type: 'case' } } as const;
		expect(checkDetail(fresh(per, { ...base, reason: '  ', referTo: 'stadsledningskontoret' }))).toEqual({
			ok: false,
			code: 'missing_detail',
			message: 'Ange skälet till återremissen.'
		});
		expect(checkDetail(fresh(per, { ...base, reason: 'Budgeten saknar konsekvensanalys.', referTo: '' }))).toEqual({
			ok: false,
			code: 'missing_detail',
			message: 'Ange till vem ärendet ska återremitteras.'
		});
		expect(
			checkDetail(
				fresh(per, { ...base, reason: 'Budgeten saknar konsekvensanalys.', referTo: 'stadsledningskontoret' })
			)
		).toEqual({ ok: true });
	});

	it('asks a protokollsanteckning for its text', () => {
		expect(checkDetail(fresh(anna, { kind: 'protokollsanteckning', target: { type: 'case' }, text: '' }))).toEqual({
			ok: false,
			code: 'missing_detail',
			message: 'Skriv protokollsanteckningens text.'
		});
		expect(
			checkDetail(fresh(anna, { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'Vi noterar…' }))
		).toEqual({ ok: true });
	});
});

describe('motions: only by members who take part and serve', () => {
	const bifall = (m = anna) => fresh(m, { kind: 'bifall', target: { type: 'baseline' } });

	it('refuses a member recorded as jävig', () => {
		const ctx = context(anna, { positions: [pos(anna, { kind: 'jav', target: { type: 'case' } })] });
		expect(checkRecordPosition(ctx, bifall())).toEqual({
			ok: false,
			code: 'jav',
			message: 'Anna Lindqvist är jävig i ärendet och kan inte delta i handläggningen.'
		});
	});

	it('refuses a member who takes no part in the decision on that point, not on the others', () => {
		const outOfCase = context(per, { positions: [pos(per, { kind: 'deltar_inte', target: { type: 'case' } })] });
		const refused = {
			ok: false,
			code: 'not_participating',
			message: 'Per Åkesson deltar inte i beslutet och kan därför inte yrka.'
		};
		expect(checkRecordPosition(outOfCase, bifall(per))).toEqual(refused);
		const outOfPoint2 = context(per, {
			positions: [pos(per, { kind: 'deltar_inte', target: { type: 'baseline_point', itemId: 'slk-2' } })]
		});
		const on = (itemId: string) => fresh(per, { kind: 'avslag', target: { type: 'baseline_point', itemId } });
		expect(checkRecordPosition(outOfPoint2, on('slk-2'))).toEqual(refused);
		expect(checkRecordPosition(outOfPoint2, on('slk-1'))).toMatchObject({ ok: true });
	});

	it('holds only recorded positions against what is announced at the meeting', () => {
		const ctx = context(per, {
			positions: [pos(per, { kind: 'deltar_inte', target: { type: 'case' }, stage: 'planned' })]
		});
		expect(checkRecordPosition(ctx, bifall(per))).toMatchObject({ ok: true });
		expect(checkRecordPosition(ctx, { ...bifall(per), stage: 'planned' })).toMatchObject({
			ok: false,
			code: 'not_participating'
		});
	});

	it('refuses a non-serving ersättare and an absent ledamot at the meeting, not in their plans', () => {
		expect(checkRecordPosition(context(jonas), bifall(jonas))).toEqual({
			ok: false,
			code: 'not_serving',
			message:
				'Jonas Fält är ersättare men tjänstgör inte i ärendet; bara ledamöter och tjänstgörande ersättare kan yrka.'
		});
		expect(checkRecordPosition(context(louise), bifall(louise))).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Louise Hedlund tjänstgör inte i ärendet och kan därför inte yrka.'
		});
		expect(checkRecordPosition(context(jonas), { ...bifall(jonas), stage: 'planned' })).toMatchObject({ ok: true });
	});

	it('lets a serving ersättare make motions', () => {
		expect(
			checkRecordPosition(
				context(birgitta),
				fresh(birgitta, {
					kind: 'aterremiss',
					target: { type: 'case' },
					reason: 'Mer underlag.',
					referTo: 'stadsledningskontoret'
				})
			)
		).toMatchObject({ ok: true, onBehalfOf: null });
	});
});

describe('taking part: deltar inte i beslutet and jäv', () => {
	it('lets only one who serves announce taking no part', () => {
		const out = (m: typeof jonas) => fresh(m, { kind: 'deltar_inte', target: { type: 'case' } });
		expect(checkRecordPosition(context(jonas), out(jonas))).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Jonas Fält tjänstgör inte i ärendet; bara den som tjänstgör kan anmäla att den inte deltar i beslutet.'
		});
		expect(checkRecordPosition(context(birgitta), out(birgitta))).toMatchObject({ ok: true });
		expect(checkRecordPosition(context(per, { actor: clerk }), out(per))).toMatchObject({
			ok: true,
			onBehalfOf: per.id
		});
	});

	it('records jäv for anyone in the body, as the clerk hears it', () => {
		expect(
			checkRecordPosition(context(jonas, { actor: clerk }), fresh(jonas, { kind: 'jav', target: { type: 'case' } }))
		).toMatchObject({ ok: true, onBehalfOf: jonas.id });
	});
});

/** S, V, MP vote ja for SLK's förslag; SD nej for their yrkande; M, D, L, KD stay out. */
function mainVotes(patch: Record<string, 'ja' | 'nej' | 'avstar' | undefined> = {}) {
	const votes: Record<string, 'ja' | 'nej' | 'avstar'> = {};
	for (const n of [
		'Anna Lindqvist',
		'Mikael Ekström',
		'Sara Holmberg',
		'Johan Berglund',
		'Elin Sandberg',
		'Ahmed Karimi',
		'Karin Vik'
	])
		votes[member(n).id] = 'ja';
	votes[daniel.id] = 'nej';
	votes[malin.id] = 'nej';
	for (const [id, v] of Object.entries(patch)) {
		if (v) votes[id] = v;
		else delete votes[id];
	}
	return votes;
}

function decided(voteringar: Votering[], questions: Question[] = [mainQuestion]): MeetingRecord {
	return openRecord({ propositionsordning: { lockedAt: '2024-12-11T10:30:00Z', questions }, voteringar });
}

describe('reservations: only by one who took part in the decision', () => {
	const reserve = (
		m = daniel,
		target: { type: 'case' } | { type: 'baseline_point'; itemId: string } = { type: 'case' }
	) => fresh(m, { kind: 'reservation', target });
	const huvud = (votes = mainVotes()): Votering => ({
		id: 'v1',
		questionId: 'q-main',
		rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes }]
	});

	it('allows a member who voted in the huvudvotering, whichever way', () => {
		expect(checkRecordPosition(context(daniel, { record: decided([huvud()]) }), reserve())).toMatchObject({ ok: true });
		expect(checkRecordPosition(context(anna, { record: decided([huvud()]) }), reserve(anna))).toMatchObject({
			ok: true
		});
	});

	it('refuses a member recorded as jävig', () => {
		const ctx = context(daniel, {
			record: decided([huvud(mainVotes({ [daniel.id]: undefined }))]),
			positions: [pos(daniel, { kind: 'jav', target: { type: 'case' } })]
		});
		expect(checkRecordPosition(ctx, reserve())).toEqual({
			ok: false,
			code: 'jav',
			message: 'Daniel Strand är jävig i ärendet och kan därför inte reservera sig.'
		});
	});

	it('refuses a member recorded as deltar inte i beslutet', () => {
		const ctx = context(per, {
			record: decided([huvud()]),
			positions: [pos(per, { kind: 'deltar_inte', target: { type: 'case' } })]
		});
		expect(checkRecordPosition(ctx, reserve(per))).toEqual({
			ok: false,
			code: 'not_participating',
			message: 'Per Åkesson deltar inte i beslutet och kan därför inte reservera sig.'
		});
	});

	it('refuses a non-serving ersättare and an absent ledamot', () => {
		expect(checkRecordPosition(context(jonas, { record: decided([huvud()]) }), reserve(jonas))).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Jonas Fält är ersättare men tjänstgör inte i ärendet och kan därför inte reservera sig.'
		});
		expect(checkRecordPosition(context(louise, { record: decided([huvud()]) }), reserve(louise))).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Louise Hedlund tjänstgör inte i ärendet och kan därför inte reservera sig.'
		});
	});

	it('lets a serving ersättare who voted reserve', () => {
		const record = decided([huvud(mainVotes({ [birgitta.id]: 'nej' }))]);
		expect(checkRecordPosition(context(birgitta, { record }), reserve(birgitta))).toMatchObject({ ok: true });
	});

	it('allows one who abstained in the counter-proposition vote but voted in the huvudvotering', () => {
		const votering: Votering = {
			id: 'v1',
			questionId: 'q-main',
			rounds: [
				{
					kind: 'kontraproposition',
					ja: 1,
					nej: 2,
					votes: { [daniel.id]: 'ja', [malin.id]: 'avstar', [anna.id]: 'avstar' }
				},
				{ kind: 'huvudvotering', ja: 0, nej: 1, votes: mainVotes() }
			]
		};
		expect(checkRecordPosition(context(malin, { record: decided([votering]) }), reserve(malin))).toMatchObject({
			ok: true
		});
	});

	it('refuses one who abstained in the huvudvotering, even after voting in the counter-proposition vote', () => {
		const votering: Votering = {
			id: 'v1',
			questionId: 'q-main',
			rounds: [
				{ kind: 'kontraproposition', ja: 1, nej: 2, votes: { [daniel.id]: 'ja', [malin.id]: 'ja' } },
				{ kind: 'huvudvotering', ja: 0, nej: 1, votes: mainVotes({ [daniel.id]: 'avstar' }) }
			]
		};
		expect(checkRecordPosition(context(daniel, { record: decided([votering]) }), reserve())).toEqual({
			ok: false,
			code: 'abstained_final',
			message:
				'Daniel Strand avstod från att rösta i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.'
		});
	});

	it('refuses a serving member who did not vote in the huvudvotering', () => {
		const record = decided([huvud(mainVotes({ [malin.id]: undefined }))]);
		expect(checkRecordPosition(context(malin, { record }), reserve(malin))).toEqual({
			ok: false,
			code: 'absent_final',
			message:
				'Malin Öberg röstade inte i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.'
		});
	});

	it('allows every serving participant when the chair found the decision without votering', () => {
		const record = decided([], [{ ...mainQuestion, acclamation: 0 }]);
		expect(checkRecordPosition(context(daniel, { record }), reserve())).toMatchObject({ ok: true });
	});

	it('refuses a reservation announced before the decision, but lets a party plan one', () => {
		const record = decided([]);
		expect(checkRecordPosition(context(daniel, { record }), reserve())).toEqual({
			ok: false,
			code: 'decision_not_taken',
			message: 'Beslutet är inte fattat ännu; en reservation anmäls när beslutet har fattats.'
		});
		expect(
			checkRecordPosition(context(daniel, { record: emptyMeetingRecord(), actor: secretary('SD') }), {
				...reserve(),
				stage: 'planned'
			})
		).toMatchObject({ ok: true, onBehalfOf: daniel.id });
	});

	it('judges a reservation on a point by the vote on that point when the board voted point by point', () => {
		const onPoint2: Question = {
			id: 'q-p2',
			kind: 'main',
			about: [{ type: 'baseline_point', itemId: 'slk-2' }],
			alternatives: [{ type: 'baseline' }, { type: 'avslag' }]
		};
		const record = decided(
			[
				{ id: 'v1', questionId: 'q-main', rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes: mainVotes() }] },
				{
					id: 'v2',
					questionId: 'q-p2',
					rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes: mainVotes({ [daniel.id]: 'avstar' }) }]
				}
			],
			[mainQuestion, onPoint2]
		);
		expect(
			checkRecordPosition(context(daniel, { record }), reserve(daniel, { type: 'baseline_point', itemId: 'slk-2' }))
		).toMatchObject({ ok: false, code: 'abstained_final' });
		expect(
			checkRecordPosition(context(daniel, { record }), reserve(daniel, { type: 'baseline_point', itemId: 'slk-1' }))
		).toMatchObject({ ok: true });
		expect(checkRecordPosition(context(daniel, { record }), reserve())).toMatchObject({ ok: true });
	});

	it('judges a reservation against a återremiss by the vote on the återremiss', () => {
		const formal: Question = {
			id: 'q-formal',
			kind: 'formal',
			alternatives: [
				{ type: 'aterremiss', partyIds: ['M'], referTo: 'stadsledningskontoret', reason: 'Mer underlag.' },
				{ type: 'avgora_idag' }
			]
		};
		const record = decided(
			[
				{
					id: 'v0',
					questionId: 'q-formal',
					rounds: [{ kind: 'huvudvotering', ja: 1, nej: 0, votes: mainVotes({ [anna.id]: 'avstar' }) }]
				}
			],
			[formal, mainQuestion]
		);
		// S, V, MP less Anna: 6 for deciding today, SD's 2 for återremiss; nobody else voted: decided today
		expect(checkRecordPosition(context(anna, { record }), reserve(anna))).toMatchObject({
			ok: false,
			code: 'decision_not_taken'
		});
		const sentBack = decided(
			[
				{
					id: 'v0',
					questionId: 'q-formal',
					rounds: [{ kind: 'huvudvotering', ja: 1, nej: 0, votes: mainVotes({ [anna.id]: 'avstar' }) }]
				}
			],
			[{ ...formal, alternatives: [formal.alternatives[1], formal.alternatives[0]] }, mainQuestion]
		);
		expect(checkRecordPosition(context(anna, { record: sentBack }), reserve(anna))).toMatchObject({
			ok: false,
			code: 'abstained_final'
		});
		expect(checkRecordPosition(context(daniel, { record: sentBack }), reserve())).toMatchObject({ ok: true });
	});

	it('refuses a reservation announced after the meeting closed', () => {
		const record = { ...decided([huvud()]), closedAt: '2024-12-11T16:00:00Z' };
		expect(checkRecordPosition(context(daniel, { record }), reserve())).toEqual({
			ok: false,
			code: 'meeting_closed',
			message: 'Sammanträdet är avslutat; en reservation ska anmälas innan sammanträdet avslutas.'
		});
	});
});

describe('the written motivation of a reservation', () => {
	const record = { ...decided([]), closedAt: '2024-12-11T16:00:00Z' };
	const reservation = pos(daniel, { kind: 'reservation', target: { type: 'case' }, motivation: null });

	it('may follow until the end of the justering day in Göteborg', () => {
		// 23:30 in Stockholm on the justering day
		const v = checkReservationMotivation(
			context(daniel, { record, now: new Date('2024-12-18T22:30:00Z'), actor: secretary('SD') }),
			reservation
		);
		expect(v).toEqual({
			ok: true,
			recordedBy: 'sekreterare-SD',
			onBehalfOf: daniel.id,
			at: '2024-12-18T22:30:00.000Z'
		});
	});

	it('is refused after the justering day', () => {
		// 00:30 in Stockholm the day after
		expect(
			checkReservationMotivation(context(daniel, { record, now: new Date('2024-12-18T23:30:00Z') }), reservation)
		).toEqual({
			ok: false,
			code: 'motivation_late',
			message: 'Den skriftliga motiveringen skulle ha lämnats senast på justeringsdagen 2024-12-18.'
		});
	});

	it('belongs to reservations only, and to the member or the party secretary', () => {
		const note = pos(daniel, { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'x' });
		expect(checkReservationMotivation(context(daniel, { record }), note)).toEqual({
			ok: false,
			code: 'invalid_target',
			message: 'Bara en reservation kan få en skriftlig motivering.'
		});
		expect(checkReservationMotivation(context(daniel, { record, actor: secretary('S') }), reservation)).toMatchObject({
			ok: false,
			code: 'not_allowed_to_record'
		});
	});

	it('counts the calendar day in Stockholm, not UTC', () => {
		expect(swedishDate(new Date('2024-12-18T22:59:59Z'))).toBe('2024-12-18');
		expect(swedishDate(new Date('2024-12-18T23:00:00Z'))).toBe('2024-12-19');
		expect(swedishDate(new Date('2024-07-01T21:59:59Z'))).toBe('2024-07-01');
		expect(swedishDate(new Date('2024-07-01T22:00:00Z'))).toBe('2024-07-02');
	});
});

describe('protokollsanteckningar and yttranden by ersättare follow the reglemente', () => {
	const yttrande = fresh(jonas, { kind: 'yttrande', target: { type: 'case' }, draftId: 'c-yttrande' });
	const note = fresh(jonas, {
		kind: 'protokollsanteckning',
		target: { type: 'case' },
		text: 'C instämmer i yttrandet.'
	});

	it("under Göteborg's settings: yttrande yes, protokollsanteckning no", () => {
		expect(checkRecordPosition(context(jonas), yttrande)).toMatchObject({ ok: true });
		expect(checkRecordPosition(context(jonas), note)).toEqual({
			ok: false,
			code: 'reglemente',
			message: 'Enligt reglementet kan ersättare som inte tjänstgör inte lämna protokollsanteckningar.'
		});
	});

	it('with the opposite settings: the opposite', () => {
		const reglemente = { ersattareMayEnterProtokollsanteckning: true, ersattareMayEnterYttrande: false };
		expect(checkRecordPosition(context(jonas, { reglemente }), note)).toMatchObject({ ok: true });
		expect(checkRecordPosition(context(jonas, { reglemente }), yttrande)).toEqual({
			ok: false,
			code: 'reglemente',
			message: 'Enligt reglementet kan ersättare som inte tjänstgör inte lämna yttranden.'
		});
		const sarskilt = fresh(daniel, { kind: 'sarskilt_yttrande', target: { type: 'case' }, draftId: 'sd-sarskilt' });
		const tobias = member('Tobias Engström');
		expect(checkRecordPosition(context(tobias, { reglemente }), { ...sarskilt, memberId: tobias.id })).toMatchObject({
			ok: false,
			code: 'reglemente'
		});
	});

	it('a serving ersättare needs no permission; an absent ledamot gets none', () => {
		const strict = { ersattareMayEnterProtokollsanteckning: false, ersattareMayEnterYttrande: false };
		expect(
			checkRecordPosition(
				context(birgitta, { reglemente: strict }),
				fresh(birgitta, { kind: 'yttrande', target: { type: 'case' }, draftId: 'mdlkd-yttrande' })
			)
		).toMatchObject({ ok: true });
		expect(
			checkRecordPosition(
				context(louise),
				fresh(louise, { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'x' })
			)
		).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Louise Hedlund tjänstgör inte i ärendet och kan därför inte lämna en protokollsanteckning.'
		});
	});

	it('a plan is not held against the reglemente, the meeting has not said who serves', () => {
		expect(
			checkRecordPosition(context(jonas, { record: emptyMeetingRecord() }), { ...note, stage: 'planned' })
		).toMatchObject({ ok: true });
	});

	it('a jävig member enters no statement', () => {
		const ctx = context(per, { positions: [pos(per, { kind: 'jav', target: { type: 'case' } })] });
		expect(
			checkRecordPosition(ctx, fresh(per, { kind: 'yttrande', target: { type: 'case' }, draftId: 'mdlkd-yttrande' }))
		).toEqual({
			ok: false,
			code: 'jav',
			message: 'Per Åkesson är jävig i ärendet och kan inte delta i handläggningen.'
		});
	});

	it('the default is Göteborg’s', () => {
		expect(goteborgKsReglemente).toEqual({
			ersattareMayEnterProtokollsanteckning: false,
			ersattareMayEnterYttrande: true
		});
	});
});

describe('withdrawing a position', () => {
	it('is for the member or the party secretary, audited the same way', () => {
		const p = pos(anna, { kind: 'bifall', target: { type: 'baseline' } });
		expect(checkWithdrawPosition(context(anna), p)).toMatchObject({ ok: true, onBehalfOf: null });
		expect(checkWithdrawPosition(context(anna, { actor: secretary('S') }), p)).toMatchObject({
			ok: true,
			onBehalfOf: anna.id
		});
		expect(checkWithdrawPosition(context(anna, { actor: secretary('SD') }), p)).toEqual({
			ok: false,
			code: 'not_allowed_to_record',
			message: NOT_ALLOWED
		});
		expect(checkWithdrawPosition(context(daniel), p)).toMatchObject({ ok: false, code: 'not_allowed_to_record' });
	});

	it('keeps a recorded reservation once the meeting closed', () => {
		const p = pos(daniel, { kind: 'reservation', target: { type: 'case' } });
		const record = openRecord({ closedAt: '2024-12-11T16:00:00Z' });
		expect(checkWithdrawPosition(context(daniel, { record }), p)).toMatchObject({ ok: false, code: 'meeting_closed' });
		expect(checkWithdrawPosition(context(daniel), p)).toMatchObject({ ok: true });
	});
});
