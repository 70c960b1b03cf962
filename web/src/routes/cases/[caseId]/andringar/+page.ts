import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { CaseDetail } from '$lib/api/types';
import type { Overview } from '$lib/amendments/types';

export const load: PageLoad = async ({ fetch, params, url }) => {
	try {
		const id = encodeURIComponent(params.caseId);
		const filter = new URLSearchParams();
		for (const key of ['party', 'kind', 'op']) {
			const v = url.searchParams.get(key);
			if (v) filter.set(key, v);
		}
		const [detail, overview] = await Promise.all([
			api<CaseDetail>(`/cases/${id}`, {}, fetch),
			api<Overview>(`/cases/${id}/amendments${filter.size ? `?${filter}` : ''}`, {}, fetch)
		]);
		return { detail, overview };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
