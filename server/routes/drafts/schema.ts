import { z } from 'zod';
import { draftKinds } from '../../../db/schema';

const id = z.string().min(1).max(64);
const partyId = z.string().min(1).max(8);

export const draftIdParam = z.object({ draftId: id });
export const draftPartyParam = draftIdParam.extend({ partyId });

export const listDraftsQuery = z.object({
	caseId: id,
	partyId: partyId.optional(),
	status: z.literal('submitted').optional()
});

export const createDraftSchema = z.object({
	caseId: id,
	partyId,
	kind: z.enum(draftKinds)
});

export const inviteSchema = z.object({ partyIds: z.array(partyId).min(1).max(12) });

export const approvalSchema = z.object({ partyId });

/** Who signs, in the order the document lists them; checked against the draft's members by the route. */
export const signatoriesSchema = z.object({ userIds: z.array(id).max(60) });
