import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	type BaselineItemKind,
	type FieldValue,
	type ParsedItem,
	checkTableSums,
	countByKind,
	walkItems
} from '../../../server/domain/baseline';
import { type ParseResult, parseBaselineText } from '../../../server/import/parse';
import { partyDocumentData } from '../../../server/import/party-documents';

const fixture = readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

let result: ParseResult;
beforeAll(() => {
	result = parseBaselineText(fixture);
});

function ofKind(kind: BaselineItemKind, items: ParsedItem[] = result.items): ParsedItem[] {
	return [...walkItems(items)].filter(({ item }) => item.kind === kind).map(({ item }) => item);
}

function field(item: ParsedItem, name: string): FieldValue {
	const v = item.fields?.[name];
	if (v === undefined) throw new Error(`${item.title ?? item.text?.slice(0, 40)} saknar fältet ${name}`);
	return v;
}

/** Text fields: the opening words, the closing words and the number of paragraphs. */
function expectText(v: FieldValue | undefined, opening: string, closing: string, paragraphs = 1) {
	expect(typeof v).toBe('string');
	const s = v as string;
	expect(s.startsWith(opening), `«${s.slice(0, opening.length + 20)}» ska börja med «${opening}»`).toBe(true);
	expect(s.endsWith(closing), `«${s.slice(-closing.length - 20)}» ska sluta med «${closing}»`).toBe(true);
	expect(s.split('\n\n')).toHaveLength(paragraphs);
}

describe('the fixture as a whole', () => {
	it('finds the counts of every kind', () => {
		expect(countByKind(result.items)).toMatchObject({
			decision_point: 4,
			goal: 7,
			direction: 8,
			assignment: 22,
			table: 2,
			table_row: 32,
			risk: 8,
			control: 4,
			timeplan_row: 12,
			party_document: 0
		});
		expect(result.partyDocuments).toHaveLength(3);
		expect(result.warnings).toEqual([]);
	});

	it('reads the tjänsteutlåtande and four bilagor as the top-level sections', () => {
		expect(result.items.map((i) => [i.label, i.title])).toEqual([
			['Tjänsteutlåtande', 'Budget 2025 för kommunstyrelsen'],
			['Bilaga 1', 'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen'],
			[
				'Bilaga 2',
				'Stadsledningskontorets förslag till samlad riskbild och intern kontrollplan 2025 för kommunstyrelsen'
			],
			[
				'Bilaga 3',
				'Stadsledningskontorets förslag till interna regler och riktlinjer för ekonomiska uppföljning och överföring av eget kapital 2025 för kommunstyrelsen'
			],
			[
				'Bilaga 4',
				'Stadsledningskontorets förslag till tid- och arbetsplan för planerings- och uppföljningsarbetet 2025 för kommunstyrelsen'
			]
		]);
	});

	it('numbers the sections of bilaga 1 as the document does, the repeated 2.2 included', () => {
		const b1 = result.items[1];
		const numbered = [...walkItems(b1.children ?? [])]
			.filter(({ item }) => item.kind === 'section' && item.label)
			.map(({ item, depth }) => `${'  '.repeat(depth)}${item.label} ${item.title}`);
		expect(numbered).toEqual([
			'1. Inledning',
			'2.0 Mål, uppdrag och inriktningar till kommunstyrelsen',
			'  2.1 Göteborgs stads övergripande mål',
			'  2.2 Inriktningar i genomförandeplanen',
			'  2.2 Uppdrag i kommunstyrelsens genomförandeplan',
			'  2.3 Uppdrag i budget från tidigare år',
			'  2.4 Löpande uppdrag utanför budget',
			'  2.5 Pågående arbete/utveckling',
			'3.0 Stadsledningskontorets grunduppdrag',
			'  3.1 Stadsledningskontorets grunduppdrag',
			'  3.2 Ledning och styrning',
			'  3.3 Ekonomi'
		]);
	});

	it('keeps the numbered list of section 2.1 a list, not headings', () => {
		const s21 = [...walkItems(result.items)].find(({ item }) => item.label === '2.1')!.item;
		const list = (s21.children ?? []).filter((c) => c.kind === 'list_item');
		expect(list.map((l) => [l.label, l.text])).toEqual([
			['1', 'Aktivt driva, samordna och genomföra aktiviteter i hela-staden perspektivet för att nå måluppfyllelse'],
			[
				'2',
				'Följa utvecklingen i hela-staden perspektivet genom att följa upp, ge styrinformation till kommunstyrelsen, beakta i beredningsarbete av uppdrag, utredningar mm.'
			]
		]);
	});

	it('marks where each item came from in the source', () => {
		const goal = ofKind('goal')[0];
		expect(goal.source).toEqual({ from: 341, to: 436 });
		const dp = ofKind('decision_point')[0];
		expect(dp.source).toEqual({ from: 134, to: 135 });
	});
});

