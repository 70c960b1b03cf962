import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { DraftDetail } from '$lib/api/types';
import { versionsApi } from '$lib/versions/api';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const from = url.searchParams.get('fran');
	const to = url.searchParams.get('till') ?? 'nu';
	if (!from) error(400, 'Ange vilken version som ska jämföras.');
	try {
		const [detail, comparison] = await Promise.all([
			api<DraftDetail>(`/drafts/${encodeURIComponent(params.draftId)}`, {}, fetch),
			versionsApi.compare(params.draftId, from, to, fetch)
		]);
		if (detail.case.id !== params.caseId) error(404, 'Utkastet hittades inte.');
		return { detail, comparison };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
