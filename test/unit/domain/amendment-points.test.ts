import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	amendmentPoint,
	otherwiseApprovePoint,
	type ItemReference,
	type PointInput
} from '../../../server/domain/amendment-points';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');
const between = (start: string, end: string) => {
	const i = fixture.indexOf(start);
	return fixture.slice(i, fixture.indexOf(end, i) + end.length);
};
const planning = between('Stadsledningskontoret kommer att arbeta för att nå målet till exempel', 'stärka synergier.');
const POINT_3 = between('Stadsledningskontorets förslag till interna regler', 'tjänsteutlåtande, fastställs.').replace(
	/\s+/g,
	' '
);
const CLIMATE_GOAL = 'Göteborg ska vara ledande i klimatomställningen och ha en hög biologisk mångfald';

const point = (
	item: ItemReference & { text: string; values?: Record<string, number | null> },
	amendment: Partial<PointInput['amendment']> & Pick<PointInput['amendment'], 'op'>,
	options?: Parameters<typeof amendmentPoint>[1]
) => amendmentPoint({ item, amendment: { text: '', values: {}, ...amendment } }, options).text;

const planningItem = {
	kind: 'goal' as const,
	title: CLIMATE_GOAL,
	section: 'Stadsledningskontorets planering',
	text: planning
};

describe('amendmentPoint: decision points of the tjänsteutlåtande', () => {
	it('writes a changed point with its number, the old and the new wording', () => {
		expect(
			point(
				{ kind: 'decision_point', number: '3', text: POINT_3 },
				{ op: 'change', text: POINT_3.replace('fastställs', 'återremitteras') }
			)
		).toBe(
			`Punkt 3 i stadsledningskontorets förslag, ”${POINT_3}”, ändras till: ”${POINT_3.replace('fastställs', 'återremitteras')}”`
		);
	});

	it('writes a struck point', () => {
		expect(point({ kind: 'decision_point', number: '3', text: POINT_3 }, { op: 'strike' })).toBe(
			'Punkt 3 i stadsledningskontorets förslag stryks.'
		);
	});

	it('writes a point added after another', () => {
		expect(
			point(
				{ kind: 'decision_point', number: '2', text: 'x' },
				{
					op: 'insert_after',
					text: 'Kommunstyrelsen får i uppdrag att avbryta allt samarbete med muslimska Samverkansgruppen.'
				}
			)
		).toBe(
			'Efter punkt 2 i stadsledningskontorets förslag läggs till: ”Kommunstyrelsen får i uppdrag att avbryta allt samarbete med muslimska Samverkansgruppen.”'
		);
	});

	it('names another source when the point is someone else’s proposal', () => {
		expect(
			point({ kind: 'decision_point', number: '1', source: 'S, V och MP:s yrkande', text: 'x' }, { op: 'strike' })
		).toBe('Punkt 1 i S, V och MP:s yrkande stryks.');
	});

	it('adds a full stop after a quote that lacks one', () => {
		expect(
			point(
				{ kind: 'decision_point', number: '1', text: 'Budgeten fastställs' },
				{ op: 'change', text: 'Budgeten avslås' }
			)
		).toBe('Punkt 1 i stadsledningskontorets förslag, ”Budgeten fastställs”, ändras till: ”Budgeten avslås”.');
	});

	it('keeps the decision level of the item, KS by default', () => {
		const item = { kind: 'decision_point' as const, number: '1', text: 'x' };
		expect(amendmentPoint({ item, amendment: { op: 'strike', text: '', values: {} } }).level).toBe('ks');
		expect(
			amendmentPoint({ item: { ...item, level: 'ks_kf' }, amendment: { op: 'strike', text: '', values: {} } }).level
		).toBe('ks_kf');
	});
});