describe('the tjänsteutlåtande', () => {
	it('reads its metadata', () => {
		expect(result.meta).toEqual({
			title: 'Budget 2025 för kommunstyrelsen',
			documentType: 'Tjänsteutlåtande',
			issuer: 'Stadsledningskontoret',
			issued: '2024-11-28',
			caseNumber: 'SLK-2024-00738',
			handlaggare: 'Elisabeth Kylmänen',
			phone: '031-3680110',
			email: 'elisabeth.kylmanen@stadshuset.goteborg.se'
		});
		expect(result.items[0].fields).toEqual({
			Dokumenttyp: 'Tjänsteutlåtande',
			Förvaltning: 'Stadsledningskontoret',
			Utfärdat: '2024-11-28',
			Ärendenummer: 'SLK-2024-00738',
			Handläggare: 'Elisabeth Kylmänen',
			Telefon: '031-3680110',
			'E-post': 'elisabeth.kylmanen@stadshuset.goteborg.se',
			Underskrifter: ['Aya Norvell, Chef för område kontorsledning', 'Eva Hessman, Stadsdirektör']
		});
	});

	it('reads the four points of "Förslag till beslut", all decided by KS itself', () => {
		const points = ofKind('decision_point');
		expect(points.map((p) => [p.label, p.level, p.text])).toEqual([
			[
				'1',
				'ks',
				'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen, i enlighet med bilaga 1 till stadsledningskontorets tjänsteutlåtande, fastställs.'
			],
			[
				'2',
				'ks',
				'Stadsledningskontorets förslag till samlad riskbild och interkontrollplan 2025, i enlighet med bilaga 2 till stadsledningskontorets tjänsteutlåtande, fastställs.'
			],
			[
				'3',
				'ks',
				'Stadsledningskontorets förslag till interna regler och riktlinjer för ekonomisk uppföljning och överföring av eget kapital, i enlighet med bilaga 3 till stadsledningskontorets tjänsteutlåtande, fastställs.'
			],
			[
				'4',
				'ks',
				'Stadsledningskontorets förslag till tid- och arbetsplan för planerings- och uppföljningsarbetet 2025, i enlighet med bilaga 4 till stadsledningskontorets tjänsteutlåtande, fastställs.'
			]
		]);
	});

	it('reads its sections, the bilagor as a list, and leaves the header block out of the text', () => {
		const tu = result.items[0];
		expect((tu.children ?? []).map((c) => c.title)).toEqual([
			'Förslag till beslut',
			'Sammanfattning',
			'Bedömning ur ekonomisk dimension',
			'Bedömning ur ekologisk och social dimension',
			'Samverkan',
			'Bilagor',
			'Ärendet'
		]);
		const bilagor = tu.children!.find((c) => c.title === 'Bilagor')!;
		expect(bilagor.children!.map((c) => [c.label, c.text])).toEqual([
			['1', 'Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen.'],
			['2', 'Stadsledningskontorets förslag till samlad riskbild och intern kontrollplan 2025 för kommunstyrelsen.'],
			[
				'3',
				'Stadsledningskontorets förslag till interna regler och riktlinjer för ekonomiska uppföljning och överföring av eget kapital 2025 för kommunstyrelsen'
			],
			[
				'4',
				'Stadsledningskontorets förslag till tid- och arbetsplan för planerings- och uppföljningsarbetet 2025 för kommunstyrelsen.'
			]
		]);
		const texts = [...walkItems(tu.children ?? [])].map(({ item }) => item.text ?? '').join('\n');
		expect(texts).not.toContain('Handläggare');
		expect(texts).not.toContain('Eva Hessman');
		const economy = tu.children!.find((c) => c.title === 'Bedömning ur ekonomisk dimension')!;
		expect(economy.children![0].text).toMatch(/^Kommunledningen budgeterar ett nollresultat 2025\./);
		expect(economy.children![0].text).toMatch(/i den politiska verksamheten\.$/);
	});
});

describe('mål', () => {
	const goals: {
		title: string;
		parts: [string, string, string, number][];
		styrdokument?: string[];
	}[] = [
		{
			title:
				'Göteborgs ska vara en jämlik och trygg stad där alla invånare ges inflytande och möjlighet till delaktighet',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom att exempelvis genomföra demokratifrämjande insatser',
					'är viktiga verktyg för måluppfyllelsen.',
					1
				],
				[
					'Nuläge',
					'Stadsledningskontoret har tagit fram ett förslag till nytt program för jämlika livsvillkor',
					'behöver förstärka kapaciteten att motverka brott och öka tryggheten.',
					4
				],
				[
					'Stadsledningskontorets planering',
					'Som en följd av det osäkra omvärldsläget samt nya krav i lagstiftning',
					'omhänderta riskerna av ett förändrat klimat.',
					5
				]
			],
			styrdokument: [
				'Göteborgs Stads program för full delaktighet för personer med funktionsnedsättning',
				'Göteborgs Stads trygghetsskapande och brottsförebyggande program',
				'Göteborgs Stads handlingsplan för att inga områden ska vara särskilt utsatta 2025',
				'Göteborgs Stads handlingsplan för att motverka nyrekrytering, gängkriminalitet och utveckling av parallella samhällen',
				'Göteborgs Stads plan för att motverka tystnadskulturer',
				'Göteborgs Stads plan för arbetet med civil beredskap och riktlinjen för höjd beredskap'
			]
		},
		{
			title: 'Segregationen i Göteborgs ska brytas',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom exempelvis ansvaret för att följa upp',
					'bidra till utveckling i alla delar av staden.',
					1
				],
				[
					'Nuläge',
					'Segregationen i Göteborg är fortsatt betydande och livsvillkoren skiljer sig stort',
					'Målet att bryta segregationen är nära sammankopplat till målet om en jämlik och trygg stad.',
					2
				],
				[
					'Stadsledningskontorets planering',
					'Stadsledningskontoret fortsätter arbetet med att samordna, driva och följa stadens arbete med budgetmålet.',
					'inklusive alla integrationsinsatser kommer att följas upp.',
					1
				]
			],
			styrdokument: [
				'Göteborgs Stads trygghetsskapande och brottsförebyggande program',
				'Göteborgs stads handlingsplan för att inga områden ska vara särskilt utsatta 2025',
				'Göteborgs Stads handlingsplan för att stoppa nyrekrytering, gängkriminalitet och utvecklingen av parallella samhällen.'
			]
		},
		{
			title: 'Göteborg ska klara kompetensförsörjningen',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom ett löpande analysarbete och omvärldsbevakning',
					'som ett sätt att behålla personal och bidra till ökad trivsel på arbetet.',
					1
				],
				[
					'Nuläge',
					'Staden har idag utmaningar att bemanna och kompetensförsörja verksamheterna.',
					'enligt de prognoser och analyser som stadsledningskontoret har tagit fram.',
					1
				],
				[
					'Stadsledningskontorets planering',
					'Stadsledningskontoret driver stadens kompetensförsörjningsarbete genom stadens plan för kompetensförsörjning',
					'personer med funktionsnedsättning ska få möjlighet till ökad sysselsättning',
					3
				]
			],
			styrdokument: [
				'Göteborgs Stads plan för kompetensförsörjning 2024–2026',
				'Göteborgs Stads plan för att motverka tystnadskulturer 2023–2025',
				'Göteborgs Stads plan för digitalisering 2023–2026'
			]
		},
		{
			title: 'Göteborg ska byggas ihop till en grön och levande stad utan bostadsbrist',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom att exempelvis bidra med kompetens i vissa större projekt så som Sverigeförhandlingen, Göteborg-Borås-banan',
					'för att förbättra samordning och framdrift av investeringar',
					1
				],
				[
					'Nuläge',
					'Stadsledningskontoret bidrar i första hand i arbetet för ökad måluppfyllelse utifrån fastställd styrning.',
					'Ett samhälle anpassat till klimatförändringarna.',
					2
				],
				[
					'Stadsledningskontorets planering',
					'Under 2025 fortgår stadsledningskontorets uppdrag att leda och samordna arbetet med klimatanpassningsplanen',
					'i syfte att förbättra och utveckla rapporteringen.',
					5
				]
			]
		},
		{
			title: 'Göteborg ska vara ledande i klimatomställningen och ha en hög biologisk mångfald',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom exempelvis stöd vid implementering av klimatbudget och hållbarhetsredovisning.',
					'Kommunstyrelsen ska eftersträva ett minimalt ekologiskt fotavtryck för sin verksamhet',
					1
				],
				[
					'Nuläge',
					'Stadsledningskontoret driver i första hand arbetet för ökad måluppfyllelse utifrån fastställd styrning.',
					'är beroende av ett stadenövergripande samarbete på flera områden.',
					2
				],
				[
					'Stadsledningskontorets planering',
					'Stadsledningskontoret kommer att arbeta för att nå målet till exempel genom stöd vid implementering av klimatbudget i nämnderna.',
					'som kontorets direkta miljöpåverkan ska fortsätta att minska.',
					2
				]
			]
		},
		{
			title: 'Göteborgs Stad ska ha en välfärd som möter göteborgarnas behov',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ska arbeta för att nå målet genom exempelvis översynen av modellen för befolkningsförändringar.',
					'som påverkar välfärdens grundläggande förutsättningar.',
					1
				],
				[
					'Nuläge',
					'Stadsledningskontoret bidrar i första hand i arbetet för ökad måluppfyllelse utifrån fastställd styrning.',
					'stöttar i aktuella frågeställningar och utvecklingsarbeten.',
					1
				],
				[
					'Stadsledningskontorets planering',
					'Under 2025 kommer kontoret se över nuvarande resursfördelningsmodell för socialnämnderna',
					'fångar förändringar i välfärdens grundläggande förutsättningar.',
					2
				]
			]
		},
		{
			title: 'Göteborgs Stad ska ge sina anställda en bra arbetsmiljö och goda arbetsvillkor',
			parts: [
				[
					'Från genomförandeplanen',
					'Kommunstyrelsen ansvarar för personalpolitiken på övergripande nivå och ska stötta nämnder och bolagsstyrelser i personalfrågor. Genom kommunstyrelsens personalutskott ska arbetsmiljö- och arbetsvillkorsfrågor hanteras löpande och fördjupat, exempelvis genom uppföljning av löneskillnader',
					'alla anställda ges rätt förutsättningar för att kunna utföra sitt arbete.',
					2
				],
				[
					'Nuläge',
					'Göteborgs Stad har ett väl utvecklat systematiskt arbetsmiljöarbete',
					'identifiera eventuella osakliga löneskillnader och åtgärda dem.',
					2
				],
				[
					'Stadsledningskontorets planering',
					'Stadsledningskontoret fortsätter arbetet med att möjliggöra att insatser och åtgärder inom arbetsmiljöområdet',
					'verksamhetsnära lärande som även bidrar till en flexibel bemanning.',
					6
				]
			],
			styrdokument: [
				'Göteborgs Stads plan för kompetensförsörjning',
				'Göteborgs Stads plan för att motverka tystnadskulturer',
				'Göteborgs stads policy för arbetsmiljö, medarbetarskap och chefskap',
				'Göteborgs stads riktlinje för arbetsmiljö, medarbetarskap och chefskap',
				'Göteborgs Stads policy för digitalisering och IT'
			]
		}
	];

	it('finds the seven mål in order, under 2.1', () => {
		expect(ofKind('goal').map((g) => g.title)).toEqual(goals.map((g) => g.title));
	});

	it.each(goals.map((g, i) => [i + 1, g] as const))('reads the parts of mål %i', (i, expected) => {
		const goal = ofKind('goal')[i - 1];
		const names = expected.parts.map(([n]) => n);
		if (expected.styrdokument) names.push('Viktiga styrdokument');
		expect(Object.keys(goal.fields ?? {})).toEqual(names);
		for (const [name, opening, closing, paragraphs] of expected.parts) {
			expectText(field(goal, name), opening, closing, paragraphs);
		}
		if (expected.styrdokument) expect(field(goal, 'Viktiga styrdokument')).toEqual(expected.styrdokument);
	});
});

