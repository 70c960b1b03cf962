import { and, asc, eq, inArray, or, arrayOverlaps, sql, type SQL } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Db, Tx } from '../../db/client';
import {
	commentReads,
	comments,
	memberships,
	notifications,
	users,
	type CommentAnchor,
	type CommentVisibility,
	type NotificationKind
} from '../../db/schema';
import { recordAudit } from '../audit';
import { readAmendments, type AmendmentOp } from '../domain/draft-doc';
import { badRequest, forbidden, notFound } from '../errors';
import { newId } from '../ids';
import type { LiveEvent } from '../live/hub';
import { can, partiesOf, type Principal } from '../policies';
import { draftDocName } from '../presenters/draft';
import { presentThreads, visibilityText, type ThreadView } from '../presenters/comments';
import { resolveAnchor, shortenQuote } from '../domain/comments-anchor';
import {
	canSeeComment,
	commentThing,
	loadPrincipals,
	loadPublicBaselineItem,
	readableCaseScope,
	readableDraftScope,
	ScopeCache,
	type CommentRow,
	type CommentScope
} from './comments-scope';

/**
 * Comments: threads on a range of a draft's text, on an amendment, or on a baseline item, with
 * replies, edits, deletion, resolve and reopen, @mentions and notifications. Every read goes
 * through `canSeeComment`; every change is audited (without its text) and announced live to exactly
 * the people who may read it.
 */

export interface CommentDeps {
	db: Db;
	/** the sync server's copy of a draft's document, to check anchors and amendments */
	docs: { readDoc(docName: string): Promise<Y.Doc> };
	live?: { publish(event: LiveEvent): void };
}

export interface CommentContext extends CommentDeps {
	user: Principal;
	ip?: string | null;
}

export type TargetInput =
	| { kind: 'draft'; draftId: string; anchor?: CommentAnchor }
	| { kind: 'amendment'; draftId: string; amendmentId: string }
	| { kind: 'baseline_item'; baselineItemId: string };

export interface CreateThreadInput {
	target: TargetInput;
	text: string;
	/** for submitted drafts and baseline items; drafts still being written are always party-internal */
	visibility?: CommentVisibility;
	mentions?: string[];
}

export interface ReplyInput {
	text: string;
	mentions?: string[];
}

/** How long to wait for an anchor the sync server has not received yet (the author's last keystrokes). */
const ANCHOR_WAIT_MS = 2000;

const opLabels: Record<AmendmentOp, string> = {
	change: 'Ny lydelse',
	strike: 'Strykning',
	insert_after: 'Tillägg',
	amounts: 'Nya belopp'
};

// ---- reading -----------------------------------------------------------------------------------

/** Narrows a query to rows the user's parties could see; `canSeeComment` still decides each row. */
function visibleFilter(user: Principal, bodyId: string): SQL {
	const mine = partiesOf(user, bodyId);
	return mine.length
		? (or(eq(comments.visibility, 'body'), arrayOverlaps(comments.partyIds, mine)) as SQL)
		: eq(comments.visibility, 'body');
}

export interface ThreadQuery {
	draftId?: string;
	caseId?: string;
	baselineItemId?: string;
}

export interface ThreadList {
	threads: ThreadView[];
	unread: number;
	viewer: {
		canComment: boolean;
		/** the visibilities a new thread may have here, the default first */
		visibilities: { id: CommentVisibility; label: string }[];
	};
}

async function scopeOfQuery(ctx: CommentContext, q: ThreadQuery): Promise<CommentScope> {
	if (q.draftId) return readableDraftScope(ctx.db, ctx.user, q.draftId);
	if (q.caseId) return readableCaseScope(ctx.db, ctx.user, q.caseId);
	throw badRequest('draftId: Ange ett utkast eller ett ärende.');
}