describe('amendmentPoint: uppdrag, mål and other items', () => {
	it('writes a struck uppdrag by its wording', () => {
		expect(
			point(
				{
					kind: 'assignment',
					title: 'Kommunstyrelsen får i uppdrag att samordna stadens klimatanpassningsarbete',
					text: 'x'
				},
				{ op: 'strike' }
			)
		).toBe('Uppdraget ”Kommunstyrelsen får i uppdrag att samordna stadens klimatanpassningsarbete” stryks.');
	});

	it('quotes a long title by its first words', () => {
		expect(
			point(
				{ kind: 'assignment', title: 'ett två tre fyra fem sex', text: 'x' },
				{ op: 'strike' },
				{ maxTitleWords: 3 }
			)
		).toBe('Uppdraget ”ett två tre …” stryks.');
	});

	it('writes a new uppdrag after another', () => {
		expect(
			point({ kind: 'assignment', title: 'Ta fram en plan', text: 'x' }, { op: 'insert_after', text: 'Nytt uppdrag.' })
		).toBe('Efter uppdraget ”Ta fram en plan” läggs ett nytt uppdrag till: ”Nytt uppdrag.”');
	});

	it('writes new mål, inriktning and riskområde with their own nouns', () => {
		expect(point({ kind: 'goal', title: 'A', text: 'x' }, { op: 'insert_after', text: 'B' })).toBe(
			'Efter målet ”A” läggs ett nytt mål till: ”B”.'
		);
		expect(point({ kind: 'direction', title: 'A', text: 'x' }, { op: 'strike' })).toBe('Inriktningen ”A” stryks.');
		expect(point({ kind: 'risk', title: 'Minskad administration', text: 'x' }, { op: 'strike' })).toBe(
			'Riskområdet ”Minskad administration” stryks.'
		);
	});

	it('gives a short item its new wording whole', () => {
		expect(
			point(
				{ kind: 'direction', title: 'Trygghet', text: 'Trygghet i alla stadsdelar.' },
				{ op: 'change', text: 'Trygghet i hela Göteborg.' }
			)
		).toBe('Inriktningen ”Trygghet” ändras till: ”Trygghet i hela Göteborg.”');
	});
});

describe('amendmentPoint: passages of long texts', () => {
	it('strikes the Agenda 2030 reference of the climate goal’s planning text', () => {
		expect(
			point(planningItem, {
				op: 'change',
				text: planning.replace('med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv ', '')
			})
		).toBe(
			`I avsnittet ”Stadsledningskontorets planering” under målet ”${CLIMATE_GOAL}” stryks ”med utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv”.`
		);
	});

	it('rewords a passage', () => {
		expect(
			point(planningItem, {
				op: 'change',
				text: planning.replace(
					'ett Agenda 2030 hållbarhetsperspektiv',
					'ett socialt och ekologiskt hållbarhetsperspektiv'
				)
			})
		).toBe(
			`I avsnittet ”Stadsledningskontorets planering” under målet ”${CLIMATE_GOAL}” ändras ”Agenda 2030” till ”socialt och ekologiskt”.`
		);
	});

	it('widens the quoted words until they occur once', () => {
		// "ökad" and "för ökad" occur twice in the text ("för ökad kompetens"), "klimatomställning för ökad" once.
		const text = planning.replace('ökad gemensam framdrift', 'gemensam framdrift');
		expect(point(planningItem, { op: 'change', text })).toMatch(/ stryks ”klimatomställning för ökad”\.$/);
	});

	it('quotes a unique word alone', () => {
		const text = planning.replace('inom kontorets ordinarie', 'inom ordinarie');
		expect(point(planningItem, { op: 'change', text })).toMatch(/ stryks ”kontorets”\.$/);
	});

	it('quotes struck punctuation with the word it follows', () => {
		const text = planning.replace('klimatprogrammet, med utgångspunkt', 'klimatprogrammet med utgångspunkt');
		expect(point(planningItem, { op: 'change', text })).toMatch(/ stryks ”klimatprogrammet,”\.$/);
	});

	it('anchors an insertion on the words before it', () => {
		expect(point(planningItem, { op: 'change', text: planning.replace('Agenda 2030', 'FN:s Agenda 2030') })).toMatch(
			/ läggs ”FN:s” till efter ”utgångspunkt i ett”\.$/
		);
	});

	it('anchors an insertion at the very start on the first words', () => {
		expect(point(planningItem, { op: 'change', text: `Under 2025: ${planning}` })).toMatch(
			/ läggs ”Under 2025:” till före ”Stadsledningskontoret kommer att”\.$/
		);
	});

	it('lists up to three passage edits in one point', () => {
		const text = planning
			.replace('Stödet till nämnder', 'Stöd till nämnder')
			.replace('ökad gemensam framdrift', 'gemensam framdrift')
			.replace('som är aktuella', 'som är särskilt aktuella');
		expect(point(planningItem, { op: 'change', text })).toMatch(
			/ görs följande ändringar: ”Stödet” ändras till ”Stöd”; efter ”exempel som är” läggs ”särskilt” till; ”klimatomställning för ökad” stryks\.$/
		);
	});

	it('gives the whole new wording when most of a long text is rewritten', () => {
		expect(point(planningItem, { op: 'change', text: 'Helt ny text.' })).toBe(
			`Avsnittet ”Stadsledningskontorets planering” under målet ”${CLIMATE_GOAL}” ändras till: ”Helt ny text.”`
		);
	});

	it('says so when the amended text is the same', () => {
		expect(point(planningItem, { op: 'change', text: planning })).toMatch(/ändras inte\.$/);
	});
});