describe('inriktningar', () => {
	it('reads each paragraph of 2.2 Inriktningar as one inriktning', () => {
		const directions = ofKind('direction');
		expect(directions.map((d) => d.text!.slice(0, 70))).toEqual([
			'Kommunstyrelsen ska i huvudsak arbeta efter inriktningarna i Göteborgs',
			'Under kommande år ska kommunstyrelsen öka arbetet med att stötta nämnd',
			'Krisberedskapsrelaterade uppgifter och förbättringar av den civila ber',
			'Det strategiska brottsförebyggande arbetet är en viktig del av kommuns',
			'Kommunstyrelsen ska fortsatt bidra till att minska Göteborgs Stads IT-',
			'Kommunstyrelsen ska i dialog med nämnden för Intraservice säkerställa ',
			'Kommunstyrelsen ska säkerställa att nämndens egna lokaler är fullt til',
			'Kommunstyrelsen ska bidra till att uppmärksamma att Win Win Sustainabi'
		]);
		// "fö r att" in the PDF text is one word broken by a stray space.
		expect(directions[5].text).toContain('det stöd de behöver för att utveckla den nya styrningen inom MR-området');
		expect(directions[7].text).toBe(
			'Kommunstyrelsen ska bidra till att uppmärksamma att Win Win Sustainability Award firar 25 år.'
		);
	});
});