/** The visibilities a new thread on this target may have, the default first. */
function visibilityChoices(user: Principal, scope: CommentScope) {
	const d = scope.draft;
	if (d && d.draft.status !== 'submitted') {
		return [
			{
				id: 'party' as const,
				label: visibilityText(
					'party',
					d.parties.map((p) => p.partyId)
				)
			}
		];
	}
	const mine = partiesOf(user, scope.bodyId);
	const body = { id: 'body' as const, label: visibilityText('body', []) };
	return mine.length ? [{ id: 'party' as const, label: visibilityText('party', mine) }, body] : [body];
}

/** The threads on a draft (its text and its amendments), or on a case's baseline items. */
export async function listThreads(ctx: CommentContext, q: ThreadQuery): Promise<ThreadList> {
	const { db, user } = ctx;
	const scope = await scopeOfQuery(ctx, q);
	const where = q.draftId
		? eq(comments.draftId, q.draftId)
		: and(
				eq(comments.caseId, scope.caseId),
				eq(comments.targetKind, 'baseline_item'),
				q.baselineItemId ? eq(comments.baselineItemId, q.baselineItemId) : undefined
			);
	const rows = (
		await db
			.select()
			.from(comments)
			.where(and(where, visibleFilter(user, scope.bodyId)))
			.orderBy(asc(comments.createdAt), asc(comments.id))
	).filter((r) => canSeeComment(user, scope, r));
	const threads = await present(ctx, scope, rows);
	return {
		threads,
		unread: threads.reduce((n, t) => n + t.unread, 0),
		viewer: {
			canComment: can(user, 'comment', scope.thing),
			visibilities: can(user, 'comment', scope.thing) ? visibilityChoices(user, scope) : []
		}
	};
}

async function present(ctx: CommentContext, scope: CommentScope, rows: CommentRow[]) {
	const { db, user } = ctx;
	const threadIds = [...new Set(rows.map((r) => r.threadId))];
	const people = [
		...new Set(
			rows
				.flatMap((r) => [r.authorId, r.resolvedBy, ...r.mentions])
				.filter((id): id is string => typeof id === 'string')
		)
	];
	const names = people.length
		? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, people))
		: [];
	const reads = threadIds.length
		? await db
				.select()
				.from(commentReads)
				.where(and(eq(commentReads.userId, user.id), inArray(commentReads.threadId, threadIds)))
		: [];
	const canComment = can(user, 'comment', scope.thing);
	return presentThreads(rows, {
		viewerId: user.id,
		names: new Map(names.map((n) => [n.id, n.name])),
		seen: new Map(reads.map((r) => [r.threadId, r.seenAt])),
		canReply: (row) => canComment && can(user, 'comment', commentThing(row, scope.bodyId)),
		canEdit: (row) => can(user, 'edit', commentThing(row, scope.bodyId))
	});
}

/** One thread as the user sees it (after a change, for the response). */
export async function getThread(ctx: CommentContext, threadId: string): Promise<ThreadView> {
	const { row, scope } = await loadVisible(ctx, threadId);
	const rows = (
		await ctx.db
			.select()
			.from(comments)
			.where(eq(comments.threadId, row.threadId))
			.orderBy(asc(comments.createdAt), asc(comments.id))
	).filter((r) => canSeeComment(ctx.user, scope, r));
	const [thread] = await present(ctx, scope, rows);
	if (!thread) throw notFound('Kommentaren hittades inte.');
	return thread;
}

/** A comment the user may see, with its scope; anything else is "not found", like a missing one. */
async function loadVisible(ctx: CommentContext, commentId: string, db: Db | Tx = ctx.db) {
	const [row] = await db.select().from(comments).where(eq(comments.id, commentId)).limit(1);
	const scope = row ? await new ScopeCache(db).of(row) : null;
	if (!row || !scope || !canSeeComment(ctx.user, scope, row)) throw notFound('Kommentaren hittades inte.');
	return { row, scope };
}

// ---- mentions ----------------------------------------------------------------------------------

export interface Mentionable {
	id: string;
	name: string;
	partyId: string;
}

/**
 * The people the user may name with @ on this target: secretaries and members of the user's own
 * parties who may read the target.
 */
