import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { MeetingPage } from '../stallningstaganden/types';

export const load: PageLoad = async ({ fetch, params, depends }) => {
	depends('app:meeting');
	try {
		return { record: await api<MeetingPage>(`/cases/${encodeURIComponent(params.caseId)}/meeting`, {}, fetch) };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