describe('uppdrag', () => {
	const plan = 'Plan för rapportering';
	const current: [string, string, Record<string, string>?][] = [
		[
			'Miljö- och klimatnämnden och kommunstyrelsen får i uppdrag att bistå övriga nämnder och bolagsstyrelser i det fortsatta arbetet med implementeringen av klimatbudget och hållbarhetsredovisning.',
			'Krävs dialog med miljö- och klimatnämnden. Stadsledningskontoret planerar genomförandet av uppdraget tillsammans med miljöförvaltningen och Göteborgs Stadshus AB.'
		],
		[
			'Kommunstyrelsen får i uppdrag att i samverkan med samtliga nämnder och bolagsstyrelser utveckla det systematiska arbetsmiljöarbetet.',
			'KS 2025-04-23, delrapportering i delårsrapport mars för kommunstyrelsen.'
		],
		[
			'Kommunstyrelsen får i uppdrag att ta över och genomföra utbildningarna inom mänskliga rättigheter från nämnden för Intraservice',
			'En samlad redovisning av ny styrning av arbetet med mänskliga rättigheter lämnas på sid 19 under rubriken pågående arbete/utveckling.\n\nKS 2025-04-23, delrapportering i delårsrapport mars för kommunstyrelsen.'
		],
		[
			'Kommunstyrelsen får i uppdrag att i samverkan med förskolenämnden och grundskolenämnden genomföra en kartläggning och forskningsstudie tillsammans med akademin för att undersöka det genomsnittliga ordförrådet för barn i fyra- och sjuårsåldern i olika stadsdelar.',
			'Delrapportering under våren, rapport KS Q4 2025'
		],
		[
			'Kommunstyrelsen får i uppdrag att samordna och följa upp Göteborgs stads arbete för att motverka segregation inklusive alla integrationsinsatser.',
			'Löpande rapportering i uppföljningsrapporter'
		],
		[
			'Kommunstyrelsen får i uppdrag att utreda hur Göteborgs Stad kan bli en bättre arbetsgivare för personer med neuropsykiatriska diagnoser.',
			'KS Q4 2025'
		],
		[
			'Kommunstyrelsen och inköps- och upphandlingsnämnden får i uppdrag att utarbeta och införa ett kommungemensamt arbetssätt',
			'Krävs dialog med inköps- och upphandlingsnämnden. Stadsledningskontoret planerar genomförandet av uppdraget tillsammans med inköps – och upphandlingsförvaltningen.'
		],
		[
			'Kommunstyrelsen får i uppdrag att föreslå en reviderad modell för nämnder som idag får kompensation för befolkningsförändringar',
			'Förutsättningar för budget 2026–2028, KS maj 2025'
		],
		[
			'Kommunstyrelsen får i uppdrag att i samverkan med stadsmiljönämnden erbjuda gröna obligationer inom biologisk mångfald.',
			'KS 2025-04-23, delrapportering i delårsrapport mars för kommunstyrelsen.'
		],
		[
			'Kommunstyrelsen får i uppdrag att genomföra en översyn och föreslå tillägg till resursfördelningsmodellen',
			'Förutsättningar för budget 2026–2028, maj 2025'
		],
		[
			'Alla nämnder och bolagsstyrelsen får i uppdrag att säkerställa en hållbar livscykelhantering av bärbar elektronik.',
			// "KS 2025-09- 24" in the PDF text: a stray space inside the date
			'KS 2025-09-24, i delårsrapport augusti för kommunstyrelsen'
		],
		[
			'Alla nämnder och bolagsstyrelser får i uppdrag att analysera sina inköp utifrån Göteborgs Stads spendrapport',
			'KS 2025-09-24, i delårsrapport augusti för kommunstyrelsen'
		],
		[
			'Stadsmiljönämnden får i uppdrag att i samverkan med kommunstyrelsen föreslå hur risker och kostnader för vinterväghållningen kan hanteras.',
			'Förutsättningar för budget 2026–2028, KS maj 2025.',
			{
				Kommentar:
					'Uppdraget från Göteborgs Stads budget är inte med i genomförandeplanen men finns med här för att informera kommunstyrelsen om planeringen.'
			}
		],
		[
			'Kommunstyrelsen får i uppdrag att i arbetet med budget 2026 använda kvalitativa och kvantitativa metoder för jämställdhetsbudgetering',
			'Stadsledningskontoret tolkar uppdraget som att det avser det stadenövergripande budgetarbetet och planerar att återkomma i frågan under våren 2025.'
		]
	];
	const earlier: [string, string, Record<string, string>][] = [
		[
			'Kommunstyrelsen får i uppdrag att planera en ny budgetprocess för mandatperioden där respektive budgetkonstellation har goda möjligheter att styra respektive opponera på budgeten',
			'KS 2025-02-05, i kommunstyrelsens årsrapport 2024',
			{ Budgetår: '2023', Ärende: 'dnr 0202/23' }
		],
		[
			'Kommunstyrelsen får i uppdrag att säkerställa att ett kollektivavtal mot kränkningar och trakasserier tecknas under 2023',
			'Löpande rapportering sker i personalutskottet\n\nTid för rapportering: KS Q3 2025',
			{
				Budgetår: '2023',
				Ärende: 'dnr 1443/22',
				Status:
					'rapportering har gjorts i delårsrapport augusti 2023 för kommunstyrelsen. Rapporteringen godkändes ej och stadsledningskontoret fick i uppdrag att löpande informera i personalutskottet om omhändertagandet av uppdraget att säkerställa att ett kollektivavtal mot kränkningar och trakasserier tecknas under 2023.'
			}
		],
		[
			'Kommunstyrelsen får i uppdrag ge förslag på hur ansvaret för Göteborgs Stads arbete med mänskliga rättigheter kan samordnas och tydliggöras organisatoriskt',
			'KS 2024-12-11',
			// "SLK-\n2023-01044": hyphenated over the line, the hyphen stays
			{ Budgetår: '2024', Ärende: 'SLK-2023-01044' }
		],
		[
			'Kommunstyrelsen får i uppdrag att uppdatera modellen för normmedvetet arbetssätt och föreslå hur den kan implementeras i fler av Göteborgs Stads verksamheter',
			'KS 2024-12-11',
			{ Budgetår: '2024', Ärende: 'SLK-2023-01039' }
		],
		[
			'Kommunstyrelsen får i uppdrag att utreda hur ojämlikhet mellan olika grupper utifrån diskrimineringsgrunderna kan synliggöras',
			'KS 2024-12-11',
			{ Budgetår: '2024', Ärende: 'SLK-2023-01045' }
		],
		[
			'Kommunstyrelsen får i uppdrag att ta fram förslag på hur Göteborgs Stads plan för stärkta insatser mot rasism 2020–2023 kan förlängas',
			'KS 2024-12-11',
			{ Budgetår: '2024', Ärende: 'SLK-2023-01042' }
		],
		[
			'Kommunstyrelsen får i uppdrag att ta fram en doftpolicy för Göteborgs Stads anställda i brukarnära verksamheter',
			'KS Q1 2025',
			{ Budgetår: '2024', Ärende: 'SLK-2023-01047' }
		],
		[
			'Nämnden för arbetsmarknad och vuxenutbildning och kommunstyrelsen får i uppdrag att i samverkan med relevanta nämnder och bolagsstyrelser återkomma med förslag på åtgärder för att underlätta för fler personer med funktionsnedsättning att erbjudas anställning i Göteborgs Stad efter avslutad arbetsmarknadsinsats',
			'Beror av annan (Arbetsmarknad och vuxenutbildning)',
			{ Budgetår: '2024', Ärende: 'SLK-2023-01063' }
		]
	];

	function section(label: string, title: string) {
		return [...walkItems(result.items)].find(({ item }) => item.label === label && item.title === title)!.item;
	}

	it('reads every row of the genomförandeplan table with its plan för rapportering', () => {
		const s = section('2.2', 'Uppdrag i kommunstyrelsens genomförandeplan');
		const rows = ofKind('assignment', s.children);
		expect(rows).toHaveLength(current.length);
		rows.forEach((row, i) => {
			const [opening, expectedPlan, extra] = current[i];
			expect(row.text!.startsWith(opening), row.text).toBe(true);
			expect(row.fields).toEqual({ [plan]: expectedPlan, ...(extra ?? {}) });
		});
	});

	it('keeps the uppdrag from the nämnd itself under its own heading row', () => {
		const s = section('2.2', 'Uppdrag i kommunstyrelsens genomförandeplan');
		const group = s.children!.find((c) => c.kind === 'section')!;
		expect(group.title).toBe('Uppdrag från nämnden i genomförandeplanen');
		expect(group.children!.map((c) => c.text)).toEqual([
			'Kommunstyrelsen får i uppdrag att i arbetet med budget 2026 använda kvalitativa och kvantitativa metoder för jämställdhetsbudgetering'
		]);
	});

	it('reads the full text of an uppdrag, joining wrapped lines', () => {
		const s = section('2.2', 'Uppdrag i kommunstyrelsens genomförandeplan');
		expect(ofKind('assignment', s.children)[3].text).toBe(
			'Kommunstyrelsen får i uppdrag att i samverkan med förskolenämnden och grundskolenämnden genomföra en kartläggning och forskningsstudie tillsammans med akademin för att undersöka det genomsnittliga ordförrådet för barn i fyra- och sjuårsåldern i olika stadsdelar. Forskningsstudien ska jämföra det genomsnittliga ordförrådet mellan barn i minst ett särskilt utsatt område, ett med lågt, ett med medel och ett med högt socioekonomiskt index. Studien ska föreslå vilka insatser som kan vidtas för att förbättra barns språkutveckling. Återrapportering ska ske till kommunstyrelsen.'
		);
	});

	it('reads the uppdrag from earlier budgets with budget year, ärende and plan', () => {
		const s = section('2.3', 'Uppdrag i budget från tidigare år');
		const rows = ofKind('assignment', s.children);
		expect(rows.map((r) => r.text)).toEqual(earlier.map(([t]) => t));
		rows.forEach((row, i) => expect(row.fields).toEqual({ [plan]: earlier[i][1], ...earlier[i][2] }));
	});
});