export async function mentionable(ctx: CommentContext, q: ThreadQuery): Promise<Mentionable[]> {
	const scope = await scopeOfQuery(ctx, q);
	return mentionableIn(ctx, scope);
}

async function mentionableIn(ctx: CommentContext, scope: CommentScope): Promise<Mentionable[]> {
	const { db, user } = ctx;
	const mine = partiesOf(user, scope.bodyId);
	if (mine.length === 0) return [];
	const rows = await db
		.select({ id: users.id, name: users.name, partyId: memberships.partyId })
		.from(memberships)
		.innerJoin(users, eq(memberships.userId, users.id))
		.where(
			and(
				eq(memberships.bodyId, scope.bodyId),
				inArray(memberships.role, ['secretary', 'member']),
				inArray(memberships.partyId, mine)
			)
		)
		.orderBy(asc(users.name));
	const principals = await loadPrincipals(
		db,
		rows.map((r) => r.id)
	);
	const seen = new Set<string>();
	return rows
		.filter((r) => {
			if (r.id === user.id || seen.has(r.id)) return false;
			seen.add(r.id);
			const p = principals.get(r.id);
			return !!p && can(p, 'read', scope.thing);
		})
		.map((r) => ({ id: r.id, name: r.name, partyId: r.partyId as string }));
}

/** Mentions as given, checked: each must be someone of the author's party who can read the comment. */
async function checkMentions(
	ctx: CommentContext,
	scope: CommentScope,
	row: Pick<CommentRow, 'visibility' | 'partyIds' | 'authorId'>,
	ids: readonly string[] | undefined
): Promise<string[]> {
	const wanted = [...new Set(ids ?? [])];
	if (wanted.length === 0) return [];
	const allowed = new Set((await mentionableIn(ctx, scope)).map((m) => m.id));
	const principals = await loadPrincipals(ctx.db, wanted);
	for (const id of wanted) {
		const p = principals.get(id);
		if (!allowed.has(id) || !p || !canSeeComment(p, scope, row)) {
			throw badRequest('mentions: Du kan bara nämna personer i ditt eget parti som kan läsa kommentaren.');
		}
	}
	return wanted;
}

// ---- notifications -----------------------------------------------------------------------------

/**
 * Notifies people of a new or edited comment: the mentioned, and for a reply everyone who wrote in
 * the thread. Only people who may see the comment are notified; nobody is notified twice of one
 * comment, nor of their own.
 */
async function notify(
	tx: Tx,
	scope: CommentScope,
	row: CommentRow,
	mentioned: readonly string[],
	participants: readonly string[]
) {
	const kinds = new Map<string, NotificationKind>();
	for (const id of participants) kinds.set(id, 'reply');
	for (const id of mentioned) kinds.set(id, 'mention');
	kinds.delete(row.authorId ?? '');
	if (kinds.size === 0) return;
	const principals = await loadPrincipals(tx, [...kinds.keys()]);
	const values = [...kinds]
		.filter(([id]) => {
			const p = principals.get(id);
			return !!p && canSeeComment(p, scope, row);
		})
		.map(([userId, kind]) => ({ id: newId(), userId, kind, commentId: row.id }));
	if (values.length) await tx.insert(notifications).values(values).onConflictDoNothing();
}

function announce(
	ctx: CommentContext,
	scope: CommentScope,
	row: Pick<CommentRow, 'visibility' | 'partyIds' | 'threadId'>
) {
	ctx.live?.publish({
		caseId: scope.caseId,
		bodyId: scope.bodyId,
		audience: row.visibility === 'body' ? { kind: 'body' } : { kind: 'parties', partyIds: row.partyIds },
		topic: 'comments',
		ids: [row.threadId]
	});
}

