// The shapes of the comments API (server/presenters/comments.ts, server/commands/comments*.ts).
export type { CommentView, ThreadView } from '../../../../server/presenters/comments';
export type { NotificationView } from '../../../../server/commands/comments-notifications';
export type { CommentAnchor } from '../../../../server/domain/comments-anchor';
import type { ThreadView } from '../../../../server/presenters/comments';

export type Visibility = 'party' | 'body';

export interface ThreadList {
	threads: ThreadView[];
	unread: number;
	viewer: { canComment: boolean; visibilities: { id: Visibility; label: string }[] };
}

export interface Person {
	id: string;
	name: string;
	partyId: string;
}

/** Where comments are listed and written: a draft, or the baseline items of a case. */
export type CommentPlace = { draftId: string } | { caseId: string };