describe('economic tables', () => {
	it('reads the personal- och kompetensförsörjning table with its figures', () => {
		const [table] = ofKind('table');
		expect(table.title).toBe('Personal- och kompetensförsörjningsanslaget');
		expect(table.fields).toEqual({ Enhet: 'mnkr' });
		expect(table.columns).toEqual(['Budget 2025']);
		expect(table.children!.map((r) => [r.title, r.values])).toEqual([
			['Bemanning', { 'Budget 2025': 1.0 }],
			['Chefsförsörjning', { 'Budget 2025': 6.6 }],
			['Div. kompetensutveckling', { 'Budget 2025': 1.3 }],
			['Leda och samordna personalpolitiken', { 'Budget 2025': 6.6 }],
			['Total', { 'Budget 2025': 15.5 }]
		]);
		expect(checkTableSums(table).map((c) => [c.row, c.expected, c.actual, c.ok])).toEqual([
			['Total', 15.5, 15.5, true]
		]);
	});

	it('reads the kommunledningen table: every figure, groups, minus signs', () => {
		const table = ofKind('table')[1];
		expect(table.title).toBe('Kommunledningen');
		expect(table.columns).toEqual(['Budget 2024', 'Budget 2025']);
		const rows = (list: ParsedItem[]) =>
			list.filter((r) => r.values).map((r) => [r.title, r.values!['Budget 2024'], r.values!['Budget 2025']]);
		expect(rows(table.children!)).toEqual([
			['Intäkter', 124.0, 124.0],
			['Kostnader', -580.6, -602.0],
			['Kommunbidrag', 395.4, 397.8],
			['Kommuninterna bidrag', 61.2, 80.2],
			['Resultat', 0, 0]
		]);
		const groups = table.children!.filter((r) => !r.values);
		expect(groups.map((g) => [g.title, rows(g.children!)])).toEqual([
			[
				'Politisk organisation',
				[
					['Intäkter', 0.8, 0.8],
					['Kostnader', -113.9, -112.9],
					['Kommunbidrag', 113.1, 112.1],
					['Resultat', 0, 0]
				]
			],
			[
				'Stadsledningskontoret',
				[
					['Intäkter', 43.8, 43.8],
					['Kostnader', -367.4, -394.2],
					['Kommunbidrag', 282.3, 285.7],
					['Kommuninterna bidrag', 41.2, 64.7],
					['Resultat', 0, 0]
				]
			],
			[
				'Personal- och kompetensförsörjning',
				[
					['Intäkter', 0, 0],
					['Kostnader', -20.0, -15.5],
					['Kommunbidrag', 0, 0],
					['Kommuninterna bidrag', 20.0, 15.5],
					['Resultat', 0, 0]
				]
			],
			[
				'Övrig verksamhet',
				[
					['Intäkter', 79.3, 79.3],
					['Kostnader', -79.3, -79.3],
					['Kommunbidrag', 0, 0],
					['Resultat', 0, 0]
				]
			]
		]);
	});

	it('checks the sums of the kommunledningen table: every result and the whole against its parts', () => {
		const checks = checkTableSums(ofKind('table')[1]);
		expect(checks.every((c) => c.ok)).toBe(true);
		// "Resultat" of 5 groups × 2 columns, and the 5 rows of the whole against the groups × 2 columns
		expect(checks).toHaveLength(20);
		const costs = checks.find((c) => c.row === 'Kostnader' && c.column === 'Budget 2025')!;
		expect(costs).toMatchObject({ expected: -601.9, actual: -602.0, ok: true });
	});

	it('reads the amounts of the avrop list', () => {
		const s = [...walkItems(result.items)].find(({ item }) => item.title === 'Avrop från kommuncentrala poster')!.item;
		expect(s.children!.map((c) => [c.title, c.values])).toEqual([
			['Arenauppdraget', { mnkr: 10.0 }],
			['Etablera förutsättningar för AI', { mnkr: 5.0 }],
			['Extern visselblåsarfunktion', { mnkr: 0.7 }],
			['Krisberedskap och civilt försvar, förmågehöjande åtgärder', { mnkr: 15.0 }],
			['LOV3-områden', { mnkr: 34.0 }]
		]);
	});
});

