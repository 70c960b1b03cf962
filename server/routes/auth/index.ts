import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { users } from '../../../db/schema';
import { dummyPasswordHash, verifyPassword } from '../../auth/password';
import { createSession, invalidateSession, invalidateUserSessions } from '../../auth/session';
import { recordAudit } from '../../audit';
import type { AppEnv } from '../../context';
import { AppError, tooManyRequests } from '../../errors';
import { clearSessionCookie, requireSession, requireUser, setSessionCookie } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { presentPrincipal } from '../../presenters/user';
import { loginSchema } from './schema';

/** One message for unknown account and wrong password: no hint which it was. */
const WRONG_CREDENTIALS = 'Fel e-postadress eller lösenord.';

export const authRoutes = new Hono<AppEnv>()
	.post('/login', validate('json', loginSchema), async (c) => {
		const { email, password } = c.req.valid('json');
		const { db, throttles } = c.get('deps');
		const ip = c.get('clientIp');
		const wait = Math.max(throttles.loginByAccount.retryAfter(email), throttles.loginByIp.retryAfter(ip));
		if (wait > 0) {
			throw tooManyRequests('För många misslyckade inloggningsförsök. Vänta en stund och försök igen.', wait);
		}
		const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
		// Verify against a dummy hash for unknown accounts so the timing does not tell them apart.
		const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
		if (!user || !ok) {
			throttles.loginByAccount.fail(email);
			throttles.loginByIp.fail(ip);
			await recordAudit(db, {
				actorId: user?.id ?? null,
				action: 'auth.login_failed',
				subjectType: 'user',
				subjectId: user?.id ?? null,
				details: { email },
				ip
			});
			throw new AppError(401, 'invalid_credentials', WRONG_CREDENTIALS);
		}
		throttles.loginByAccount.reset(email);
		const { token, session } = await createSession(db, user.id);
		await recordAudit(db, { actorId: user.id, action: 'auth.login', subjectType: 'user', subjectId: user.id, ip });
		setSessionCookie(c, token, session.expiresAt);
		return c.json({ ok: true });
	})
	.post('/logout', async (c) => {
		const session = c.get('session');
		if (session) {
			await invalidateSession(c.get('deps').db, session.id);
			// Sockets opened with this session are re-checked now and closed, not at the next periodic check.
			await c.get('deps').sync.notifyAccessChanged({ userId: session.userId });
		}
		clearSessionCookie(c);
		return c.json({ ok: true });
	})
	.post('/logout-everywhere', async (c) => {
		requireSession(c);
		const user = requireUser(c);
		await invalidateUserSessions(c.get('deps').db, user.id);
		await c.get('deps').sync.notifyAccessChanged({ userId: user.id });
		await recordAudit(c.get('deps').db, {
			actorId: user.id,
			action: 'auth.logout_everywhere',
			subjectType: 'user',
			subjectId: user.id,
			ip: c.get('clientIp')
		});
		clearSessionCookie(c);
		return c.json({ ok: true });
	})
	.get('/me', async (c) => {
		const user = requireUser(c);
		return c.json({ user: await presentPrincipal(c.get('deps').db, user) });
	});
