import { z } from 'zod';
import { positionKinds, positionStages } from '../../domain/positions';

const id = z.string().min(1).max(64);

export const caseParam = z.object({ caseId: id });
export const positionParam = caseParam.extend({ positionId: id });

export const targetSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('case') }),
	z.object({ type: z.literal('baseline') }),
	z.object({ type: z.literal('baseline_point'), itemId: id }),
	z.object({ type: z.literal('yrkande'), draftId: id }),
	z.object({ type: z.literal('yrkande_point'), draftId: id, pointId: id })
]);

// Empty texts pass here on purpose: the rules refuse them with a message that names what is missing.
const text = (max: number) => z.string().max(max).default('');

const base = z.object({ memberId: id, stage: z.enum(positionStages), target: targetSchema });

/** A position as the form sends it: the member, the stage, the kind with its own details, and the target. */
export const recordPositionSchema = z.discriminatedUnion('kind', [
	base.extend({ kind: z.literal('bifall') }),
	base.extend({ kind: z.literal('avslag') }),
	base.extend({ kind: z.literal('andring'), amendment: z.object({ draftId: id, amendmentId: id }) }),
	base.extend({ kind: z.literal('tillagg') }),
	base.extend({ kind: z.literal('aterremiss'), reason: text(2000), referTo: text(200) }),
	base.extend({ kind: z.literal('bordlaggning') }),
	base.extend({ kind: z.literal('deltar_inte') }),
	base.extend({ kind: z.literal('jav') }),
	base.extend({ kind: z.literal('reservation'), motivation: z.string().max(20_000).nullable().optional() }),
	base.extend({ kind: z.literal('protokollsanteckning'), text: text(5000) }),
	base.extend({ kind: z.literal('yttrande'), draftId: id }),
	base.extend({ kind: z.literal('sarskilt_yttrande'), draftId: id })
]);
export type RecordPositionBody = z.infer<typeof recordPositionSchema>;

export const motivationSchema = z.object({ motivation: z.string().max(20_000) });

export const publishSchema = z.object({
	partyId: z.string().min(1).max(16),
	/** only these of the party's plans; all of them when absent */
	positionIds: z.array(id).min(1).max(500).optional()
});

/** "S,V,MP" → ["S", "V", "MP"] */
const commaList = z
	.string()
	.max(2000)
	.transform((s) => s.split(',').filter(Boolean));

export const matrixQuery = z.object({
	parties: commaList.pipe(z.array(z.string().min(1).max(16))).optional(),
	kinds: commaList.pipe(z.array(z.enum(positionKinds))).optional(),
	groups: z.union([z.string().max(300), z.array(z.string().max(300)).max(50)]).optional(),
	split: z.enum(['1', 'true']).optional(),
	stage: z.enum(['recorded']).optional()
});
