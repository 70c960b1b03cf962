import type { PageLoad } from './$types';
import { api } from '$lib/api/client';
import type { CaseView } from '$lib/api/types';

export const load: PageLoad = async ({ fetch, parent }) => {
	const { me } = await parent();
	if (!me) return { cases: [] as CaseView[] };
	const { cases } = await api<{ cases: CaseView[] }>('/cases', {}, fetch);
	return { cases };
};
