import { z } from 'zod';
import { baselineItemKinds } from '../../domain/baseline';
import { amendmentOps } from '../../domain/draft-doc';

const id = z.string().min(1).max(64);

export const caseParam = z.object({ caseId: id });
export const amendmentParam = caseParam.extend({ draftId: id, amendmentId: id });
export const draftParam = caseParam.extend({ draftId: id });

export const overviewQuery = z.object({
	/** only amendments of drafts this party stands behind */
	party: z.string().min(1).max(16).optional(),
	/** only amendments of this kind of baseline item */
	kind: z.enum(baselineItemKinds).optional(),
	op: z.enum(amendmentOps).optional()
});

/** "itemId:version" or "itemId:version:part name": the targets a draft's amendments point at. */
const targetRef = z
	.string()
	.max(200)
	.regex(/^[^:]{1,64}:\d{1,6}(:.{1,80})?$/, 'ska vara punkt:version eller punkt:version:del');

export const targetsQuery = z.object({
	ref: z.union([targetRef, z.array(targetRef).max(500)]).transform((r) => (Array.isArray(r) ? r : [r]))
});

export const createAmendmentSchema = z.object({
	draftId: id,
	baselineItemId: id,
	field: z.string().min(1).max(80).optional(),
	op: z.enum(amendmentOps)
});

const idList = z
	.string()
	.max(4000)
	.transform((s) => s.split(',').filter(Boolean))
	.pipe(z.array(id).max(200));

export const previewQuery = z.object({
	/** the drafts whose amendments are applied, in this order; all visible drafts when absent */
	drafts: idList.optional(),
	/** further narrows to these amendments */
	amendments: idList.optional(),
	format: z.enum(['json', 'markdown']).default('json')
});
