import type { CommentAnchor, CommentTargetKind, CommentVisibility, comments } from '../../db/schema';

type CommentRow = typeof comments.$inferSelect;

/**
 * What leaves the server of a comment. The text goes out exactly as typed: the web shows it as
 * text (never as markup), and nothing here tries to clean it, so what a member wrote is what the
 * others read. A deleted comment goes out without text.
 */
export interface CommentView {
	id: string;
	parentId: string | null;
	author: { id: string; name: string; partyId: string | null } | null;
	/** null when deleted */
	text: string | null;
	deleted: boolean;
	createdAt: string;
	editedAt: string | null;
	mentions: { id: string; name: string }[];
	unread: boolean;
	viewer: { canEdit: boolean };
}

export interface ThreadView {
	id: string;
	target: {
		kind: CommentTargetKind;
		draftId: string | null;
		amendmentId: string | null;
		baselineItemId: string | null;
	};
	anchor: CommentAnchor | null;
	/** the commented text when the thread was started */
	quote: string | null;
	visibility: CommentVisibility;
	visibilityLabel: string;
	partyIds: string[];
	resolved: { at: string; by: string | null } | null;
	/** comments of others the viewer has not read yet */
	unread: number;
	comments: CommentView[];
	viewer: { canReply: boolean };
}

export interface PresentOptions {
	viewerId: string;
	names: Map<string, string>;
	/** when the viewer last read each thread */
	seen: Map<string, Date>;
	canReply: (row: CommentRow) => boolean;
	canEdit: (row: CommentRow) => boolean;
}

export function visibilityText(visibility: CommentVisibility, partyIds: readonly string[]): string {
	return visibility === 'body' ? 'Offentligt i nämnden' : `Internt för ${partyIds.join(', ')}`;
}

/**
 * Groups visible rows into threads, oldest first. A thread whose every comment was deleted is left
 * out; one with replies keeps its deleted first comment as a placeholder.
 */
export function presentThreads(rows: readonly CommentRow[], o: PresentOptions): ThreadView[] {
	const byThread = new Map<string, CommentRow[]>();
	for (const r of rows) {
		const list = byThread.get(r.threadId) ?? [];
		list.push(r);
		byThread.set(r.threadId, list);
	}
	const out: ThreadView[] = [];
	for (const [threadId, list] of byThread) {
		const root = list.find((r) => r.id === threadId);
		if (!root || list.every((r) => r.deletedAt)) continue;
		const seen = o.seen.get(threadId);
		const isUnread = (r: CommentRow) =>
			!r.deletedAt && r.authorId !== o.viewerId && (!seen || r.createdAt.getTime() > seen.getTime());
		const ordered = [root, ...list.filter((r) => r !== root)];
		out.push({
			id: threadId,
			target: {
				kind: root.targetKind,
				draftId: root.draftId,
				amendmentId: root.amendmentId,
				baselineItemId: root.baselineItemId
			},
			anchor: root.anchor,
			quote: root.quote,
			visibility: root.visibility,
			visibilityLabel: visibilityText(root.visibility, root.partyIds),
			partyIds: root.partyIds,
			resolved: root.resolvedAt
				? { at: root.resolvedAt.toISOString(), by: root.resolvedBy ? (o.names.get(root.resolvedBy) ?? null) : null }
				: null,
			unread: ordered.filter(isUnread).length,
			comments: ordered.map((r) => ({
				id: r.id,
				parentId: r.parentId,
				author: r.authorId
					? { id: r.authorId, name: o.names.get(r.authorId) ?? 'Okänd', partyId: r.authorPartyId }
					: null,
				text: r.deletedAt ? null : r.text,
				deleted: !!r.deletedAt,
				createdAt: r.createdAt.toISOString(),
				editedAt: r.editedAt?.toISOString() ?? null,
				mentions: r.deletedAt ? [] : r.mentions.map((id) => ({ id, name: o.names.get(id) ?? 'Okänd' })),
				unread: isUnread(r),
				viewer: { canEdit: !r.deletedAt && o.canEdit(r) }
			})),
			viewer: { canReply: o.canReply(root) }
		});
	}
	return out;
}
