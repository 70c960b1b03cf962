import { api } from '$lib/api/client';
import type { AuditPage, Comparison, VersionDetail, VersionList, VersionView } from './types';

type Fetch = typeof fetch;
const draftPath = (draftId: string) => `/drafts/${encodeURIComponent(draftId)}`;

export const versionsApi = {
	list: (draftId: string, f?: Fetch) => api<VersionList>(`${draftPath(draftId)}/versions`, {}, f),
	get: (draftId: string, versionId: string, f?: Fetch) =>
		api<VersionDetail>(`${draftPath(draftId)}/versions/${encodeURIComponent(versionId)}`, {}, f),
	compare: (draftId: string, from: string, to: string, f?: Fetch) =>
		api<Comparison>(`${draftPath(draftId)}/versions/compare?${new URLSearchParams({ from, to }).toString()}`, {}, f),
	save: (draftId: string, label: string) =>
		api<{ version: VersionView }>(`${draftPath(draftId)}/versions`, { method: 'POST', json: { label } }),
	restore: (draftId: string, versionId: string) =>
		api<{ restored: string; backupId: string }>(
			`${draftPath(draftId)}/versions/${encodeURIComponent(versionId)}/restore`,
			{ method: 'POST' }
		)
};

export interface AuditFilter {
	scope?: 'case' | 'body';
	category?: string;
	before?: number | null;
	limit?: number;
}

function auditQuery(filter: AuditFilter): string {
	const q = new URLSearchParams();
	if (filter.scope) q.set('scope', filter.scope);
	if (filter.category) q.set('category', filter.category);
	if (filter.before) q.set('before', String(filter.before));
	if (filter.limit) q.set('limit', String(filter.limit));
	const s = q.toString();
	return s ? `?${s}` : '';
}

export const auditApi = {
	forCase: (caseId: string, filter: AuditFilter = {}, f?: Fetch) =>
		api<AuditPage & { case: { id: string; title: string; caseNumber: string; bodyName: string } }>(
			`/cases/${encodeURIComponent(caseId)}/audit${auditQuery(filter)}`,
			{},
			f
		),
	forDraft: (draftId: string, filter: AuditFilter = {}, f?: Fetch) =>
		api<AuditPage>(`${draftPath(draftId)}/audit${auditQuery(filter)}`, {}, f)
};

/** "Automatisk, efter redigering" or the writer's own label, for lists and headings. */
export function versionTitle(v: VersionView): string {
	return v.label ? `${v.label}` : v.kindLabel;
}
