import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import { matrixFilterKeys, type Matrix, type PositionsPage } from './types';

export const load: PageLoad = async ({ fetch, params, url, depends }) => {
	// live events refetch this page's data only, not the session of the layout
	depends('app:positions');
	try {
		const id = encodeURIComponent(params.caseId);
		const filter = new URLSearchParams();
		for (const key of matrixFilterKeys) for (const v of url.searchParams.getAll(key)) if (v) filter.append(key, v);
		const { matrix, ...page } = await api<PositionsPage & { matrix: Matrix }>(
			`/cases/${id}/positions${filter.size ? `?${filter}` : ''}`,
			{},
			fetch
		);
		return { page, matrix };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
