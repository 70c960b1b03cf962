import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
	baselineItemVersions,
	baselines,
	baselineVersions,
	cases,
	comments,
	memberships,
	users
} from '../../db/schema';
import { notFound } from '../errors';
import { can, type Principal, type Thing } from '../policies';
import { draftThing, loadDraft, type LoadedDraft } from './drafts-access';

/**
 * Who may see a comment: the reader must be allowed to read its target (the draft, or the case of a
 * baseline item) and the comment itself (its party or body visibility). Every list, count,
 * notification and live refetch goes through `canSeeComment`.
 */

export type CommentRow = typeof comments.$inferSelect;

/** What the comments of one target hang on: the case, its body, and the thing `can()` is asked about. */
export interface CommentScope {
	caseId: string;
	caseTitle: string;
	bodyId: string;
	/** the draft for draft and amendment targets; null for baseline items */
	draft: LoadedDraft | null;
	/** the thing a reader must be able to read: the draft, or the case */
	thing: Thing;
}

export function commentThing(row: Pick<CommentRow, 'visibility' | 'partyIds' | 'authorId'>, bodyId: string) {
	return {
		type: 'comment',
		bodyId,
		visibility: row.visibility,
		partyIds: row.partyIds,
		authorId: row.authorId
	} as const satisfies Thing;
}

export function canSeeComment(
	user: Principal,
	scope: CommentScope,
	row: Pick<CommentRow, 'visibility' | 'partyIds' | 'authorId'>
) {
	return can(user, 'read', scope.thing) && can(user, 'read', commentThing(row, scope.bodyId));
}

export function draftScope(d: LoadedDraft): CommentScope {
	return { caseId: d.draft.caseId, caseTitle: d.caseTitle, bodyId: d.bodyId, draft: d, thing: draftThing(d) };
}

export async function loadCaseScope(db: Db | Tx, caseId: string): Promise<CommentScope | null> {
	const [row] = await db
		.select({ id: cases.id, title: cases.title, bodyId: cases.bodyId })
		.from(cases)
		.where(eq(cases.id, caseId))
		.limit(1);
	if (!row) return null;
	return {
		caseId: row.id,
		caseTitle: row.title,
		bodyId: row.bodyId,
		draft: null,
		thing: { type: 'case', bodyId: row.bodyId }
	};
}

/** The draft's scope if the user may read the draft; a draft they may not read is "not found". */
export async function readableDraftScope(db: Db | Tx, user: Principal, draftId: string): Promise<CommentScope> {
	const d = await loadDraft(db, draftId);
	if (!d || !can(user, 'read', draftThing(d))) throw notFound('Utkastet hittades inte.');
	return draftScope(d);
}

export async function readableCaseScope(db: Db | Tx, user: Principal, caseId: string): Promise<CommentScope> {
	const scope = await loadCaseScope(db, caseId);
	if (!scope || !can(user, 'read', scope.thing)) throw notFound('Ärendet hittades inte.');
	return scope;
}

/**
 * A baseline item as readers of the case know it: from its latest published (or since superseded)
 * version. Items that exist only in a version the clerk has not published are not found.
 */
export async function loadPublicBaselineItem(db: Db | Tx, itemId: string) {
	const [row] = await db
		.select({
			caseId: baselines.caseId,
			label: baselineItemVersions.label,
			title: baselineItemVersions.title,
			text: baselineItemVersions.text,
			kind: baselineItemVersions.kind
		})
		.from(baselineItemVersions)
		.innerJoin(baselineVersions, eq(baselineItemVersions.versionId, baselineVersions.id))
		.innerJoin(baselines, eq(baselineVersions.baselineId, baselines.id))
		.where(and(eq(baselineItemVersions.itemId, itemId), inArray(baselineVersions.status, ['published', 'superseded'])))
		.orderBy(desc(baselineVersions.number))
		.limit(1);
	return row ?? null;
}

/** Resolves the scope of any comment row, with a cache for lists that span several targets. */
export class ScopeCache {
	private readonly drafts = new Map<string, Promise<CommentScope | null>>();
	private readonly cases = new Map<string, Promise<CommentScope | null>>();

	constructor(private readonly db: Db | Tx) {}

	of(row: Pick<CommentRow, 'draftId' | 'caseId'>): Promise<CommentScope | null> {
		if (row.draftId) {
			const id = row.draftId;
			if (!this.drafts.has(id))
				this.drafts.set(
					id,
					loadDraft(this.db, id).then((d) => (d ? draftScope(d) : null))
				);
			return this.drafts.get(id)!;
		}
		if (!this.cases.has(row.caseId)) this.cases.set(row.caseId, loadCaseScope(this.db, row.caseId));
		return this.cases.get(row.caseId)!;
	}
}

/** Principals of other users, as `can()` needs them, to decide whom a notification may reach. */
export async function loadPrincipals(db: Db | Tx, userIds: readonly string[]): Promise<Map<string, Principal>> {
	const out = new Map<string, Principal>();
	if (userIds.length === 0) return out;
	const rows = await db
		.select({ id: users.id, name: users.name, email: users.email })
		.from(users)
		.where(inArray(users.id, [...userIds]));
	const ms = await db
		.select({
			userId: memberships.userId,
			bodyId: memberships.bodyId,
			role: memberships.role,
			partyId: memberships.partyId,
			seat: memberships.seat
		})
		.from(memberships)
		.where(inArray(memberships.userId, [...userIds]));
	for (const u of rows) {
		out.set(u.id, {
			...u,
			memberships: ms
				.filter((m) => m.userId === u.id)
				.map(({ bodyId, role, partyId, seat }) => ({ bodyId, role, partyId, seat }))
		});
	}
	return out;
}
