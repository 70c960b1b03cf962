import type { PageLoad } from './$types';
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import type { DraftKind, DraftSummary, WorkspaceDetail } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		const caseId = encodeURIComponent(params.caseId);
		const partyId = encodeURIComponent(params.partyId);
		const [workspace, list] = await Promise.all([
			api<WorkspaceDetail>(`/cases/${caseId}/workspaces/${partyId}`, {}, fetch),
			api<{ drafts: DraftSummary[]; kinds: { id: DraftKind; label: string }[] }>(
				`/drafts?caseId=${caseId}&partyId=${partyId}`,
				{},
				fetch
			)
		]);
		return { workspace, drafts: list.drafts, kinds: list.kinds };
	} catch (err) {
		if (err instanceof ApiError) error(err.status, err.message);
		throw err;
	}
};