describe('the risk appendix', () => {
	const risks: {
		title: string;
		risk: [string, number];
		consequence: [string, number];
		done: string[];
		planned: string[];
		followUp: string;
	}[] = [
		{
			title: 'Genomförandet av stadsledningskontorets samlade uppdrag',
			risk: ['Risk för kvalitetsbrister i processer och att beslutsunderlag och styrinformation', 2],
			consequence: ['Att kontoret inte kan genomföra grunduppdraget enligt reglemente', 2],
			done: [
				'Stärkt verksamhetsplanering',
				'Systematisk uppföljning och rapportering',
				'Kontinuerlig ledarskapsutveckling',
				'Program för utvecklande medarbetarskap (UM)',
				'Arbetsgrupper, roller och arbetssätt',
				'Ökat samarbetet mellan kontoret och SHAB.',
				'Involverar kompetens från förvaltningar och bolag',
				'Organisationsöversynhar genomfört under 2024'
			],
			planned: [
				'Fortsatt fokus på utvecklande medarbetarskap',
				'Fortsatt arbete med att ständigt värdera',
				'Fortsätta att kommunicera och tydliggöra',
				'Stadsledningskontoret ska öka förståelsen',
				'Revidering av stadens mall för tjänsteutlåtande'
			],
			followUp: 'Uppföljning sker löpande i delårs-och årsrapporter till kommunstyrelsen som nämnd.'
		},
		{
			title: 'Kompetensförsörjning',
			risk: ['Att stadsledningskontoret inte klarar att behålla, utveckla och rekrytera', 1],
			consequence: ['Att leverans inte sker enligt kommunstyrelsens förväntningar', 3],
			done: [
				'Kontoret har aktuella arbetsvärderingar',
				'Kontoret stärker successivt kompetensen',
				'Kompetensförsörjningsplan för att på kort och lång sikt',
				'Kontinuerlig ledarutveckling och utveckling av medarbetarskap.'
			],
			planned: [
				'Stadsledningskontoret följer kontinuerligt',
				'Stadsledningskontoret ska stärka kontorets samlade kompetens.',
				'Kompetensförsörjningsplanen innehåller aktiviteter'
			],
			followUp: 'Uppföljning sker löpande i delårs- och årsrapporter till kommunstyrelsen som nämnd.'
		},
		{
			title: 'Risker i samordningsuppdraget inklusive omfattande, komplicerade uppdrag',
			risk: ['Att ledning och samordning av stadens stora organisation', 1],
			consequence: ['Förvaltning och utvecklingsarbete utifrån förändrade behov', 2],
			done: [
				'Fokus på att samordna förvaltningar och bolag',
				'Fokus på samarbete mellan områden/avdelningar',
				'Kontoret organisation anpassas löpande',
				'Utveckling inom Stadens ledarforum',
				'Fastställd arbetsprocess och ansvar',
				'Ledarskapsutveckling för att öka förmågan',
				'Medaskapsutveckling för att bygga en hållbar organisationskultur'
			],
			planned: [
				'Kontrollera att existerande åtgärder genomförs som planerat',
				'Pågår arbete att inom ramen för utveckling av arbetssätt',
				'Stadsledningskontoret ska fortsätta att utveckla nya arbetssätt'
			],
			followUp: 'Uppföljning sker löpande i delårs-och årsrapporter till kommunstyrelsen som nämnd.'
		},
		{
			title: 'Risker för förtroendeskador och oegentligheter',
			risk: ['Att kontroller brister eller inte utförs.', 4],
			consequence: ['Vid brister finns risk för oegentligheter', 1],
			done: [
				'Information med anvisningar/rutiner',
				'Stödfunktioner finns att tillgå',
				'Utbildningar och genomgångar',
				'Aktualitetsprövning av styrande dokument'
			],
			planned: [
				'Kontroller ska göras enligt fastställd intern kontrollplan.',
				'Brister som framkommer vid interkontroller'
			],
			followUp:
				'Uppföljning sker i delårs-och årsrapporter till kommunstyrelsen som nämnd och aktualitetsprövningen av styrande dokument tas upp i ärende till kommunstyrelsen.'
		},
		{
			title: 'Långsiktig ekonomisk utmaning',
			risk: ['Den långsiktiga ekonomiska utvecklingen är bekymmersamt', 1],
			consequence: ['Befolkningen minskar vilket kan innebära', 1],
			done: [
				'Fokus på samhällsekonomisk och demografisk utveckling',
				'Ny planering- och uppföljningsprocess',
				'Stadens samlade administration har genomlysts.'
			],
			planned: [
				'Vara uthålliga i den ekonomiska uppföljningen.',
				'Befolkningen minskar vilket innebär',
				'Fokus på att utveckla förmågan'
			],
			followUp:
				'Den ekonomiska utvecklingen beskrivs löpande i beslutsunderlag och uppföljning till kommunstyrelsen och kommunfullmäktige'
		},
		{
			title: 'Göteborgs Stads civila beredskap och förmågehöjande arbete',
			risk: ['Risk för att stadsledningskontoret inte förmår öka takten', 1],
			consequence: ['Det rådande säkerhetsläget bedöms fortgå', 1],
			done: [
				'Framtagande av nya styrdokument',
				'Övningar med kommunstyrelsen och med stadsledningskontoret',
				'Aktualitetsprövning av styrande dokument'
			],
			planned: [
				'Förstärka kompetensen inom kontoret',
				'Genomföra övningar kopplade till arbetet',
				'Förankra viktiga styrdokument på kontoret',
				'Utveckla styrdokument'
			],
			followUp:
				'Uppföljning sker i delårs-och årsrapporter till kommunstyrelsen som nämnd och aktualitetsprövningen av styrande dokument tas upp i ärende till kommunstyrelsen.'
		},
		{
			title: 'Informationssäkerhet',
			risk: ['Den digitala utvecklingen innebär ökade risker', 1],
			consequence: ['Utan ett välfungerande informationssäkerhetsarbete', 1],
			done: [
				'Utbildning av kontorets medarbetare',
				'Påbörjad klassning i samband med att dokumenthanteringen ses över'
			],
			planned: [
				'Förstärka kompetensen inom kontoret',
				'Förankra kring riskerna',
				'Genomföra riskanalyser gällande informationssäkerheten',
				'Förstärka incidentrapporteringen',
				'Se över klassning av information'
			],
			followUp:
				'Uppföljning sker i delårs-och årsrapporter till kommunstyrelsen som nämnd och aktualitetsprövningen av styrande dokument tas upp i ärende till kommunstyrelsen.'
		},
		{
			title: 'Minskad administration',
			risk: ['Ökat tryck på minskad administration kräver samordning', 1],
			consequence: ['Utvecklingen i samhället går snabbt framåt', 1],
			done: [
				'Prioriterat och minskat administration på flera områden',
				'Samarbete i administrationen över områdesgränser'
			],
			planned: [
				'Breddande kompetensutveckling och samordning av kompetens för bästa utfall.',
				'Fortsätta att digitalisera och automatisera',
				// continued after a blank line in the PDF text: "… nyttjande \n\nav befintlig kompetens."
				'Utvecklas våra arbetssätt för bästa nyttjande av befintlig kompetens.'
			],
			followUp: 'Uppföljning sker i delårs-och årsrapporter till kommunstyrelsen som nämnd'
		}
	];

	it('finds the eight risk areas of the samlad riskbild in order', () => {
		expect(ofKind('risk').map((r) => r.title)).toEqual(risks.map((r) => r.title));
	});

	it.each(risks.map((r, i) => [i + 1, r] as const))('reads risk area %i', (i, expected) => {
		const r = ofKind('risk')[i - 1];
		expect(Object.keys(r.fields!)).toEqual([
			'Riskbeskrivning',
			'Konsekvensbeskrivning',
			'Genomförda åtgärder',
			'Planerade åtgärder',
			'Uppföljning'
		]);
		const desc = field(r, 'Riskbeskrivning') as string;
		expect(desc.startsWith(expected.risk[0])).toBe(true);
		expect(desc.split('\n\n')).toHaveLength(expected.risk[1]);
		const cons = field(r, 'Konsekvensbeskrivning') as string;
		expect(cons.startsWith(expected.consequence[0])).toBe(true);
		expect(cons.split('\n\n')).toHaveLength(expected.consequence[1]);
		const done = field(r, 'Genomförda åtgärder') as string[];
		expect(done).toHaveLength(expected.done.length);
		done.forEach((d, k) => expect(d.startsWith(expected.done[k]), d).toBe(true));
		const planned = field(r, 'Planerade åtgärder') as string[];
		expect(planned).toHaveLength(expected.planned.length);
		planned.forEach((p, k) => expect(p.startsWith(expected.planned[k]), p).toBe(true));
		expect(field(r, 'Uppföljning')).toBe(expected.followUp);
	});

	const controls: [string, string, string, string, number, string[]][] = [
		[
			'Löneprocessen',
			'Brister i kontroller och att kontroller inte utförs. Risk för oegentligheter.',
			'Fel lön betalas ut.',
			'Genomförda åtgärder',
			4,
			[
				'Stickprovskontroller på löner för att följa upp att rätt lön betalas ut.',
				'Stickprovskontroller på att chefer utfört kontrollerna innan och efter löneutbetalning.'
			]
		],
		[
			'Processen vid nyanställning/avslut av personal',
			'Att konton, behörigheter och DG-listor, inte finns eller tar lång tid att få tillgång till när medarbetare anställs eller inte avslutas när anställda får ändrade roller eller slutar på stadsledningskontoret.',
			'Brister i informationssäkerheten om anställda har tillgång till system de inte behöver i tjänsten, fel behörighetsnivå eller inte avslutas när anställningen upphör.',
			'Existerande åtgärder',
			3,
			[
				'Stickprovskontroller av att anställda som slutat avslutas i system och att konton/behörigheter inte finns kvar.',
				'Genomgång av att kontroller av behörigheter i system dokumenteras.'
			]
		],
		[
			'Inköp och upphandling',
			'Risk för fel vid inköp och upphandlingar på grund av att framtagna anvisningar inte är kända eller efterlevs av verksamheten.',
			'Vid fel finns risk för skadestånd och att förvaltningens anseende rubbas.',
			'Existerande åtgärder',
			8,
			['Kontrollera att existerande åtgärder genomförs som planerat.']
		],
		[
			'Representation, resor, kurs och konferens',
			'Att regelverk och rutiner inte efterlevs gällande representation, resor, kurs, konferens. Risk för oegentligheter.',
			'Förtroendeskadligt när det blir fel.',
			'Existerande åtgärder',
			5,
			[
				'Stickprovskontroller av förtroendeskadliga poster för att säkerställa att riktlinjer och rutiner inom området följs.'
			]
		]
	];

	it.each(controls)('reads the internkontroll area %s', (title, risk, consequence, measuresName, measures, planned) => {
		const c = ofKind('control').find((x) => x.title === title)!;
		expect(c).toBeDefined();
		expect(Object.keys(c.fields!)).toEqual([
			'Riskbeskrivning',
			'Konsekvensbeskrivning',
			measuresName,
			'Planerade kontroller',
			'Uppföljning'
		]);
		expect(c.fields!['Riskbeskrivning']).toBe(risk);
		expect(c.fields!['Konsekvensbeskrivning']).toBe(consequence);
		expect(c.fields![measuresName]).toHaveLength(measures);
		expect(c.fields!['Planerade kontroller']).toEqual(planned);
		expect(c.fields!['Uppföljning']).toBe(
			'Resultatet av kontrollerna följs upp i årsrapporten till kommunstyrelsen som nämnd.'
		);
	});

	it('puts the risks and the controls under their headings in bilaga 2', () => {
		const b2 = result.items[2];
		expect(b2.children!.map((c) => [c.title, c.children!.map((x) => x.kind).filter((k) => k !== 'paragraph')])).toEqual(
			[
				['Samlad riskbild och intern kontrollplan 2025', []],
				['Samlad riskbild', Array(8).fill('risk')],
				['Internkontrollplan', Array(4).fill('control')]
			]
		);
	});
});

