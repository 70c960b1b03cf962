import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { DraftDetail, PartyRef } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		const [detail, { parties }] = await Promise.all([
			api<DraftDetail>(`/drafts/${encodeURIComponent(params.draftId)}`, {}, fetch),
			api<{ parties: PartyRef[] }>('/parties', {}, fetch)
		]);
		if (detail.case.id !== params.caseId) error(404, 'Utkastet hittades inte.');
		return { detail, parties };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
