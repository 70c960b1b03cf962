import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { loadReadableCase } from '../cases/loaders';
import { caseIdParam } from '../cases/schema';

/** GET /api/cases/:caseId/live: server-sent events for the case, filtered to what the user may know. */
export const liveRoutes = new Hono<AppEnv>().get('/:caseId/live', validate('param', caseIdParam), async (c) => {
	const user = requireUser(c);
	const { db, live } = c.get('deps');
	const { case: row } = await loadReadableCase(db, user, c.req.valid('param').caseId);
	return streamSSE(c, async (stream) => {
		let id = 0;
		const unsubscribe = live.subscribe(user, row.id, (m) => {
			void stream.writeSSE({ event: m.topic, data: JSON.stringify(m), id: String(++id) });
		});
		stream.onAbort(unsubscribe);
		await stream.writeSSE({ event: 'ready', data: '{}' });
		// A comment every 25 s keeps proxies from closing an idle stream.
		while (!stream.aborted && !stream.closed) {
			await stream.sleep(25_000);
			if (!stream.aborted) await stream.write(': ping\n\n');
		}
		unsubscribe();
	});
});
