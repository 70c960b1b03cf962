import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { DraftDetail } from '$lib/api/types';
import { auditApi } from '$lib/versions/api';

const categories = ['auth', 'membership', 'draft', 'version', 'position', 'comment', 'meeting', 'export'];

export const load: PageLoad = async ({ fetch, params, url }) => {
	const draftId = url.searchParams.get('utkast');
	const scope: 'body' | 'case' = url.searchParams.get('omfang') === 'namnd' ? 'body' : 'case';
	const typ = url.searchParams.get('typ');
	const category = typ && categories.includes(typ) ? typ : undefined;
	try {
		if (draftId) {
			const [page, detail] = await Promise.all([
				auditApi.forDraft(draftId, { category }, fetch),
				api<DraftDetail>(`/drafts/${encodeURIComponent(draftId)}`, {}, fetch)
			]);
			if (detail.case.id !== params.caseId) error(404, 'Utkastet hittades inte.');
			return {
				page,
				filter: { draftId, scope, category },
				draft: { id: detail.draft.id, title: detail.draft.title, kindLabel: detail.draft.kindLabel },
				case: { id: detail.case.id, caseNumber: detail.case.caseNumber, title: detail.case.title }
			};
		}
		const page = await auditApi.forCase(params.caseId, { scope, category }, fetch);
		return { page, filter: { draftId: null, scope, category }, draft: null, case: page.case };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
