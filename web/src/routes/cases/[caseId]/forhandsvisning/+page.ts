import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { CaseDetail, DraftSummary } from '$lib/api/types';
import type { PreviewView } from '$lib/amendments/types';

export const load: PageLoad = async ({ fetch, params, url }) => {
	try {
		const id = encodeURIComponent(params.caseId);
		const chosen = (url.searchParams.get('drafts') ?? '').split(',').filter(Boolean);
		const [detail, list] = await Promise.all([
			api<CaseDetail>(`/cases/${id}`, {}, fetch),
			api<{ drafts: DraftSummary[] }>(`/drafts?caseId=${id}`, {}, fetch)
		]);
		const drafts = list.drafts.filter((d) => d.status !== 'withdrawn');
		// Nothing chosen shows the baseline as it is: an empty list asks for no draft at all.
		const preview = await api<PreviewView>(
			`/cases/${id}/amendments/preview?drafts=${encodeURIComponent(chosen.join(','))}`,
			{},
			fetch
		);
		return { detail, drafts, chosen, preview };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
