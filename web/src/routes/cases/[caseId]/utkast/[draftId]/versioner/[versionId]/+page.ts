import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { DraftDetail } from '$lib/api/types';
import { versionsApi } from '$lib/versions/api';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		const [detail, version, list] = await Promise.all([
			api<DraftDetail>(`/drafts/${encodeURIComponent(params.draftId)}`, {}, fetch),
			versionsApi.get(params.draftId, params.versionId, fetch),
			versionsApi.list(params.draftId, fetch)
		]);
		if (detail.case.id !== params.caseId) error(404, 'Utkastet hittades inte.');
		return { detail, version, viewer: list.viewer };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