describe('the time plan', () => {
	const rows: [string, string | undefined, string, string][] = [
		[
			'Uppföljning av Göteborgs Stads riktlinje för finansverksamheten samt stiftelsernas kapitalförvaltning',
			'- Återrapporteringen av Göteborgs Stads riktlinjer för finansverksamheten\n- Återrapportering av stiftelsernas kapitalförvaltning',
			'Månatligen',
			'Tjänsteutlåtande'
		],
		[
			'Årsrapport 2024 för kommunstyrelsen',
			'Inklusive barnbokslut för kommunstyrelsens verksamhet',
			'Ordinarie KS 2025-02-05',
			'Tjänsteutlåtande (sent utskick)\nSista dag för beslut i nämnd 2025-02-12'
		],
		[
			'Årsredovisning 2024 för Göteborgs Stad samt kompletterande uppföljning december',
			undefined,
			'2025-04-09',
			'Tjänsteutlåtande'
		],
		['Bokslutsberedning avseende 2024 för Göteborgs Stad', undefined, '2025-04-09', 'Tjänsteutlåtande'],
		[
			'Delårsrapport mars 2025 för kommunstyrelsen',
			undefined,
			'Ordinarie KS 2025-04-23',
			'Tjänsteutlåtande (sent utskick)\nSista dag för beslut i nämnd 2025-04-23'
		],
		['Delårsrapport mars 2025 för Göteborgs Stad', undefined, '2025-05-21', 'Tjänsteutlåtande'],
		[
			'Delårsrapport augusti 2025 för kommunstyrelsen',
			undefined,
			'Ordinarie KS 2025-09-24',
			'Tjänsteutlåtande (sent utskick)\nSista dag för beslut i nämnd 2025-09-24'
		],
		['Delårsrapport augusti 2025 för Göteborgs Stad', undefined, '2025-10-22', 'Tjänsteutlåtande'],
		[
			'Budget 2026 för kommunstyrelsen',
			'Inklusive:\n- Samlad riskbild och plan för intern kontroll\n- Kommunstyrelsens regler och riktlinjer för ekonomisk uppföljning och hantering av eget kapital vid årsskiften\n- Kommunstyrelsens tid- och arbetsplan för planerings- och uppföljningsarbetet',
			'Ordinarie KS 2025-12-10',
			'Tjänsteutlåtande\nSista dag för beslut i nämnd 2025-12-31'
		],
		[
			'Årsrapport 2025 för kommunstyrelsen',
			'Inklusive barnbokslut för kommunstyrelsens verksamhet',
			'Februari år 2026',
			'Tjänsteutlåtande\nSista dag för beslut i nämnd 2026-02-13'
		],
		[
			'Årsredovisning 2025 för Göteborgs Stad inklusive kompletterande uppföljning december',
			undefined,
			'2026-04-08',
			'Tjänsteutlåtande'
		],
		['Bokslutsberedning avseende 2025 för Göteborgs Stad', undefined, '2026-04-08', 'Tjänsteutlåtande']
	];

	it('reads every row with its three columns, however the cells were interleaved', () => {
		expect(ofKind('timeplan_row').map((r) => [r.title, r.text, r.fields!['Till KS'], r.fields!['Notering']])).toEqual(
			rows
		);
	});
});

