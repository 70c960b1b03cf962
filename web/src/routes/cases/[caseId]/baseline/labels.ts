import type { BaselineItem, BaselineItemKind } from '$domain/baseline';

/** Plural names of the kinds, for counts: "7 mål, 22 uppdrag". */
export const kindPlurals: Partial<Record<BaselineItemKind, [string, string]>> = {
	decision_point: ['beslutspunkt', 'beslutspunkter'],
	goal: ['mål', 'mål'],
	direction: ['inriktning', 'inriktningar'],
	assignment: ['uppdrag', 'uppdrag'],
	table: ['tabell', 'tabeller'],
	table_row: ['tabellrad', 'tabellrader'],
	risk: ['riskområde', 'riskområden'],
	control: ['kontrollområde', 'kontrollområden'],
	timeplan_row: ['rad i tidplanen', 'rader i tidplanen'],
	section: ['rubrik', 'rubriker'],
	paragraph: ['stycke', 'stycken'],
	list_item: ['listpunkt', 'listpunkter']
};

export function describeCounts(counts: Partial<Record<BaselineItemKind, number>>): string {
	return Object.entries(kindPlurals)
		.filter(([k]) => (counts[k as BaselineItemKind] ?? 0) > 0)
		.map(([k, [one, many]]) => {
			const n = counts[k as BaselineItemKind] ?? 0;
			return `${n} ${n === 1 ? one : many}`;
		})
		.join(', ');
}

const number = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "−580,6" with a real minus sign, as in the budget. */
export function formatAmount(n: number | undefined): string {
	if (n === undefined) return '';
	return number.format(n).replace('-', '−');
}

export function heading(item: BaselineItem): string {
	return [item.label, item.title].filter(Boolean).join(' ');
}
