import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { cases, comments, notifications, users, type NotificationKind } from '../../db/schema';
import type { CommentContext } from './comments';
import { canSeeComment, ScopeCache } from './comments-scope';

/** Longest excerpt of a comment shown in the list of notifications. */
const EXCERPT = 140;

export interface NotificationView {
	id: string;
	kind: NotificationKind;
	read: boolean;
	createdAt: string;
	actor: string | null;
	/** the comment's beginning, as text */
	excerpt: string;
	caseId: string;
	caseTitle: string;
	threadId: string;
	/** where the comment is shown */
	href: string;
}

/** How many notifications are fetched and checked per request. */
const LIMIT = 50;

/**
 * The user's notifications, newest first, each checked again against the comment's visibility:
 * one about a comment the user may no longer read (a party left the draft, the comment was
 * deleted) is not shown and does not count.
 */
export async function listNotifications(
	ctx: Pick<CommentContext, 'db' | 'user'>
): Promise<{ items: NotificationView[]; unread: number }> {
	const { db, user } = ctx;
	const rows = await db
		.select({ n: notifications, c: comments, actor: users.name, caseTitle: cases.title })
		.from(notifications)
		.innerJoin(comments, eq(notifications.commentId, comments.id))
		.innerJoin(cases, eq(comments.caseId, cases.id))
		.leftJoin(users, eq(comments.authorId, users.id))
		.where(eq(notifications.userId, user.id))
		.orderBy(desc(notifications.createdAt))
		.limit(LIMIT);
	const scopes = new ScopeCache(db);
	const items: NotificationView[] = [];
	for (const { n, c, actor, caseTitle } of rows) {
		if (c.deletedAt) continue;
		const scope = await scopes.of(c);
		if (!scope || !canSeeComment(user, scope, c)) continue;
		const text = c.text.replace(/\s+/g, ' ').trim();
		const chars = Array.from(text);
		items.push({
			id: n.id,
			kind: n.kind,
			read: !!n.readAt,
			createdAt: n.createdAt.toISOString(),
			actor,
			excerpt: chars.length > EXCERPT ? `${chars.slice(0, EXCERPT - 1).join('')}…` : text,
			caseId: c.caseId,
			caseTitle,
			threadId: c.threadId,
			href: c.draftId
				? `/cases/${encodeURIComponent(c.caseId)}/utkast/${encodeURIComponent(c.draftId)}#kommentar-${c.threadId}`
				: `/cases/${encodeURIComponent(c.caseId)}#kommentar-${c.threadId}`
		});
	}
	return { items, unread: items.filter((i) => !i.read).length };
}

/** Marks the given notifications (or all of the user's) read. */
export async function markNotificationsRead(ctx: Pick<CommentContext, 'db' | 'user'>, ids?: readonly string[]) {
	await ctx.db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(
			and(
				eq(notifications.userId, ctx.user.id),
				isNull(notifications.readAt),
				ids ? inArray(notifications.id, [...ids]) : undefined
			)
		);
}
