import { api } from '$lib/api/client';
import type { CommentAnchor, CommentPlace, Person, ThreadList, ThreadView, Visibility } from './types';

/** The comments API as the web uses it. Errors come as ApiError with the server's Swedish message. */

function query(place: CommentPlace, extra: Record<string, string> = {}): string {
	return new URLSearchParams({ ...place, ...extra }).toString();
}

export function listThreads(place: CommentPlace): Promise<ThreadList> {
	return api<ThreadList>(`/comments?${query(place)}`);
}

export async function mentionable(place: CommentPlace): Promise<Person[]> {
	return (await api<{ people: Person[] }>(`/comments/mentionable?${query(place)}`)).people;
}

export type NewTarget =
	| { kind: 'draft'; draftId: string; anchor?: CommentAnchor }
	| { kind: 'amendment'; draftId: string; amendmentId: string }
	| { kind: 'baseline_item'; baselineItemId: string };

export interface Written {
	text: string;
	mentions: string[];
}

export async function startThread(target: NewTarget, written: Written, visibility?: Visibility) {
	return (await api<{ thread: ThreadView }>('/comments', { method: 'POST', json: { target, ...written, visibility } }))
		.thread;
}

export async function reply(commentId: string, written: Written) {
	return (await api<{ thread: ThreadView }>(`/comments/${commentId}/replies`, { method: 'POST', json: written }))
		.thread;
}

export async function edit(commentId: string, written: Written) {
	return (await api<{ thread: ThreadView }>(`/comments/${commentId}`, { method: 'PATCH', json: written })).thread;
}

export async function remove(commentId: string): Promise<void> {
	await api(`/comments/${commentId}`, { method: 'DELETE' });
}

export async function setResolved(threadId: string, resolved: boolean) {
	return (await api<{ thread: ThreadView }>(`/comments/${threadId}/resolve`, { method: resolved ? 'POST' : 'DELETE' }))
		.thread;
}

export async function markRead(threadIds: string[]): Promise<void> {
	if (threadIds.length) await api('/comments/read', { method: 'POST', json: { threadIds } });
}

/** Tells the header's notifications that comments changed, so its badge follows without waiting. */
export function notifyChanged(): void {
	if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent('yrka:comments-changed'));
}