async function audit(tx: Tx, ctx: CommentContext, scope: CommentScope, action: string, row: CommentRow) {
	await recordAudit(tx, {
		actorId: ctx.user.id,
		action,
		bodyId: scope.bodyId,
		// A party-internal comment's entry belongs to that party's log.
		partyId: row.visibility === 'party' ? (row.partyIds[0] ?? null) : null,
		subjectType: 'comment',
		subjectId: row.id,
		details: {
			threadId: row.threadId,
			targetKind: row.targetKind,
			...(row.draftId ? { draftId: row.draftId } : {}),
			...(row.baselineItemId ? { baselineItemId: row.baselineItemId } : {}),
			visibility: row.visibility
		},
		ip: ctx.ip
	});
}

// ---- writing -----------------------------------------------------------------------------------

/** Waits briefly for the sync server to hold the anchored text, which the author may have just typed. */
async function resolveAnchorInDraft(docs: CommentDeps['docs'], draftId: string, anchor: CommentAnchor) {
	const until = Date.now() + ANCHOR_WAIT_MS;
	for (;;) {
		const state = resolveAnchor(await docs.readDoc(draftDocName(draftId)), anchor);
		if (state.status === 'present' || Date.now() > until) return state;
		await new Promise((r) => setTimeout(r, 100));
	}
}

interface TargetFacts {
	scope: CommentScope;
	fields: Pick<CommentRow, 'targetKind' | 'draftId' | 'amendmentId' | 'baselineItemId' | 'anchor' | 'quote'>;
}

async function resolveTarget(ctx: CommentContext, target: TargetInput): Promise<TargetFacts> {
	const { db, user } = ctx;
	if (target.kind === 'baseline_item') {
		const item = await loadPublicBaselineItem(db, target.baselineItemId);
		if (!item) throw notFound('Punkten i underlaget hittades inte.');
		const scope = await readableCaseScope(db, user, item.caseId);
		if (!can(user, 'comment', scope.thing)) throw forbidden('Du kan inte kommentera underlaget.');
		const quote = shortenQuote([item.label, item.title ?? item.text ?? ''].filter(Boolean).join(' '));
		return {
			scope,
			fields: {
				targetKind: 'baseline_item',
				draftId: null,
				amendmentId: null,
				baselineItemId: target.baselineItemId,
				anchor: null,
				quote: quote || null
			}
		};
	}
	const scope = await readableDraftScope(db, user, target.draftId);
	if (!can(user, 'comment', scope.thing)) throw forbidden('Du kan inte kommentera det här utkastet.');
	if (target.kind === 'amendment') {
		const doc = await ctx.docs.readDoc(draftDocName(target.draftId));
		const a = readAmendments(doc).find((x) => x.id === target.amendmentId);
		if (!a) throw notFound('Ändringsförslaget hittades inte.');
		return {
			scope,
			fields: {
				targetKind: 'amendment',
				draftId: target.draftId,
				amendmentId: target.amendmentId,
				baselineItemId: null,
				anchor: null,
				quote: shortenQuote(a.text.trim() ? a.text : opLabels[a.op])
			}
		};
	}
	let quote: string | null = null;
	if (target.anchor) {
		const state = await resolveAnchorInDraft(ctx.docs, target.draftId, target.anchor);
		if (state.status !== 'present') {
			throw badRequest('anchor: Den markerade texten finns inte i utkastet. Markera texten igen.');
		}
		quote = shortenQuote(state.text);
	}
	return {
		scope,
		fields: {
			targetKind: 'draft',
			draftId: target.draftId,
			amendmentId: null,
			baselineItemId: null,
			anchor: target.anchor ?? null,
			quote
		}
	};
}

