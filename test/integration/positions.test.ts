import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, drafts } from '../../db/schema';
import { recordSubmittedDraft } from '../../server/commands/drafts-seed';
import { buildDraft } from '../support/sync';
import { startTestServer, type TestServer } from '../support/server';
import {
	CLERK,
	DemoCase,
	LiveListener,
	daysFromNow,
	fixtureAttendance,
	secretaryOf,
	type Reply
} from './positions-api';

let server: TestServer;
let demo: DemoCase;
/** S's own drafts: one still being written, one withdrawn; V's submitted yrkande for a third proposal. */
let sDraft: string;
let sWithdrawn: string;
let sYttrandeDraft: string;
let vYrkande: string;

beforeAll(async () => {
	server = await startTestServer({ seedDemo: true });
	const caseId = server.seed!.caseId!;
	demo = new DemoCase(server, caseId);
	const db = server.deps.db;
	sDraft = (await buildDraft(db, { caseId, owner: 'S', status: 'draft' })).id;
	sWithdrawn = (await buildDraft(db, { caseId, owner: 'S', status: 'withdrawn' })).id;
	const { id } = await buildDraft(db, { caseId, owner: 'S', status: 'draft', title: 'Yttrande från S' });
	sYttrandeDraft = id;
	await db.update(drafts).set({ kind: 'yttrande' }).where(eq(drafts.id, id));
	vYrkande = await recordSubmittedDraft(db, {
		caseId,
		secretaryOf: () => null,
		document: {
			kind: 'yrkande',
			parties: ['V'],
			title: 'Yrkande angående – Budget 2025 för kommunstyrelsen',
			points: [{ level: 'ks', number: '1', text: 'Kommunstyrelsen får i uppdrag att stärka den sociala dimensionen.' }],
			paragraphs: ['Vänsterpartiet vill se en tydligare social inriktning.']
		}
	});
});
afterAll(() => server?.close());

function refused(r: Reply, status: number, code: string, message: string) {
	expect({ status: r.status, error: r.body?.error }).toEqual({ status, error: { code, message } });
}

const baseline = { type: 'baseline' };
const wholeCase = { type: 'case' };

