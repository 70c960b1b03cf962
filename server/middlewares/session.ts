import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { loadPrincipal } from '../auth/principal';
import { SESSION_COOKIE, type Session, validateSessionToken } from '../auth/session';
import { unauthenticated } from '../errors';
import type { Principal } from '../policies';

function isSecure(c: Context<AppEnv>): boolean {
	const proto = c.get('deps').config.trustProxy ? c.req.header('x-forwarded-proto') : undefined;
	return (proto ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
	setCookie(c, SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'Lax',
		secure: isSecure(c),
		path: '/',
		expires: expiresAt
	});
}

export function clearSessionCookie(c: Context<AppEnv>): void {
	deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecure(c) });
}

/** Reads the session cookie; a forged or expired one is cleared and the request goes on anonymous. */
export const sessionMiddleware = (): MiddlewareHandler<AppEnv> => async (c, next) => {
	c.set('user', null);
	c.set('session', null);
	const token = getCookie(c, SESSION_COOKIE);
	if (token) {
		const { db } = c.get('deps');
		const result = await validateSessionToken(db, token);
		if (!result) {
			clearSessionCookie(c);
		} else {
			c.set('session', result.session);
			c.set('user', await loadPrincipal(db, result.user));
			if (result.renewed) setSessionCookie(c, token, result.session.expiresAt);
		}
	}
	await next();
};

/** The logged-in user, or 401. */
export function requireUser(c: Context<AppEnv>): Principal {
	const user = c.get('user');
	if (!user) throw unauthenticated();
	return user;
}

export function requireSession(c: Context<AppEnv>): Session {
	const session = c.get('session');
	if (!session) throw unauthenticated();
	return session;
}