describe('party documents', () => {
	it('recognises the three documents with their kinds and parties', () => {
		expect(result.partyDocuments.map((d) => [d.title, d.fields!['Typ'], d.fields!['Partier']])).toEqual([
			['Yttrande angående – Budget 2025 för kommunstyrelsen', 'yttrande', ['C']],
			['Yttrande angående Budget 2025 för kommunstyrelsen', 'yttrande', ['M', 'D', 'L', 'KD']],
			['Yrkande angående – Budget 2025 för kommunstyrelsen', 'yrkande', ['SD']]
		]);
	});

	it('gives them as plain data, with the yrkande’s four points at the KS-and-KF level', () => {
		const [c, joint, sd] = partyDocumentData(result);
		expect(c).toMatchObject({ kind: 'yttrande', parties: ['C'], points: [] });
		expect(c.paragraphs).toHaveLength(5);
		expect(c.paragraphs[0]).toMatch(/^Göteborg står inför stora utmaningar som kräver omedelbar handling\./);
		expect(c.paragraphs[4]).toBe(
			'Budget 2025 för kommunstyrelsen ger tyvärr inte de förutsättningar som hade behövts för att uppnå Centerpartiets vision för Göteborg.'
		);

		expect(joint).toMatchObject({ kind: 'yttrande', parties: ['M', 'D', 'L', 'KD'], points: [] });
		expect(joint.paragraphs).toHaveLength(4);
		expect(joint.paragraphs[0]).toMatch(/^I kommunfullmäktige reserverade vi oss mot Socialdemokraternas/);
		expect(joint.paragraphs[3]).toMatch(
			/Vi kan inte ta ansvar för konsekvenserna av den beslutade budgeten och deltar därför inte i beslutet\.$/
		);

		expect(sd.kind).toBe('yrkande');
		expect(sd.parties).toEqual(['SD']);
		expect(sd.points).toEqual([
			{
				level: 'ks_kf',
				number: '1',
				text: 'Kommunstyrelsen får i uppdrag att i arbetet för integration och jämlikhet, tydligare ställa krav på individens eget ansvar för anpassning till det svenska samhället och säkerställer att samtliga integrationsinsatser genomsyras av detta krav.'
			},
			{
				level: 'ks_kf',
				number: '2',
				text: 'Kommunstyrelsen får i uppdrag att säkerställa att personer med funktionsnedsättningar som deltar i arbetsmarknadsåtgärder garanteras ekonomisk trygghet, även om de inte klarar av en reguljär anställning, genom en stegvis och trygg infasning i arbetsmarknaden.'
			},
			{
				level: 'ks_kf',
				number: '3',
				text: 'Kommunstyrelsen får i uppdrag att ta bort hänvisningar till utgångspunkt i ett Agenda 2030 hållbarhetsperspektiv.'
			},
			{
				level: 'ks_kf',
				number: '4',
				text: 'Kommunstyrelsen får i uppdrag att avbryta allt samarbete med muslimska Samverkansgruppen.'
			}
		]);
		expect(sd.paragraphs).toHaveLength(5);
		expect(sd.paragraphs[0]).toMatch(/^Sverigedemokraterna ställer sig skeptiska/);
		// A page break inside the motivation starts a new paragraph only where a sentence ended.
		expect(sd.paragraphs[2]).toMatch(/^Vidare ser vi allvarligt på de utmaningar/);
	});

	it('keeps party documents out of the baseline', () => {
		const all = [...walkItems(result.items)].map(({ item }) => item.text ?? '').join('\n');
		expect(all).not.toContain('Sverigedemokraterna ställer sig skeptiska');
		expect(ofKind('party_document')).toHaveLength(0);
	});
});