describe('amendmentPoint: budget rows', () => {
	const row = { kind: 'budget_row' as const, title: 'Kommunbidrag', section: 'Stadsledningskontoret', text: '' };

	it('writes 285,7 → 280,7 mnkr the Göteborg way', () => {
		expect(
			point(
				{ ...row, subject: 'Kommunbidraget', values: { 'Budget 2025': 285.7 } },
				{ op: 'amounts', values: { 'Budget 2025': 280.7 } }
			)
		).toBe('Kommunbidraget ändras från 285,7 mnkr till 280,7 mnkr.');
	});

	it('names the column when the row has several', () => {
		expect(
			point(
				{ ...row, values: { 'Budget 2024': 282.3, 'Budget 2025': 285.7 } },
				{ op: 'amounts', values: { 'Budget 2025': 280.7 } }
			)
		).toBe('Kommunbidrag för Stadsledningskontoret (Budget 2025) ändras från 285,7 mnkr till 280,7 mnkr.');
	});

	it('lists several changed columns', () => {
		expect(
			point(
				{ ...row, subject: 'Kommunbidraget', values: { 'Budget 2024': 282.3, 'Budget 2025': 285.7 } },
				{ op: 'amounts', values: { 'Budget 2024': 280, 'Budget 2025': 280.7 } }
			)
		).toBe(
			'Kommunbidraget ändras: Budget 2024 från 282,3 mnkr till 280,0 mnkr; Budget 2025 från 285,7 mnkr till 280,7 mnkr.'
		);
	});

	it('uses the unit of the table', () => {
		expect(
			point({ ...row, subject: 'Ramen', unit: 'tkr', values: { x: 4500 } }, { op: 'amounts', values: { x: 2770 } })
		).toBe('Ramen ändras från 4\u00A0500,0 tkr till 2\u00A0770,0 tkr.');
	});

	it('ignores columns given with their baseline value', () => {
		expect(
			point(
				{ ...row, subject: 'Kommunbidraget', values: { 'Budget 2024': 282.3, 'Budget 2025': 285.7 } },
				{ op: 'amounts', values: { 'Budget 2024': 282.3, 'Budget 2025': 280.7 } }
			)
		).toBe('Kommunbidraget (Budget 2025) ändras från 285,7 mnkr till 280,7 mnkr.');
	});
});

describe('otherwiseApprovePoint', () => {
	it('closes an ändringsyrkande', () => {
		expect(otherwiseApprovePoint()).toEqual({
			level: 'ks',
			text: 'I övrigt bifall till stadsledningskontorets förslag.'
		});
	});
});
