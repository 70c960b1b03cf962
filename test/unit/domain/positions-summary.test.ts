import { describe, expect, it } from 'vitest';
import {
	buildDecisionMatrix,
	checkPropositionsordning,
	checkPublishPlanned,
	checkRecordPosition,
	checkVotering,
	derivePartyStance,
	emptyMeetingRecord,
	matrixRows,
	partyPositionLines,
	protocolSummary,
	visiblePositions,
	type MeetingRecord,
	type Member,
	type NewPosition,
	type Position,
	type PositionContext,
	type PositionSpec,
	type Question,
	type SummaryInput,
	type Vote,
	type Votering
} from '../../../server/domain/positions';
import {
	BODY,
	asPrincipal,
	clerk,
	context,
	drafts,
	ledamoter,
	member,
	members,
	openRecord,
	partyOrder,
	pos,
	secretary
} from './positions-board';

const names = (...ns: string[]) => ns.map(member);
const S = names('Anna Lindqvist', 'Mikael Ekström', 'Sara Holmberg', 'Johan Berglund');
const V = names('Elin Sandberg', 'Ahmed Karimi');
const MP = names('Karin Vik');
const SD = names('Daniel Strand', 'Malin Öberg');
const [per, cecilia, fredrik, birgitta, jonas] = names(
	'Per Åkesson',
	'Cecilia Forsberg',
	'Fredrik Nyström',
	'Birgitta Ålund',
	'Jonas Fält'
);
const styret = [...S, ...V, ...MP];

const mainQuestion: Question = {
	id: 'q-main',
	kind: 'main',
	alternatives: [{ type: 'baseline' }, { type: 'yrkande', draftId: 'sd-yrkande' }]
};

function votesOf(groups: [Member[], Vote][]): Record<string, Vote> {
	return Object.fromEntries(groups.flatMap(([ms, v]) => ms.map((m) => [m.id, v])));
}

function summary(patch: Partial<SummaryInput>): string {
	return protocolSummary({
		bodyName: 'Kommunstyrelsen',
		baselineName: 'stadsledningskontorets förslag',
		partyOrder,
		members,
		drafts,
		positions: [],
		record: openRecord(),
		...patch
	});
}

function decided(questions: Question[], voteringar: Votering[] = []): MeetingRecord {
	return openRecord({ propositionsordning: { lockedAt: '2024-12-11T10:30:00Z', questions }, voteringar });
}

/**
 * The fixture's case, ärende SLK-2024-00738 "Budget 2025 för kommunstyrelsen", on the demo board.
 *
 * Tally: the demo board has 13 seats and KD and C sit as ersättare only. Louise Hedlund (M) is absent
 * and KD's ersättare Birgitta Ålund serves for her, so M, D, L and KD each have serving members who
 * announce they take no part. That leaves S 4 + V 2 + MP 1 = 7 for stadsledningskontorets förslag and
 * SD's 2 for their own yrkande: 7–2. (The "7–6" is the real board's count, which the demo shape
 * cannot reach with four parties out of the decision.)
 */