/** Starts a thread; returns it as the author sees it. */
export async function createThread(ctx: CommentContext, input: CreateThreadInput): Promise<ThreadView> {
	const { db, user } = ctx;
	const { scope, fields } = await resolveTarget(ctx, input.target);
	const mine = partiesOf(user, scope.bodyId);
	const d = scope.draft;
	let visibility: CommentVisibility;
	let partyIds: string[];
	if (d && d.draft.status !== 'submitted') {
		// A draft still being written is internal to its parties, and so is all talk about it.
		if (input.visibility === 'body') {
			throw badRequest(
				'visibility: Kommentarer på ett utkast som inte är inlämnat är interna för partierna bakom utkastet.'
			);
		}
		visibility = 'party';
		partyIds = d.parties.map((p) => p.partyId);
	} else {
		visibility = input.visibility ?? (mine.length ? 'party' : 'body');
		if (visibility === 'party' && mine.length === 0) {
			throw badRequest('visibility: Du företräder inget parti. Välj "Offentligt i nämnden".');
		}
		partyIds = visibility === 'party' ? mine : [];
	}
	const id = newId();
	const draftParties = d?.parties.map((p) => p.partyId) ?? [];
	const base = { visibility, partyIds, authorId: user.id };
	const mentions = await checkMentions(ctx, scope, base, input.mentions);
	const row: CommentRow = {
		id,
		caseId: scope.caseId,
		threadId: id,
		parentId: null,
		...fields,
		...base,
		authorPartyId: mine.find((p) => draftParties.includes(p)) ?? mine[0] ?? null,
		text: input.text.trim(),
		mentions,
		createdAt: new Date(),
		editedAt: null,
		deletedAt: null,
		resolvedAt: null,
		resolvedBy: null
	};
	await db.transaction(async (tx) => {
		await tx.insert(comments).values(row);
		// One's own thread is read.
		await tx.insert(commentReads).values({ userId: user.id, threadId: id, seenAt: row.createdAt });
		await notify(tx, scope, row, mentions, []);
		await audit(tx, ctx, scope, 'comment.create', row);
	});
	announce(ctx, scope, row);
	return getThread(ctx, id);
}

/** Answers a comment; the reply joins its thread, with the thread's target and visibility. */
export async function replyTo(ctx: CommentContext, commentId: string, input: ReplyInput): Promise<ThreadView> {
	const { db, user } = ctx;
	const { row: parent, scope } = await loadVisible(ctx, commentId);
	if (!can(user, 'comment', scope.thing) || !can(user, 'comment', commentThing(parent, scope.bodyId))) {
		throw forbidden('Du kan inte svara i den här tråden.');
	}
	const thread = await db
		.select({ authorId: comments.authorId, deletedAt: comments.deletedAt })
		.from(comments)
		.where(eq(comments.threadId, parent.threadId));
	const mine = partiesOf(user, scope.bodyId);
	const base = { visibility: parent.visibility, partyIds: parent.partyIds, authorId: user.id };
	const mentions = await checkMentions(ctx, scope, base, input.mentions);
	const row: CommentRow = {
		id: newId(),
		caseId: parent.caseId,
		threadId: parent.threadId,
		parentId: parent.id,
		targetKind: parent.targetKind,
		draftId: parent.draftId,
		amendmentId: parent.amendmentId,
		baselineItemId: parent.baselineItemId,
		anchor: null,
		quote: null,
		...base,
		authorPartyId: mine.find((p) => parent.partyIds.includes(p)) ?? mine[0] ?? null,
		text: input.text.trim(),
		mentions,
		createdAt: new Date(),
		editedAt: null,
		deletedAt: null,
		resolvedAt: null,
		resolvedBy: null
	};
	const participants = [...new Set(thread.filter((t) => !t.deletedAt && t.authorId).map((t) => t.authorId as string))];
	await db.transaction(async (tx) => {
		await tx.insert(comments).values(row);
		await tx
			.insert(commentReads)
			.values({ userId: user.id, threadId: row.threadId, seenAt: row.createdAt })
			.onConflictDoUpdate({
				target: [commentReads.userId, commentReads.threadId],
				set: { seenAt: row.createdAt }
			});
		await notify(tx, scope, row, mentions, participants);
		await audit(tx, ctx, scope, 'comment.reply', row);
	});
	announce(ctx, scope, row);
	return getThread(ctx, row.threadId);
}

