import { asc } from 'drizzle-orm';
import { Hono } from 'hono';
import { parties } from '../../../db/schema';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';

export const partyRoutes = new Hono<AppEnv>().get('/', async (c) => {
	requireUser(c);
	const rows = await c.get('deps').db.select().from(parties).orderBy(asc(parties.sortOrder));
	return c.json({ parties: rows.map(({ id, name, color }) => ({ id, name, color })) });
});
