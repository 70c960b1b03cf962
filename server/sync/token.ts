import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { syncSecrets } from '../../db/schema';

/**
 * Short-lived signed tokens for clients that have no session cookie on the socket (scripts, other
 * services). A token names one user and one document and expires quickly; access is decided again by
 * `can()` when the socket opens, so a token never grants more than the user has at that moment.
 */

export const TOKEN_LIFETIME_MS = 5 * 60_000;

export interface TokenClaims {
	userId: string;
	docName: string;
	expiresAt: number;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signToken(secret: string, claims: TokenClaims): string {
	const body = b64(JSON.stringify({ u: claims.userId, d: claims.docName, e: claims.expiresAt }));
	const mac = createHmac('sha256', secret).update(body).digest('base64url');
	return `${body}.${mac}`;
}

/** The claims of a well-signed, unexpired token; null for anything else. */
export function verifyToken(secret: string, token: string, now = Date.now()): TokenClaims | null {
	if (token.length > 1024) return null;
	const [body, mac, extra] = token.split('.');
	if (!body || !mac || extra !== undefined) return null;
	const expected = createHmac('sha256', secret).update(body).digest();
	const given = Buffer.from(mac, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	try {
		const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; d?: unknown; e?: unknown };
		if (typeof c.u !== 'string' || typeof c.d !== 'string' || typeof c.e !== 'number') return null;
		if (c.e <= now) return null;
		return { userId: c.u, docName: c.d, expiresAt: c.e };
	} catch {
		return null;
	}
}

const SECRET_ID = 'sync-token';

/**
 * The configured TOKEN_SECRET, or else one random key kept in the database, so that every server
 * process of one installation (scale-out) accepts the tokens any of them signed.
 */
export async function loadTokenSecret(db: Db, configured?: string): Promise<string> {
	if (configured) return configured;
	await db
		.insert(syncSecrets)
		.values({ id: SECRET_ID, secret: randomBytes(32).toString('base64url') })
		.onConflictDoNothing();
	const [row] = await db.select().from(syncSecrets).where(eq(syncSecrets.id, SECRET_ID)).limit(1);
	return row.secret;
}