describe('before the meeting', () => {
	it('lets only the member, the party secretary or (at the meeting) the clerk record', async () => {
		refused(
			await demo.record('Anna Lindqvist', { stage: 'planned', kind: 'bifall', target: baseline }, 'Elin Sandberg'),
			403,
			'not_allowed_to_record',
			'Du kan bara registrera ställningstaganden för dig själv eller, som partisekreterare, för ledamöter och ersättare i ditt eget parti.'
		);
		refused(
			await demo.record('Anna Lindqvist', { stage: 'planned', kind: 'bifall', target: baseline }, secretaryOf('V')),
			403,
			'not_allowed_to_record',
			'Du kan bara registrera ställningstaganden för dig själv eller, som partisekreterare, för ledamöter och ersättare i ditt eget parti.'
		);
		refused(
			await demo.record('Anna Lindqvist', { kind: 'bifall', target: baseline }, CLERK),
			403,
			'clerk_kind_not_allowed',
			'Nämndsekreteraren kan bara anteckna jäv, deltar inte i beslutet, reservationer och protokollsanteckningar som anmäls vid sammanträdet.'
		);
	});

	it('takes only plans until the item is up', async () => {
		refused(
			await demo.record('Anna Lindqvist', { kind: 'bifall', target: baseline }),
			409,
			'meeting_not_open',
			'Sammanträdet har inte börjat; ställningstaganden kan bara planeras i förväg.'
		);
	});

	it('refuses targets that do not fit the kind or do not exist', async () => {
		const plan = (p: Record<string, unknown>) => demo.record('Anna Lindqvist', { stage: 'planned', ...p });
		refused(
			await plan({ kind: 'tillagg', target: baseline }),
			422,
			'invalid_target',
			'Tillägg kan bara avse ett yrkande eller en punkt i ett yrkande.'
		);
		refused(
			await plan({ kind: 'bifall', target: { type: 'baseline_point', itemId: 'finns-inte' } }),
			422,
			'unknown_target',
			'Beslutspunkten finns inte i ärendet.'
		);
		const sd = await demo.yrkande('SD');
		refused(
			await plan({ kind: 'avslag', target: { type: 'yrkande_point', draftId: sd.id, pointId: 'p9' } }),
			422,
			'unknown_target',
			'Punkten finns inte i yrkandet.'
		);
		refused(
			await plan({ kind: 'bifall', target: { type: 'yrkande', draftId: sWithdrawn } }),
			422,
			'withdrawn',
			'Yrkandet är återtaget och kan inte längre bli föremål för ställningstaganden.'
		);
		refused(
			await plan({ kind: 'yttrande', target: wholeCase, draftId: await demo.statement('C') }),
			422,
			'not_own_statement',
			'Anna Lindqvist kan bara ställa sig bakom yttranden från sitt eget parti.'
		);
		refused(
			await plan({ kind: 'aterremiss', target: wholeCase, reason: ' ', referTo: 'stadsledningskontoret' }),
			422,
			'missing_detail',
			'Ange skälet till återremissen.'
		);
		refused(
			await plan({ kind: 'aterremiss', target: wholeCase, reason: 'Konsekvensanalys saknas.' }),
			422,
			'missing_detail',
			'Ange till vem ärendet ska återremitteras.'
		);
		refused(
			await plan({ kind: 'protokollsanteckning', target: wholeCase, text: '' }),
			422,
			'missing_detail',
			'Skriv protokollsanteckningens text.'
		);
		const bad = await plan({ kind: 'hurra', target: wholeCase });
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^kind: /);
	});

	it("keeps a party's plans, even on its own unsubmitted draft, from every other party", async () => {
		const onDraft = await demo.record(
			'Anna Lindqvist',
			{ stage: 'planned', kind: 'bifall', target: { type: 'yrkande', draftId: sDraft } },
			secretaryOf('S')
		);
		expect(onDraft.status, JSON.stringify(onDraft.body)).toBe(201);
		// to another party that draft does not exist at all, just like an id nobody ever made
		refused(
			await demo.record('Elin Sandberg', {
				stage: 'planned',
				kind: 'avslag',
				target: { type: 'yrkande', draftId: sDraft }
			}),
			422,
			'unknown_target',
			'Yrkandet finns inte i ärendet.'
		);

		const v = await LiveListener.open(demo, 'Elin Sandberg');
		const s = await LiveListener.open(demo, 'Sara Holmberg');
		const plan = await demo.record(
			'Anna Lindqvist',
			{ stage: 'planned', kind: 'reservation', target: wholeCase },
			secretaryOf('S')
		);
		expect(plan.status, JSON.stringify(plan.body)).toBe(201);
		const planId = plan.body.position.id as string;
		expect(await s.waitFor('positions')).toBe(true);

		for (const who of ['Elin Sandberg', secretaryOf('V'), CLERK]) {
			expect((await demo.positionsSeenBy(who)).map((p) => p.id)).toEqual([]);
			const matrix = (await demo.call(who, 'GET', '/positions/matrix')).body;
			expect(
				matrix.rows.every((r: { cells: { S: { label: string } } }) => r.cells.S.label === 'Inget ställningstagande')
			).toBe(true);
		}
		expect((await demo.positionsSeenBy('Sara Holmberg')).map((p) => p.id).sort()).toEqual(
			[onDraft.body.position.id, planId].sort()
		);
		// another party cannot act on it, nor learn that it exists
		for (const [method, path, json] of [
			['DELETE', `/positions/${planId}`, undefined],
			['POST', `/positions/${planId}/announce`, undefined],
			['PUT', `/positions/${planId}/motivation`, { motivation: 'x' }]
		] as const)
			refused(
				await demo.call(secretaryOf('V'), method, path, json),
				404,
				'not_found',
				'Ställningstagandet hittades inte.'
			);
		expect(v.topics()).toEqual([]);

		refused(
			await demo.call('Sara Holmberg', 'POST', '/positions/publish', { partyId: 'S' }),
			403,
			'not_allowed_to_publish',
			'Bara partiets sekreterare kan publicera partiets planerade ställningstaganden.'
		);
		refused(
			await demo.call(secretaryOf('V'), 'POST', '/positions/publish', { partyId: 'S' }),
			403,
			'not_allowed_to_publish',
			'Bara partiets sekreterare kan publicera partiets planerade ställningstaganden.'
		);
		const published = await demo.call(secretaryOf('S'), 'POST', '/positions/publish', {
			partyId: 'S',
			positionIds: [planId]
		});
		expect(published.body).toEqual({ published: [planId] });
		expect(await v.waitFor('positions')).toBe(true);
		const seen = await demo.positionsSeenBy('Elin Sandberg');
		expect(seen).toEqual([
			expect.objectContaining({ id: planId, kind: 'reservation', stage: 'planned', memberName: 'Anna Lindqvist' })
		]);
		expect(seen[0].publishedAt).not.toBeNull();
		await Promise.all([v.close(), s.close()]);

		const [audit] = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'position.publish'), eq(auditEvents.partyId, 'S')));
		expect(audit.details).toEqual({ positionIds: [planId] });
		// the plan on S's own draft stays S's
		expect((await demo.positionsSeenBy(secretaryOf('V'))).map((p) => p.id)).toEqual([planId]);
	});

	it('replaces a stance on the same target rather than holding two', async () => {
		const id = await demo.memberId('Ahmed Karimi');
		const first = await demo.record('Ahmed Karimi', { stage: 'planned', kind: 'bifall', target: baseline });
		const second = await demo.record('Ahmed Karimi', { stage: 'planned', kind: 'avslag', target: baseline });
		expect([first.status, second.status]).toEqual([201, 201]);
		const mine = (await demo.positionsSeenBy('Ahmed Karimi')).filter((p) => p.memberId === id);
		expect(mine.map((p) => p.kind)).toEqual(['avslag']);
		const withdrawn = await demo.call('Ahmed Karimi', 'DELETE', `/positions/${second.body.position.id}`);
		expect(withdrawn.status).toBe(204);
		const [audit] = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'position.withdraw'), eq(auditEvents.subjectId, second.body.position.id)));
		expect(audit).toMatchObject({ actorId: id, onBehalfOfId: null, partyId: 'V' });
	});
	it('lets changes to one case pass the rules one at a time', async () => {
		const id = await demo.memberId('Malin Öberg');
		const kinds = ['bifall', 'avslag', 'bifall', 'avslag', 'bifall', 'avslag', 'bifall', 'avslag'];
		const replies = await Promise.all(
			kinds.map((kind) => demo.record('Malin Öberg', { stage: 'planned', kind, target: baseline }))
		);
		expect(replies.map((r) => r.status)).toEqual(kinds.map(() => 201));
		const mine = (await demo.positionsSeenBy('Malin Öberg')).filter((p) => p.memberId === id);
		expect(mine).toHaveLength(1);
		await demo.call('Malin Öberg', 'DELETE', `/positions/${mine[0].id}`);
	});
});

