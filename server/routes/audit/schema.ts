import { z } from 'zod';

const id = z.string().min(1).max(64);

export const caseParam = z.object({ caseId: id });
export const draftParam = z.object({ draftId: id });

export const auditQuery = z.object({
	/** case: entries about the case; body: every entry of the body (logins, roles) */
	scope: z.enum(['case', 'body']).default('case'),
	before: z.coerce.number().int().positive().optional(),
	limit: z.coerce.number().int().min(1).max(500).default(100),
	category: z.enum(['auth', 'membership', 'draft', 'version', 'position', 'comment', 'meeting', 'export']).optional()
});
