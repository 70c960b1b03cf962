import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { sessions, users } from '../../db/schema';
import { newToken } from '../ids';

export const SESSION_COOKIE = 'yrka_session';
const DAY = 24 * 60 * 60 * 1000;
/** A session lives 30 days from its last use... */
export const SESSION_LIFETIME_MS = 30 * DAY;
/** ...and is extended when less than 15 days remain, so an active user is never logged out. */
const RENEW_WHEN_REMAINING_MS = 15 * DAY;

export interface SessionUser {
	id: string;
	email: string;
	name: string;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(db: Db, userId: string): Promise<{ token: string; session: Session }> {
	const token = newToken();
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS)
	};
	await db.insert(sessions).values(session);
	return { token, session };
}

/**
 * Looks a token up. Expired sessions are deleted; sessions past half their lifetime are extended
 * (sliding expiry). Returns null for an unknown, forged or expired token.
 */
export async function validateSessionToken(
	db: Db,
	token: string
): Promise<{ session: Session; user: SessionUser; renewed: boolean } | null> {
	if (!/^[a-z2-7]{20,64}$/.test(token)) return null;
	const id = sessionIdFromToken(token);
	const rows = await db
		.select({
			session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
			user: { id: users.id, email: users.email, name: users.name }
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, id))
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	const now = Date.now();
	if (now >= row.session.expiresAt.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let renewed = false;
	if (row.session.expiresAt.getTime() - now < RENEW_WHEN_REMAINING_MS) {
		row.session.expiresAt = new Date(now + SESSION_LIFETIME_MS);
		await db.update(sessions).set({ expiresAt: row.session.expiresAt }).where(eq(sessions.id, id));
		renewed = true;
	}
	return { session: row.session, user: row.user, renewed };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** "Logga ut överallt". */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
	await db.delete(sessions).where(and(lt(sessions.expiresAt, new Date())));
}