describe("the fixture's case: Budget 2025 för kommunstyrelsen", () => {
	let positions: Position[] = [];
	let seq = 0;
	/** Checks a position through every rule, as the server will, and keeps it when allowed. */
	function record(ctx: PositionContext, p: NewPosition) {
		const verdict = checkRecordPosition({ ...ctx, positions }, p);
		if (verdict.ok) positions.push({ ...p, id: `f${++seq}` } as Position);
		return verdict;
	}
	const ctxFor = (m: Member, rec: MeetingRecord, actor = asPrincipal(m)) => context(m, { record: rec, actor });

	it('runs from the parties’ plans to the protocol summary', () => {
		positions = [];
		// Before the meeting: the secretaries plan for their members; plans stay inside each party.
		const before = emptyMeetingRecord('2024-12-18');
		for (const m of S)
			expect(
				record(ctxFor(m, before, secretary('S')), {
					memberId: m.id,
					stage: 'planned',
					kind: 'bifall',
					target: { type: 'baseline' }
				})
			).toMatchObject({ ok: true, recordedBy: 'sekreterare-S', onBehalfOf: m.id });
		for (const m of SD)
			expect(
				record(ctxFor(m, before, secretary('SD')), {
					memberId: m.id,
					stage: 'planned',
					kind: 'reservation',
					target: { type: 'case' }
				})
			).toMatchObject({ ok: true, onBehalfOf: m.id });
		const seenBy = (viewer: Parameters<typeof visiblePositions>[0]) =>
			visiblePositions(viewer, BODY, positions, members).map((p) => p.memberId);
		expect(seenBy(secretary('S'))).toEqual(S.map((m) => m.id));
		expect(seenBy(asPrincipal(SD[0]))).toEqual(SD.map((m) => m.id));
		expect(seenBy(clerk)).toEqual([]);
		expect(checkPublishPlanned(BODY, asPrincipal(SD[0]), 'SD')).toMatchObject({ ok: false });

		// At the meeting: Louise Hedlund (M) is absent, Birgitta Ålund (KD) serves; each announces their own.
		const open = openRecord();
		const announce = (m: Member, p: PositionSpec, actor = asPrincipal(m)) =>
			record(ctxFor(m, open, actor), { ...p, memberId: m.id, stage: 'recorded' } as NewPosition);
		for (const m of styret)
			expect(announce(m, { kind: 'bifall', target: { type: 'baseline' } })).toMatchObject({ ok: true });
		for (const m of SD)
			expect(announce(m, { kind: 'bifall', target: { type: 'yrkande', draftId: 'sd-yrkande' } })).toMatchObject({
				ok: true
			});
		for (const m of [per, cecilia, fredrik, birgitta]) {
			expect(announce(m, { kind: 'deltar_inte', target: { type: 'case' } }, clerk)).toMatchObject({
				ok: true,
				recordedBy: clerk.id,
				onBehalfOf: m.id
			});
			expect(announce(m, { kind: 'yttrande', target: { type: 'case' }, draftId: 'mdlkd-yttrande' })).toMatchObject({
				ok: true
			});
		}
		// C has no seat that serves; Göteborg's reglemente still lets its ersättare enter the yttrande
		expect(announce(jonas, { kind: 'yttrande', target: { type: 'case' }, draftId: 'c-yttrande' })).toMatchObject({
			ok: true
		});
		expect(announce(jonas, { kind: 'bifall', target: { type: 'baseline' } })).toMatchObject({
			ok: false,
			code: 'not_serving'
		});

		// The decision matrix and the party lines, as every party sees them now.
		const rows = matrixRows(
			'Stadsledningskontorets förslag',
			[{ id: 'slk-1', label: '1' }],
			[{ draft: drafts.find((d) => d.id === 'sd-yrkande')!, points: [{ id: 'sd-1', label: '1' }] }]
		);
		const seen = visiblePositions(secretary('V'), BODY, positions, members);
		const matrix = buildDecisionMatrix(rows, partyOrder, members, seen, open.serving);
		expect(Object.fromEntries(partyOrder.map((p) => [p, matrix.rows[0].cells[p].label]))).toEqual({
			S: 'Bifall',
			V: 'Bifall',
			MP: 'Bifall',
			M: 'Deltar inte i beslutet, yttrande',
			L: 'Deltar inte i beslutet, yttrande',
			KD: 'Deltar inte i beslutet, yttrande',
			C: 'Yttrande',
			SD: 'Inget ställningstagande',
			D: 'Deltar inte i beslutet, yttrande'
		});
		const stances = partyOrder.map((p) => derivePartyStance(p, members, { type: 'case' }, seen, open.serving));
		const joint = drafts.filter((d) => d.status === 'submitted').map((d) => d.partyIds);
		expect(partyPositionLines(stances, partyOrder, joint)).toEqual([
			'M, D, L, KD: deltar inte i beslutet, yttrande',
			'C: yttrande'
		]);
		// the planned reservations of SD never reached V
		expect(seen.some((p) => p.stage === 'planned')).toBe(false);

		// The clerk locks the propositionsordning: the motions are frozen from here.
		const proposed = openRecord({ propositionsordning: { lockedAt: null, questions: [mainQuestion] } });
		expect(checkPropositionsordning(proposed, drafts)).toEqual({ ok: true });
		const locked = openRecord({ propositionsordning: { lockedAt: '2024-12-11T10:30:00Z', questions: [mainQuestion] } });
		expect(
			record(ctxFor(S[0], locked), {
				memberId: S[0].id,
				stage: 'recorded',
				kind: 'avslag',
				target: { type: 'yrkande', draftId: 'sd-yrkande' }
			})
		).toMatchObject({ ok: false, code: 'positions_frozen' });

		// The votering: ja for stadsledningskontorets förslag, nej for SD's yrkande.
		const votering: Votering = {
			id: 'v1',
			questionId: 'q-main',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[styret, 'ja'],
						[SD, 'nej']
					])
				}
			]
		};
		expect(checkVotering(locked, votering, members, positions)).toEqual({ ok: true });
		const after: MeetingRecord = { ...locked, voteringar: [votering] };

		// SD's members reserve; those out of the decision and C's non-serving ersättare cannot.
		for (const m of SD)
			expect(
				record(ctxFor(m, after), { memberId: m.id, stage: 'recorded', kind: 'reservation', target: { type: 'case' } })
			).toMatchObject({ ok: true, onBehalfOf: null });
		expect(
			record(ctxFor(per, after, clerk), {
				memberId: per.id,
				stage: 'recorded',
				kind: 'reservation',
				target: { type: 'case' }
			})
		).toEqual({
			ok: false,
			code: 'not_participating',
			message: 'Per Åkesson deltar inte i beslutet och kan därför inte reservera sig.'
		});
		expect(
			record(ctxFor(jonas, after), {
				memberId: jonas.id,
				stage: 'recorded',
				kind: 'reservation',
				target: { type: 'case' }
			})
		).toEqual({
			ok: false,
			code: 'not_serving',
			message: 'Jonas Fält är ersättare men tjänstgör inte i ärendet och kan därför inte reservera sig.'
		});

		expect(summary({ positions, record: after })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag efter votering 7–2. ' +
				'Yrkandet från SD avslogs. ' +
				'M, D, L och KD deltog inte i beslutet. ' +
				'Reservation: Daniel Strand och Malin Öberg (SD). ' +
				'Yttrande: C; M, D, L, KD.'
		);
	});
});

