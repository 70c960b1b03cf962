import type { cases } from '../../db/schema';

type CaseRow = typeof cases.$inferSelect;

export const caseStatusLabels = {
	preparing: 'Under beredning',
	scheduled: 'På dagordningen',
	decided: 'Beslutat'
} as const;

export function presentCase(row: CaseRow, bodyName: string) {
	return {
		id: row.id,
		bodyId: row.bodyId,
		bodyName,
		title: row.title,
		caseNumber: row.caseNumber,
		meetingDate: row.meetingDate,
		agendaNumber: row.agendaNumber,
		status: row.status,
		statusLabel: caseStatusLabels[row.status]
	};
}
