import type { LayoutLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { session } from '$lib/session.svelte';

// The app is behind a login and talks to the API from the browser; the server sends the shell only.
export const ssr = false;
export const prerender = false;

export const load: LayoutLoad = async ({ fetch, url }) => {
	const me = await session.refresh(fetch);
	if (!me && url.pathname !== '/login') {
		redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return { me };
};