describe('at the meeting, before the decision', () => {
	it('lets only the clerk keep the record', async () => {
		refused(
			await demo.call(secretaryOf('S'), 'POST', '/meeting/open', {}),
			403,
			'forbidden',
			'Bara nämndsekreteraren kan föra protokollet över sammanträdet.'
		);
		const entries = await fixtureAttendance(demo);
		const tooMany = entries.map((e) => ({ ...e, attendance: 'serving', replacesMemberId: null }));
		refused(
			await demo.call(CLERK, 'PUT', '/meeting/attendance', { entries: tooMany }),
			422,
			'invalid_record',
			'26 kan inte tjänstgöra: nämnden har 13 ledamöter.'
		);
		expect((await demo.call(CLERK, 'PUT', '/meeting/attendance', { entries })).status).toBe(200);
		expect((await demo.call(CLERK, 'POST', '/meeting/open', { justeringDate: daysFromNow(7) })).status).toBe(200);
	});

	it('refuses motions by those who do not serve, are jäviga or take no part', async () => {
		refused(
			await demo.record('Jonas Fält', { kind: 'bifall', target: baseline }),
			422,
			'not_serving',
			'Jonas Fält är ersättare men tjänstgör inte i ärendet; bara ledamöter och tjänstgörande ersättare kan yrka.'
		);
		refused(
			await demo.record('Jonas Fält', { kind: 'protokollsanteckning', target: wholeCase, text: 'C vill se mer.' }),
			422,
			'reglemente',
			'Enligt reglementet kan ersättare som inte tjänstgör inte lämna protokollsanteckningar.'
		);
		refused(
			await demo.record('Jonas Fält', { kind: 'deltar_inte', target: wholeCase }, CLERK),
			422,
			'not_serving',
			'Jonas Fält tjänstgör inte i ärendet; bara den som tjänstgör kan anmäla att den inte deltar i beslutet.'
		);
		expect((await demo.record('Johan Berglund', { kind: 'jav', target: wholeCase }, CLERK)).status).toBe(201);
		refused(
			await demo.record('Johan Berglund', { kind: 'bifall', target: baseline }),
			422,
			'jav',
			'Johan Berglund är jävig i ärendet och kan inte delta i handläggningen.'
		);
		expect((await demo.record('Per Åkesson', { kind: 'deltar_inte', target: wholeCase }, CLERK)).status).toBe(201);
		refused(
			await demo.record('Per Åkesson', { kind: 'bifall', target: baseline }),
			422,
			'not_participating',
			'Per Åkesson deltar inte i beslutet och kan därför inte yrka.'
		);
		refused(
			await demo.record('Sara Holmberg', { kind: 'bifall', target: { type: 'yrkande', draftId: sDraft } }),
			422,
			'not_submitted',
			'Ställningstaganden kan bara avse inlämnade yrkanden.'
		);
		refused(
			await demo.record('Sara Holmberg', { kind: 'yttrande', target: wholeCase, draftId: sYttrandeDraft }),
			422,
			'not_submitted',
			'Yttrandet måste lämnas in innan det kan anmälas till protokollet.'
		);
		refused(
			await demo.record('Sara Holmberg', { kind: 'reservation', target: wholeCase }),
			422,
			'decision_not_taken',
			'Beslutet är inte fattat ännu; en reservation anmäls när beslutet har fattats.'
		);
		for (const name of ['Anna Lindqvist', 'Sara Holmberg', 'Mikael Ekström'])
			expect((await demo.record(name, { kind: 'bifall', target: baseline })).status).toBe(201);
	});

	it('keeps the propositionsordning in order and votes only after it is fixed', async () => {
		const sd = await demo.yrkande('SD');
		const main = {
			kind: 'main',
			alternatives: [{ type: 'baseline' }, { type: 'yrkande', draftId: sd.id }, { type: 'yrkande', draftId: vYrkande }]
		};
		const formal = {
			kind: 'formal',
			alternatives: [{ type: 'avgora_idag' }, { type: 'aterremiss', partyIds: ['C'], referTo: 'stadsledningskontoret' }]
		};
		refused(
			await demo.call(CLERK, 'PUT', '/meeting/propositionsordning', { questions: [main, formal] }),
			422,
			'invalid_record',
			'Yrkanden om återremiss och bordläggning ska avgöras före huvudfrågan.'
		);
		refused(
			await demo.call(CLERK, 'PUT', '/meeting/propositionsordning', {
				questions: [{ kind: 'main', alternatives: [{ type: 'baseline' }, { type: 'yrkande', draftId: sWithdrawn }] }]
			}),
			422,
			// a withdrawn yrkande is its own party's history only: to the clerk it is like any unsubmitted one
			'not_submitted',
			'Bara inlämnade yrkanden kan ställas under proposition.'
		);
		const set = await demo.call(CLERK, 'PUT', '/meeting/propositionsordning', { questions: [main] });
		expect(set.status, JSON.stringify(set.body)).toBe(200);
		const questionId = set.body.meeting.questions[0].id;
		refused(
			await demo.call(CLERK, 'POST', '/meeting/voteringar', {
				questionId,
				rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes: {} }]
			}),
			422,
			'invalid_record',
			'Propositionsordningen måste fastställas innan votering.'
		);
		expect((await demo.call(CLERK, 'POST', '/meeting/propositionsordning/lock')).status).toBe(200);
		refused(
			await demo.record('Sara Holmberg', { kind: 'avslag', target: { type: 'yrkande', draftId: sd.id } }),
			409,
			'positions_frozen',
			'Propositionsordningen är fastställd; ställningstaganden till förslagen kan inte längre ändras.'
		);
		const mine = (await demo.positionsSeenBy('Sara Holmberg')).find(
			(p) => p.memberName === 'Sara Holmberg' && p.kind === 'bifall'
		)!;
		refused(
			await demo.call('Sara Holmberg', 'DELETE', `/positions/${mine.id}`),
			409,
			'positions_frozen',
			'Propositionsordningen är fastställd; ställningstaganden till förslagen kan inte längre ändras.'
		);
		refused(
			await demo.call(CLERK, 'PUT', '/meeting/attendance', { entries: [] }),
			409,
			'positions_frozen',
			'Propositionsordningen är fastställd; tjänstgöringen kan inte längre ändras.'
		);
	});
});

