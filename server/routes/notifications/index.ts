import { Hono } from 'hono';
import { z } from 'zod';
import { listNotifications, markNotificationsRead } from '../../commands/comments-notifications';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';

const readSchema = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional() });

/** /api/notifications: the user's in-app notifications (mentions and replies) and the badge count. */
export const notificationRoutes = new Hono<AppEnv>()
	.get('/', async (c) => {
		return c.json(await listNotifications({ db: c.get('deps').db, user: requireUser(c) }));
	})
	.post('/read', validate('json', readSchema), async (c) => {
		const ctx = { db: c.get('deps').db, user: requireUser(c) };
		await markNotificationsRead(ctx, c.req.valid('json').ids);
		return c.json(await listNotifications(ctx));
	});