async function loadOwn(ctx: CommentContext, commentId: string) {
	const found = await loadVisible(ctx, commentId);
	if (found.row.deletedAt) throw notFound('Kommentaren har tagits bort.');
	if (!can(ctx.user, 'edit', commentThing(found.row, found.scope.bodyId))) {
		throw forbidden('Du kan bara ändra och ta bort dina egna kommentarer.');
	}
	return found;
}

/** Changes the text of one's own comment; people newly mentioned are notified. */
export async function editComment(ctx: CommentContext, commentId: string, input: ReplyInput): Promise<ThreadView> {
	const { row, scope } = await loadOwn(ctx, commentId);
	const mentions = await checkMentions(ctx, scope, row, input.mentions);
	const next: CommentRow = { ...row, text: input.text.trim(), mentions, editedAt: new Date() };
	const added = mentions.filter((m) => !row.mentions.includes(m));
	await ctx.db.transaction(async (tx) => {
		await tx
			.update(comments)
			.set({ text: next.text, mentions, editedAt: next.editedAt })
			.where(eq(comments.id, row.id));
		await notify(tx, scope, next, added, []);
		await audit(tx, ctx, scope, 'comment.edit', next);
	});
	announce(ctx, scope, row);
	return getThread(ctx, row.threadId);
}

/**
 * Deletes one's own comment: its text is gone for good, the row stays so the replies keep their
 * place ("Kommentaren har tagits bort"), and notifications about it disappear.
 */
export async function deleteComment(ctx: CommentContext, commentId: string): Promise<void> {
	const { row, scope } = await loadOwn(ctx, commentId);
	await ctx.db.transaction(async (tx) => {
		await tx.update(comments).set({ text: '', mentions: [], deletedAt: new Date() }).where(eq(comments.id, row.id));
		await tx.delete(notifications).where(eq(notifications.commentId, row.id));
		await audit(tx, ctx, scope, 'comment.delete', row);
	});
	announce(ctx, scope, row);
}

/** Marks a thread resolved (the discussion is settled) or open again. */
export async function setResolved(ctx: CommentContext, commentId: string, resolved: boolean): Promise<ThreadView> {
	const { user } = ctx;
	const { row, scope } = await loadVisible(ctx, commentId);
	if (!can(user, 'comment', scope.thing) || !can(user, 'comment', commentThing(row, scope.bodyId))) {
		throw forbidden(resolved ? 'Du kan inte markera tråden som löst.' : 'Du kan inte öppna tråden igen.');
	}
	const [root] = await ctx.db.select().from(comments).where(eq(comments.id, row.threadId)).limit(1);
	if (root && !!root.resolvedAt !== resolved) {
		const at = resolved ? new Date() : null;
		await ctx.db.transaction(async (tx) => {
			await tx
				.update(comments)
				.set({ resolvedAt: at, resolvedBy: resolved ? user.id : null })
				.where(eq(comments.id, root.id));
			await audit(tx, ctx, scope, resolved ? 'comment.resolve' : 'comment.reopen', root);
		});
		announce(ctx, scope, root);
	}
	return getThread(ctx, row.threadId);
}

/** Marks threads read up to now for the user; threads the user cannot see are left alone. */
export async function markThreadsRead(ctx: CommentContext, threadIds: readonly string[]): Promise<void> {
	const { db, user } = ctx;
	if (threadIds.length === 0) return;
	const roots = await db
		.select()
		.from(comments)
		.where(and(inArray(comments.id, [...threadIds]), eq(comments.threadId, comments.id)));
	const scopes = new ScopeCache(db);
	const now = new Date();
	const visible: string[] = [];
	for (const r of roots) {
		const scope = await scopes.of(r);
		if (scope && canSeeComment(user, scope, r)) visible.push(r.id);
	}
	if (visible.length === 0) return;
	await db
		.insert(commentReads)
		.values(visible.map((threadId) => ({ userId: user.id, threadId, seenAt: now })))
		.onConflictDoUpdate({
			target: [commentReads.userId, commentReads.threadId],
			set: { seenAt: sql`excluded.seen_at` }
		});
}
