import { z } from 'zod';
import { attendanceKinds } from '../../../db/schema';
import { questionKinds, roundKinds, votes } from '../../domain/positions';
import { targetSchema } from '../positions/schema';

const id = z.string().min(1).max(64);
const partyIds = z.array(z.string().min(1).max(16)).min(1).max(20);

export const caseParam = z.object({ caseId: id });
export const questionParam = caseParam.extend({ questionId: id });
export const voteringParam = caseParam.extend({ voteringId: id });

const justeringDate = z.iso.date().nullable();

export const openSchema = z.object({ justeringDate: justeringDate.optional() });
export const justeringSchema = z.object({ justeringDate });

export const attendanceSchema = z.object({
	entries: z
		.array(
			z.object({
				memberId: id,
				attendance: z.enum(attendanceKinds),
				replacesMemberId: id.nullable().optional()
			})
		)
		.max(500)
});

export const alternativeSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('baseline') }),
	z.object({ type: z.literal('yrkande'), draftId: id }),
	z.object({
		type: z.literal('aterremiss'),
		partyIds,
		referTo: z.string().trim().min(1).max(200),
		reason: z.string().trim().max(2000).default('')
	}),
	z.object({ type: z.literal('bordlaggning'), partyIds }),
	z.object({ type: z.literal('avgora_idag') }),
	z.object({ type: z.literal('avslag') })
]);

export const questionSchema = z.object({
	id: id.optional(),
	kind: z.enum(questionKinds),
	alternatives: z.array(alternativeSchema).max(20),
	about: z.array(targetSchema).max(100).optional()
});

export const propositionsordningSchema = z.object({ questions: z.array(questionSchema).max(50) });

export const acclamationSchema = z.object({ winner: z.number().int().min(0).max(19).nullable() });

export const voteringSchema = z.object({
	questionId: id,
	rounds: z
		.array(
			z.object({
				kind: z.enum(roundKinds),
				ja: z.number().int().min(0).max(19),
				nej: z.number().int().min(0).max(19),
				votes: z.record(id, z.enum(votes)),
				castingVote: z.enum(['ja', 'nej']).nullable().optional()
			})
		)
		.min(1)
		.max(20)
});
