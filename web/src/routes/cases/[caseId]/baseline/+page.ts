import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { CaseDetail } from '$lib/api/types';
import type { BaselineOverview, VersionDetail } from './types';

export const load: PageLoad = async ({ fetch, params }) => {
	const id = encodeURIComponent(params.caseId);
	try {
		const [detail, overview] = await Promise.all([
			api<CaseDetail>(`/cases/${id}`, {}, fetch),
			api<BaselineOverview>(`/cases/${id}/baseline`, {}, fetch)
		]);
		// The clerk works on the draft when there is one; everyone else reads the published version.
		const shown = overview.draft ?? overview.published?.version ?? null;
		const version = shown
			? await api<VersionDetail>(`/cases/${id}/baseline/versions/${shown.number}`, {}, fetch)
			: null;
		return { detail, overview, version };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
