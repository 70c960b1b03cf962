import { Hono, type Context } from 'hono';
import {
	createThread,
	deleteComment,
	editComment,
	listThreads,
	markThreadsRead,
	mentionable,
	replyTo,
	setResolved,
	type CommentContext
} from '../../commands/comments';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { commentIdParam, createThreadSchema, listQuery, readSchema, replySchema } from './schema';

function commentContext(c: Context<AppEnv>): CommentContext {
	const deps = c.get('deps');
	return { db: deps.db, docs: deps.sync, live: deps.live, user: requireUser(c), ip: c.get('clientIp') };
}

/**
 * /api/comments: threads on a draft (its text and amendments) or on a case's baseline items.
 * A comment the user may not see answers 404, like a missing one.
 */
export const commentRoutes = new Hono<AppEnv>()
	.get('/', validate('query', listQuery), async (c) => {
		return c.json(await listThreads(commentContext(c), c.req.valid('query')));
	})
	.get('/mentionable', validate('query', listQuery), async (c) => {
		return c.json({ people: await mentionable(commentContext(c), c.req.valid('query')) });
	})
	.post('/', validate('json', createThreadSchema), async (c) => {
		return c.json({ thread: await createThread(commentContext(c), c.req.valid('json')) }, 201);
	})
	.post('/read', validate('json', readSchema), async (c) => {
		await markThreadsRead(commentContext(c), c.req.valid('json').threadIds);
		return c.json({ ok: true });
	})
	.post('/:commentId/replies', validate('param', commentIdParam), validate('json', replySchema), async (c) => {
		const thread = await replyTo(commentContext(c), c.req.valid('param').commentId, c.req.valid('json'));
		return c.json({ thread }, 201);
	})
	.patch('/:commentId', validate('param', commentIdParam), validate('json', replySchema), async (c) => {
		const thread = await editComment(commentContext(c), c.req.valid('param').commentId, c.req.valid('json'));
		return c.json({ thread });
	})
	.delete('/:commentId', validate('param', commentIdParam), async (c) => {
		await deleteComment(commentContext(c), c.req.valid('param').commentId);
		return c.json({ deleted: true });
	})
	.post('/:commentId/resolve', validate('param', commentIdParam), async (c) => {
		return c.json({ thread: await setResolved(commentContext(c), c.req.valid('param').commentId, true) });
	})
	.delete('/:commentId/resolve', validate('param', commentIdParam), async (c) => {
		return c.json({ thread: await setResolved(commentContext(c), c.req.valid('param').commentId, false) });
	});