describe('the votering and the reservations', () => {
	let questionId: string;
	const ids = async (...names: string[]) => Promise.all(names.map((n) => demo.memberId(n)));
	const votes = async (groups: [string[], string][]) => {
		const out: Record<string, string> = {};
		for (const [names, vote] of groups) for (const id of await ids(...names)) out[id] = vote;
		return out;
	};

	it('refuses votes of those who may not vote, and a tie without the chair', async () => {
		questionId = (await demo.call(CLERK, 'GET', '/meeting')).body.meeting.questions[0].id;
		const attempt = async (who: string) =>
			demo.call(CLERK, 'POST', '/meeting/voteringar', {
				questionId,
				rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes: await votes([[[who], 'ja']]) }]
			});
		refused(await attempt('Johan Berglund'), 422, 'jav', 'Johan Berglund är jävig i ärendet och kan inte rösta.');
		refused(
			await attempt('Per Åkesson'),
			422,
			'not_participating',
			'Per Åkesson deltar inte i beslutet och kan inte rösta.'
		);
		refused(await attempt('Jonas Fält'), 422, 'not_serving', 'Jonas Fält tjänstgör inte i ärendet och kan inte rösta.');
		refused(
			await demo.call(CLERK, 'POST', '/meeting/voteringar', {
				questionId,
				rounds: [
					{
						kind: 'huvudvotering',
						ja: 0,
						nej: 1,
						votes: await votes([
							[['Anna Lindqvist'], 'ja'],
							[['Daniel Strand'], 'nej']
						])
					}
				]
			}),
			422,
			'invalid_record',
			'Lika röstetal: ordförandens utslagsröst måste antecknas.'
		);
	});

	it('keeps the counter-proposition round apart from the huvudvotering', async () => {
		// SD against V first: S and V for V's yrkande, Karin Vik (MP) abstains; then V's yrkande against
		// stadsledningskontorets förslag, where SD abstains and Mikael Ekström (S) does not vote
		const r = await demo.call(CLERK, 'POST', '/meeting/voteringar', {
			questionId,
			rounds: [
				{
					kind: 'kontraproposition',
					ja: 1,
					nej: 2,
					votes: await votes([
						[['Daniel Strand', 'Malin Öberg'], 'ja'],
						[['Elin Sandberg', 'Ahmed Karimi', 'Anna Lindqvist', 'Mikael Ekström', 'Sara Holmberg'], 'nej'],
						[['Karin Vik'], 'avstar']
					])
				},
				{
					kind: 'huvudvotering',
					ja: 0,
					nej: 2,
					votes: await votes([
						[['Anna Lindqvist', 'Sara Holmberg', 'Karin Vik'], 'ja'],
						[['Elin Sandberg', 'Ahmed Karimi'], 'nej'],
						[['Daniel Strand', 'Malin Öberg'], 'avstar']
					])
				}
			]
		});
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		const q = r.body.meeting.questions[0];
		expect(q.votering.rounds.map((x: { kindLabel: string; tally: object }) => [x.kindLabel, x.tally])).toEqual([
			['Kontrapropositionsvotering', { ja: 2, nej: 5, avstar: 1, winner: 'nej', castingVote: false }],
			['Huvudvotering', { ja: 3, nej: 2, avstar: 2, winner: 'ja', castingVote: false }]
		]);
		expect(q.outcome).toMatchObject({ decided: true, winnerLabel: 'Stadsledningskontorets förslag' });
		refused(
			await demo.call(CLERK, 'POST', '/meeting/voteringar', {
				questionId,
				rounds: [{ kind: 'huvudvotering', ja: 0, nej: 1, votes: {} }]
			}),
			422,
			'invalid_record',
			'Frågan har redan en votering; ta bort den för att rätta den.'
		);
	});

	it('lets only those who took part in the final decision reserve', async () => {
		const reserve = (name: string, who = name) => demo.record(name, { kind: 'reservation', target: wholeCase }, who);
		expect((await reserve('Elin Sandberg')).status).toBe(201);
		// abstained in the counter-proposition round, voted in the huvudvotering
		expect((await reserve('Karin Vik')).status).toBe(201);
		refused(
			await reserve('Daniel Strand'),
			422,
			'abstained_final',
			'Daniel Strand avstod från att rösta i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.'
		);
		refused(
			await reserve('Mikael Ekström'),
			422,
			'absent_final',
			'Mikael Ekström röstade inte i huvudvoteringen och deltog därför inte i beslutet; bara den som deltagit i beslutet kan reservera sig.'
		);
		refused(
			await reserve('Johan Berglund', CLERK),
			422,
			'jav',
			'Johan Berglund är jävig i ärendet och kan därför inte reservera sig.'
		);
		refused(
			await reserve('Per Åkesson', secretaryOf('M')),
			422,
			'not_participating',
			'Per Åkesson deltar inte i beslutet och kan därför inte reservera sig.'
		);
		refused(
			await reserve('Jonas Fält'),
			422,
			'not_serving',
			'Jonas Fält är ersättare men tjänstgör inte i ärendet och kan därför inte reservera sig.'
		);
	});

	it('takes the written motivation up to and including the justering day', async () => {
		const elin = (await demo.positionsSeenBy('Elin Sandberg')).find(
			(p) => p.memberName === 'Elin Sandberg' && p.kind === 'reservation'
		)!;
		const yesterday = daysFromNow(-1);
		expect((await demo.call(CLERK, 'PUT', '/meeting/justering', { justeringDate: yesterday })).status).toBe(200);
		refused(
			await demo.call(secretaryOf('V'), 'PUT', `/positions/${elin.id}/motivation`, { motivation: 'Sent.' }),
			422,
			'motivation_late',
			`Den skriftliga motiveringen skulle ha lämnats senast på justeringsdagen ${yesterday}.`
		);
		expect((await demo.call(CLERK, 'PUT', '/meeting/justering', { justeringDate: daysFromNow(2) })).status).toBe(200);
		const ok = await demo.call(secretaryOf('V'), 'PUT', `/positions/${elin.id}/motivation`, { motivation: 'I tid.' });
		expect(ok.status).toBe(200);
		expect(ok.body.position).toMatchObject({ detailText: 'Motivering: I tid.', onBehalf: false });
		const [audit] = await server.deps.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'position.motivation'), eq(auditEvents.subjectId, elin.id)));
		expect(audit).toMatchObject({ onBehalfOfId: await demo.memberId('Elin Sandberg'), partyId: 'V' });
	});

	it('changes nothing after the item is closed', async () => {
		expect((await demo.call(CLERK, 'POST', '/meeting/close')).status).toBe(200);
		refused(
			await demo.record('Anna Lindqvist', { kind: 'protokollsanteckning', target: wholeCase, text: 'Sent.' }),
			409,
			'meeting_closed',
			'Sammanträdet är avslutat; inga ställningstaganden kan längre ändras.'
		);
		refused(
			await demo.call(CLERK, 'POST', '/meeting/close'),
			409,
			'meeting_closed',
			'Sammanträdet är avslutat; protokollet kan inte längre ändras.'
		);
		const summary = (await demo.call('Daniel Strand', 'GET', '/meeting')).body.meeting.summary;
		expect(summary).toBe(
			'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag efter votering 3–2. ' +
				'Yrkandet från SD avslogs. Yrkandet från V avslogs. ' +
				'Johan Berglund (S) anmälde jäv och deltog inte i handläggningen. ' +
				'M deltog inte i beslutet. SD avstod från att rösta. ' +
				'Reservation: Elin Sandberg (V); Karin Vik (MP).'
		);
	});
});
