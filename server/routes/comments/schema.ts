import { z } from 'zod';
import { commentVisibilities } from '../../../db/schema';

const id = z.string().min(1).max(64);

/** Longest comment, in characters (code points, so "å" and an emoji count as one each). */
export const COMMENT_MAX = 10_000;

/**
 * The text of a comment, stored as typed. HTML and script are allowed in and stay text; what is
 * refused is what cannot be read or stored: an empty comment, one too long, control characters.
 */
export const commentText = z
	.string({ error: 'Skriv en kommentar.' })
	.refine((t) => t.trim().length > 0, 'Kommentaren får inte vara tom.')
	.refine((t) => Array.from(t.trim()).length <= COMMENT_MAX, 'Kommentaren får vara högst 10 000 tecken.')
	// eslint-disable-next-line no-control-regex -- exactly the control characters are what is refused
	.refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), 'Kommentaren innehåller otillåtna tecken.');

// A relative position of Yjs, base64: a few dozen bytes.
const relPos = z
	.string()
	.min(4)
	.max(200)
	.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Ogiltig textposition.');

const mentions = z.array(id).max(20, 'Högst 20 personer kan nämnas i en kommentar.').optional();

export const targetSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('draft'),
		draftId: id,
		anchor: z.object({ start: relPos, end: relPos }).optional()
	}),
	z.object({ kind: z.literal('amendment'), draftId: id, amendmentId: id }),
	z.object({ kind: z.literal('baseline_item'), baselineItemId: id })
]);

export const createThreadSchema = z.object({
	target: targetSchema,
	text: commentText,
	visibility: z.enum(commentVisibilities).optional(),
	mentions
});

export const replySchema = z.object({ text: commentText, mentions });

export const commentIdParam = z.object({ commentId: id });

export const listQuery = z
	.object({ draftId: id.optional(), caseId: id.optional(), baselineItemId: id.optional() })
	.refine((q) => !!q.draftId !== !!q.caseId, { message: 'Ange antingen draftId eller caseId.', path: ['draftId'] });

export const readSchema = z.object({ threadIds: z.array(id).min(1).max(500) });
