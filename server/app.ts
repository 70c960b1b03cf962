import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps, AppEnv } from './context';
import { AppError, handleError, notFound, payloadTooLarge } from './errors';
import { originCheck, securityHeaders } from './middlewares/security';
import { rateLimit } from './middlewares/rate-limit';
import { sessionMiddleware } from './middlewares/session';
import { amendmentRoutes } from './routes/amendments';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { BASELINE_UPLOAD_PATH, baselineRoutes } from './routes/baselines';
import { caseRoutes } from './routes/cases';
import { commentRoutes } from './routes/comments';
import { liveRoutes } from './routes/live';
import { meetingRoutes } from './routes/meeting';
import { memberRoutes } from './routes/members';
import { draftRoutes } from './routes/drafts';
import { exportRoutes } from './routes/exports';
import { notificationRoutes } from './routes/notifications';
import { partyRoutes } from './routes/parties';
import { positionRoutes } from './routes/positions';
import { versionRoutes } from './routes/versions';
import { syncRoutes } from './sync/routes';

// Validation messages in Swedish, like everything a user reads.
z.config(z.locales.sv());

/** The peer's address from the Node socket; absent when the app is called without a server (app.request). */
function socketAddress(c: Context<AppEnv>): string | undefined {
	try {
		return getConnInfo(c).remote.address;
	} catch {
		return undefined;
	}
}

/**
 * The HTTP app: middleware, one sub-app per resource, one error handler. The SvelteKit pages and the
 * sync socket are served beside it by server/http.ts.
 */
export function createApp(deps: AppDeps) {
	const app = new Hono<AppEnv>();

	app.use('*', async (c, next) => {
		c.set('deps', deps);
		const forwarded = deps.config.trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
		c.set('clientIp', forwarded || socketAddress(c) || 'unknown');
		await next();
	});
	app.use('*', securityHeaders());
	app.use('/api/*', async (c, next) => {
		await next();
		c.header('Cache-Control', 'no-store');
	});
	const jsonBodyLimit = bodyLimit({
		maxSize: 1024 * 1024,
		onError: () => {
			throw payloadTooLarge('Förfrågan är för stor (högst 1 MB).');
		}
	});
	// File uploads of the baseline import carry their own, larger limit.
	app.use('/api/*', (c, next) => (BASELINE_UPLOAD_PATH.test(c.req.path) ? next() : jsonBodyLimit(c, next)));
	app.use('/api/*', originCheck());
	app.use('/api/*', sessionMiddleware());
	app.use('/api/*', rateLimit(deps.throttles.api));

	const api = new Hono<AppEnv>()
		.route('/auth', authRoutes)
		.route('/cases/:caseId/baseline', baselineRoutes)
		.route('/cases/:caseId/positions', positionRoutes)
		.route('/cases/:caseId/meeting', meetingRoutes)
		.route('/cases/:caseId/amendments', amendmentRoutes)
		.route('/cases', caseRoutes)
		.route('/cases', liveRoutes)
		.route('/comments', commentRoutes)
		.route('/drafts', draftRoutes)
		.route('/drafts/:draftId', versionRoutes)
		.route('/', auditRoutes)
		.route('/bodies', memberRoutes)
		.route('/', exportRoutes)
		.route('/notifications', notificationRoutes)
		.route('/parties', partyRoutes)
		.route('/sync', syncRoutes)
		.get('/health', (c) => c.json({ ok: true }));

	app.route('/api', api);
	app.all('/api/*', () => {
		throw notFound('Adressen finns inte i API:t.');
	});

	app.notFound((c) => c.json({ error: { code: 'not_found', message: 'Adressen finns inte.' } }, 404));
	app.onError((err, c) => handleError(err, c, (msg, e) => deps.log(msg, e)));
	return app;
}

export type App = ReturnType<typeof createApp>;
export { AppError };