describe('the protocol summary', () => {
	const out = (ms: Member[]) => ms.map((m) => pos(m, { kind: 'deltar_inte', target: { type: 'case' } }));

	it('says nothing of the votering when the chair found the decision without one', () => {
		expect(summary({ record: decided([{ ...mainQuestion, acclamation: 0 }]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs.'
		);
	});

	it("names a yrkande that won, and the chair's deciding vote on a tie", () => {
		const votering: Votering = {
			id: 'v',
			questionId: 'q-main',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[S, 'ja'],
						[[...SD, ...V], 'nej']
					]),
					castingVote: 'nej'
				}
			]
		};
		expect(summary({ record: decided([mainQuestion], [votering]) })).toBe(
			'Kommunstyrelsen beslutade enligt yrkandet från SD efter votering 4–4 med ordförandens utslagsröst.'
		);
	});

	it('rejects every losing yrkande after counter-proposition rounds, and counts the huvudvotering', () => {
		// Louise Hedlund is absent, so Per Åkesson abstaining is all of M that serves
		const three: Question = {
			...mainQuestion,
			alternatives: [...mainQuestion.alternatives, { type: 'yrkande', draftId: 'm-andring' }]
		};
		const votering: Votering = {
			id: 'v',
			questionId: 'q-main',
			rounds: [
				{
					kind: 'kontraproposition',
					ja: 1,
					nej: 2,
					votes: votesOf([
						[SD, 'ja'],
						[[per], 'nej'],
						[styret, 'avstar']
					])
				},
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[styret, 'ja'],
						[SD, 'nej'],
						[[per], 'avstar']
					])
				}
			]
		};
		expect(summary({ record: decided([three], [votering]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag efter votering 7–2. ' +
				'Yrkandet från SD avslogs. Ändringsyrkandet från M avslogs. M avstod från att rösta.'
		);
	});

	it('sends the case back when återremiss wins, and decides nothing else', () => {
		const formal: Question = {
			id: 'q-f',
			kind: 'formal',
			alternatives: [
				{ type: 'aterremiss', partyIds: ['M', 'L'], referTo: 'stadsledningskontoret', reason: 'Mer underlag.' },
				{ type: 'avgora_idag' }
			]
		};
		const votering: Votering = {
			id: 'v',
			questionId: 'q-f',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[[...SD, ...S, per, fredrik], 'ja'],
						[[...V, ...MP], 'nej']
					])
				}
			]
		};
		expect(summary({ record: decided([formal, { ...mainQuestion, acclamation: 0 }], [votering]) })).toBe(
			'Kommunstyrelsen beslutade att återremittera ärendet till stadsledningskontoret efter votering 8–3.'
		);
	});

	it('rejects a lost återremiss with its count, then gives the decision', () => {
		const formal: Question = {
			id: 'q-f',
			kind: 'formal',
			alternatives: [
				{ type: 'avgora_idag' },
				{ type: 'aterremiss', partyIds: ['M', 'L'], referTo: 'stadsledningskontoret', reason: 'Mer underlag.' }
			]
		};
		const votering: Votering = {
			id: 'v',
			questionId: 'q-f',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[styret, 'ja'],
						[[per, fredrik], 'nej']
					])
				}
			]
		};
		expect(summary({ record: decided([formal, { ...mainQuestion, acclamation: 0 }], [votering]) })).toBe(
			'Yrkandet om återremiss från M och L avslogs efter votering 7–2. ' +
				'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs.'
		);
	});

	it('postpones the case when bordläggning wins', () => {
		const formal: Question = {
			id: 'q-f',
			kind: 'formal',
			alternatives: [{ type: 'bordlaggning', partyIds: ['SD'] }, { type: 'avgora_idag' }],
			acclamation: 0
		};
		expect(summary({ record: decided([formal, mainQuestion]) })).toBe(
			'Kommunstyrelsen beslutade att bordlägga ärendet.'
		);
	});

	it('decides a tilläggsyrkande after the main question', () => {
		const addition: Question = {
			id: 'q-add',
			kind: 'addition',
			alternatives: [{ type: 'yrkande', draftId: 'v-tillagg' }, { type: 'avslag' }]
		};
		expect(
			summary({
				record: decided([
					{ ...mainQuestion, acclamation: 0 },
					{ ...addition, acclamation: 0 }
				])
			})
		).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs. ' +
				'Kommunstyrelsen biföll tilläggsyrkandet från V.'
		);
		const lost: Votering = {
			id: 'v',
			questionId: 'q-add',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[[...V, ...MP], 'ja'],
						[[...S, ...SD], 'nej']
					])
				}
			]
		};
		expect(summary({ record: decided([{ ...mainQuestion, acclamation: 0 }, addition], [lost]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs. ' +
				'Tilläggsyrkandet från V avslogs efter votering 6–3.'
		);
	});

	it('never names a withdrawn yrkande or yttrande', () => {
		const withdrawn = drafts.map((d) =>
			d.id === 'sd-yrkande' || d.id === 'c-yttrande' ? { ...d, status: 'withdrawn' as const } : d
		);
		const ps = [pos(jonas, { kind: 'yttrande', target: { type: 'case' }, draftId: 'c-yttrande' })];
		expect(summary({ drafts: withdrawn, positions: ps, record: decided([{ ...mainQuestion, acclamation: 0 }]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag.'
		);
	});

	it('reports jäv, and names single members who stay out beside whole parties', () => {
		const ps = [
			pos(S[0], { kind: 'jav', target: { type: 'case' } }),
			...out([per, cecilia]),
			pos(member('Louise Hedlund'), { kind: 'deltar_inte', target: { type: 'case' } })
		];
		// everyone serves here, so M's Louise Hedlund is present: with Per both M members are out
		const everyone = openRecord({
			serving: ledamoter.map((m) => m.id),
			propositionsordning: { lockedAt: 'x', questions: [{ ...mainQuestion, acclamation: 0 }] }
		});
		expect(summary({ positions: ps, record: everyone })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs. ' +
				'Anna Lindqvist (S) anmälde jäv och deltog inte i handläggningen. M och D deltog inte i beslutet.'
		);
		expect(summary({ positions: ps.slice(0, 2), record: everyone })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs. ' +
				'Anna Lindqvist (S) anmälde jäv och deltog inte i handläggningen. Per Åkesson (M) deltog inte i beslutet.'
		);
	});

	it('names whole parties that abstained in the huvudvotering', () => {
		const votering: Votering = {
			id: 'v',
			questionId: 'q-main',
			rounds: [
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 1,
					votes: votesOf([
						[styret, 'ja'],
						[SD, 'avstar']
					])
				}
			]
		};
		expect(summary({ record: decided([mainQuestion], [votering]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag efter votering 7–0. Yrkandet från SD avslogs. ' +
				'SD avstod från att rösta.'
		);
	});

	it('lists reservations per party, protokollsanteckningar and särskilda yttranden', () => {
		const ps = [
			pos(SD[1], { kind: 'reservation', target: { type: 'case' } }),
			pos(fredrik, { kind: 'reservation', target: { type: 'case' } }),
			pos(SD[0], { kind: 'reservation', target: { type: 'case' } }),
			pos(V[0], { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'Vi välkomnar satsningen.' }),
			pos(S[1], { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'Vi välkomnar satsningen.' }),
			pos(MP[0], { kind: 'protokollsanteckning', target: { type: 'case' }, text: 'Klimatet först.' }),
			pos(SD[0], { kind: 'sarskilt_yttrande', target: { type: 'case' }, draftId: 'sd-sarskilt' })
		];
		expect(summary({ positions: ps, record: decided([{ ...mainQuestion, acclamation: 0 }]) })).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag. Yrkandet från SD avslogs. ' +
				'Reservation: Fredrik Nyström (L); Daniel Strand och Malin Öberg (SD). ' +
				'Protokollsanteckning: S, V; MP. Särskilt yttrande: SD.'
		);
	});

	it('leaves out every planned position and every undecided question', () => {
		const ps = [
			pos(SD[0], { kind: 'reservation', target: { type: 'case' }, stage: 'planned' }),
			{ ...out([per])[0], stage: 'planned' as const }
		];
		expect(summary({ positions: ps, record: decided([mainQuestion]) })).toBe('');
	});
});
