import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cases, draftParties, drafts, sessions, users } from '../../db/schema';
import { loadPrincipal } from '../auth/principal';
import { can, type Principal, type Thing } from '../policies';
import type { AccessMode } from './wire';

/**
 * Document names and who may do what with them. The sync server never decides access itself: it maps
 * a name to the thing behind it and asks `can()`.
 */

export type DocKind = 'draft' | 'case';

export interface DocRef {
	name: string;
	kind: DocKind;
	id: string;
}

const DOC_NAME = /^(draft|case)\.([A-Za-z0-9_-]{1,64})$/;

/** `draft.<draftId>` or `case.<caseId>`; anything else is not a document. */
export function parseDocName(name: string): DocRef | null {
	const m = DOC_NAME.exec(name);
	return m ? { name, kind: m[1] as DocKind, id: m[2] } : null;
}

/** The thing `can()` decides on, or null when the document's draft or case does not exist. */
export async function loadThing(db: Db, ref: DocRef): Promise<Thing | null> {
	if (ref.kind === 'case') {
		const [row] = await db.select({ bodyId: cases.bodyId }).from(cases).where(eq(cases.id, ref.id)).limit(1);
		return row ? { type: 'case', bodyId: row.bodyId } : null;
	}
	// One statement (every socket opening a draft asks this): the parties as an array beside the row.
	const [row] = await db
		.select({
			status: drafts.status,
			bodyId: cases.bodyId,
			partyIds: sql<
				string[]
			>`array(select ${draftParties.partyId} from ${draftParties} where ${draftParties.draftId} = ${drafts.id} order by ${draftParties.role}, ${draftParties.partyId})`
		})
		.from(drafts)
		.innerJoin(cases, eq(drafts.caseId, cases.id))
		.where(eq(drafts.id, ref.id))
		.limit(1);
	if (!row) return null;
	return { type: 'draft', bodyId: row.bodyId, partyIds: row.partyIds, status: row.status };
}

/**
 * What a user may do with a document: write ('edit'), only read ('read'), or nothing (null).
 * A draft is written by those who may edit it; a case's shared space by those who may comment on the case.
 */
export function accessMode(user: Principal | null, thing: Thing | null): AccessMode | null {
	if (!user || !thing) return null;
	if (!can(user, 'read', thing)) return null;
	const write = thing.type === 'draft' ? can(user, 'edit', thing) : can(user, 'comment', thing);
	return write ? 'edit' : 'read';
}

/** The user with fresh memberships, or null when the account is gone. */
export async function loadPrincipalById(db: Db, userId: string): Promise<Principal | null> {
	const [user] = await db
		.select({ id: users.id, name: users.name, email: users.email })
		.from(users)
		.where(eq(users.id, userId))
		.limit(1);
	return user ? loadPrincipal(db, user) : null;
}

/** Whether a session still stands (not logged out, not expired). */
export async function sessionValid(db: Db, sessionId: string, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ expiresAt: sessions.expiresAt })
		.from(sessions)
		.where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
		.limit(1);
	return !!row && row.expiresAt.getTime() > Date.now();
}
