/**
 * The demo: Kommunstyrelsen in Göteborgs Stad, the nine parties, fictional members, and the case
 * "Budget 2025 för kommunstyrelsen". Seat distribution follows the real board's shape: S, V and MP
 * hold 7 of 13 seats; KD and C sit as ersättare only.
 */

export const DEMO_PASSWORD = 'yrka-demo-2025';
export const DEMO_EMAIL_DOMAIN = 'demo.yrka.se';

export const demoParties = [
	{ id: 'S', name: 'Socialdemokraterna', color: '#E8112D' },
	{ id: 'V', name: 'Vänsterpartiet', color: '#AF0000' },
	{ id: 'MP', name: 'Miljöpartiet de gröna', color: '#53A045' },
	{ id: 'M', name: 'Moderaterna', color: '#1B49DD' },
	{ id: 'L', name: 'Liberalerna', color: '#006AB3' },
	{ id: 'KD', name: 'Kristdemokraterna', color: '#000077' },
	{ id: 'C', name: 'Centerpartiet', color: '#009933' },
	{ id: 'SD', name: 'Sverigedemokraterna', color: '#B8A300' },
	{ id: 'D', name: 'Demokraterna', color: '#0E6E6E' }
] as const;

export const demoBody = { id: 'goteborg-ks', name: 'Kommunstyrelsen', organization: 'Göteborgs Stad' };

export const demoCase = {
	title: 'Budget 2025 för kommunstyrelsen',
	caseNumber: 'SLK-2024-00738',
	meetingDate: '2024-12-11'
};

type Seat = 'ledamot' | 'ersattare';

/** [party, seat, name] in seat order. Names are fictional. */
export const demoMembers: ReadonlyArray<readonly [string, Seat, string]> = [
	['S', 'ledamot', 'Anna Lindqvist'],
	['S', 'ledamot', 'Mikael Ekström'],
	['S', 'ledamot', 'Sara Holmberg'],
	['S', 'ledamot', 'Johan Berglund'],
	['V', 'ledamot', 'Elin Sandberg'],
	['V', 'ledamot', 'Ahmed Karimi'],
	['MP', 'ledamot', 'Karin Vik'],
	['M', 'ledamot', 'Per Åkesson'],
	['M', 'ledamot', 'Louise Hedlund'],
	['SD', 'ledamot', 'Daniel Strand'],
	['SD', 'ledamot', 'Malin Öberg'],
	['L', 'ledamot', 'Fredrik Nyström'],
	['D', 'ledamot', 'Cecilia Forsberg'],
	['S', 'ersattare', 'Lars Wikström'],
	['S', 'ersattare', 'Fatima Hassan'],
	['S', 'ersattare', 'Erik Johansson'],
	['V', 'ersattare', 'Maja Lund'],
	['V', 'ersattare', 'Oskar Dahl'],
	['MP', 'ersattare', 'Ingrid Blom'],
	['M', 'ersattare', 'Gustav Lindgren'],
	['M', 'ersattare', 'Helena Sjöberg'],
	['SD', 'ersattare', 'Tobias Engström'],
	['L', 'ersattare', 'Emma Wallin'],
	['D', 'ersattare', 'Nils Bergqvist'],
	['KD', 'ersattare', 'Birgitta Ålund'],
	['C', 'ersattare', 'Jonas Fält']
];

/** A readable, unique login from a person's name: "anna.lindqvist@demo.yrka.se". */
export function demoEmail(name: string): string {
	const local = name
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z]+/g, '.')
		.replace(/^\.|\.$/g, '');
	return `${local}@${DEMO_EMAIL_DOMAIN}`;
}

export const demoClerk = { name: 'Kristina Nämndsekreterare', email: `namndsekreterare@${DEMO_EMAIL_DOMAIN}` };

export function demoSecretary(partyId: string) {
	return { name: `Partisekreterare ${partyId}`, email: `sekreterare.${partyId.toLowerCase()}@${DEMO_EMAIL_DOMAIN}` };
}

/** A second secretary per party, so two people of one party can write a draft together. */
export function demoPoliticalSecretary(partyId: string) {
	return {
		name: `Politisk sekreterare ${partyId}`,
		email: `politisk.sekreterare.${partyId.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`
	};
}

/**
 * Who signs the party documents printed with the demo case, by the document's parties in order
 * ("M,D,L,KD"): the parties' ledamöter, and for KD and C, which hold no seat, their ersättare.
 */
export const demoSignatories: Readonly<Record<string, readonly string[]>> = {
	SD: ['Daniel Strand', 'Malin Öberg'],
	C: ['Jonas Fält'],
	'M,D,L,KD': ['Per Åkesson', 'Louise Hedlund', 'Cecilia Forsberg', 'Fredrik Nyström', 'Birgitta Ålund']
};
