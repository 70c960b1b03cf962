import { z } from 'zod';
import { titleText } from '../../middlewares/validate';

export const caseIdParam = z.object({ caseId: z.string().min(1).max(64) });
export const workspaceParam = caseIdParam.extend({ partyId: z.string().min(1).max(8) });

export const createCaseSchema = z.object({
	bodyId: z.string().min(1).max(64),
	title: titleText(z.string().trim().min(1).max(300)),
	caseNumber: titleText(z.string().trim().min(1).max(64)),
	meetingDate: z.iso.date().nullable().optional(),
	agendaNumber: titleText(z.string().trim().max(32)).nullable().optional()
});
