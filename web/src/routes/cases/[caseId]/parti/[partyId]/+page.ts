import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { WorkspaceDetail } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		const path = `/cases/${encodeURIComponent(params.caseId)}/workspaces/${encodeURIComponent(params.partyId)}`;
		return { workspace: await api<WorkspaceDetail>(path, {}, fetch) };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
