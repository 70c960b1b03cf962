import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { notFound } from '../errors';
import { requireUser } from '../middlewares/session';
import { validate } from '../middlewares/validate';
import { accessMode, loadThing, parseDocName } from './access';

export const syncTokenSchema = z.object({
	doc: z.string().min(1).max(100)
});

/**
 * `POST /api/sync/token {doc}`: a short-lived token for opening `/sync/<doc>` from a client that
 * cannot send the session cookie with the socket (`?token=…` or `Authorization: Bearer …`).
 */
export const syncRoutes = new Hono<AppEnv>().post('/token', validate('json', syncTokenSchema), async (c) => {
	const user = requireUser(c);
	const { doc } = c.req.valid('json');
	const { db, sync } = c.get('deps');
	const ref = parseDocName(doc);
	// Unknown and forbidden answer alike: another party must not learn that a draft exists.
	if (!ref || !accessMode(user, await loadThing(db, ref))) throw notFound('Dokumentet hittades inte.');
	const { token, expiresAt } = sync.issueToken(user.id, doc);
	return c.json({ token, expiresAt: new Date(expiresAt).toISOString(), path: `/sync/${doc}` });
});
