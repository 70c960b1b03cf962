import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../context';
import { forbidden } from '../errors';

/**
 * Security headers for every response, the SvelteKit pages included. The CSP allows our own scripts
 * and styles only (SvelteKit's inline bootstrap script is allowed through its hash-free 'self' build
 * with `unsafe-inline` for styles, which Svelte transitions need), sockets to our own origin, and no
 * framing by anyone.
 */
export const securityHeaders = (): MiddlewareHandler =>
	secureHeaders({
		contentSecurityPolicy: {
			defaultSrc: ["'self'"],
			scriptSrc: ["'self'", "'unsafe-inline'"],
			styleSrc: ["'self'", "'unsafe-inline'"],
			imgSrc: ["'self'", 'data:', 'blob:'],
			fontSrc: ["'self'", 'data:'],
			connectSrc: ["'self'", 'ws:', 'wss:'],
			frameAncestors: ["'none'"],
			formAction: ["'self'"],
			baseUri: ["'self'"],
			objectSrc: ["'none'"]
		},
		xFrameOptions: 'DENY',
		referrerPolicy: 'strict-origin-when-cross-origin',
		xContentTypeOptions: 'nosniff',
		crossOriginEmbedderPolicy: false,
		crossOriginResourcePolicy: 'same-origin',
		crossOriginOpenerPolicy: 'same-origin',
		strictTransportSecurity: false
	});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin this request was addressed to, as the browser saw it. */
export function requestOrigin(url: string, headers: Headers, trustProxy: boolean): string {
	const u = new URL(url);
	const host = (trustProxy && headers.get('x-forwarded-host')) || headers.get('host') || u.host;
	const proto = (trustProxy && headers.get('x-forwarded-proto')) || u.protocol.replace(':', '');
	return `${proto}://${host}`;
}

/**
 * CSRF protection after the Lucia guide: every state-changing request must carry an Origin header
 * naming our own origin. Browsers always send it on cross-site POSTs, so a forged form or fetch from
 * another site is refused before it reaches a handler. Requests with a bearer token carry no ambient
 * credential and are exempt.
 */
export const originCheck = (): MiddlewareHandler<AppEnv> => async (c, next) => {
	if (SAFE_METHODS.has(c.req.method) || c.req.header('authorization')?.startsWith('Bearer ')) return next();
	const origin = c.req.header('origin');
	const expected = requestOrigin(c.req.url, c.req.raw.headers, c.get('deps').config.trustProxy);
	if (!origin || origin !== expected) {
		throw forbidden('Förfrågan kom från en annan webbplats och stoppades.');
	}
	return next();
};
