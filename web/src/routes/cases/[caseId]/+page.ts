import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { CaseDetail, DraftSummary } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		const id = encodeURIComponent(params.caseId);
		const [detail, submitted] = await Promise.all([
			api<CaseDetail>(`/cases/${id}`, {}, fetch),
			api<{ drafts: DraftSummary[] }>(`/drafts?caseId=${id}&status=submitted`, {}, fetch)
		]);
		return { detail, submitted: submitted.drafts };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
