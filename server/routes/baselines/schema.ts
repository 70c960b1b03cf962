import { z } from 'zod';
import { baselineItemKinds } from '../../domain/baseline';
import { titleText } from '../../middlewares/validate';

export const caseParam = z.object({ caseId: z.string().min(1).max(64) });
export const versionParam = caseParam.extend({ number: z.coerce.number().int().min(1).max(100000) });
export const itemParam = caseParam.extend({ itemId: z.string().min(1).max(64) });

export const diffQuery = z.object({
	/** the version to compare with; by default the one before */
	against: z.coerce.number().int().min(1).max(100000).optional()
});

const fieldValue = z.union([z.string().max(20000), z.array(z.string().max(5000)).max(200)]);

export const itemPatchSchema = z
	.object({
		kind: z.enum(baselineItemKinds).optional(),
		label: titleText(z.string().max(40)).nullable().optional(),
		title: titleText(z.string().max(1000)).nullable().optional(),
		text: z.string().max(50000).nullable().optional(),
		fields: z.record(z.string().min(1).max(80), fieldValue).nullable().optional()
	})
	.refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Ange något att ändra.' });

export const splitSchema = z.object({ at: z.number().int().min(1).max(50000) });

/** Largest upload: a budget PDF with images is a few MB; anything near this is no ärende. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
