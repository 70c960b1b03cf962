import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { CaseDetail } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return { detail: await api<CaseDetail>(`/cases/${encodeURIComponent(params.caseId)}`, {}, fetch) };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
