import { api, ApiError } from './api/client';
import type { Me } from './api/types';

/** Who is logged in, shared by the header and the pages. */
class SessionState {
	me = $state<Me | null>(null);
	loaded = $state(false);

	async refresh(f: typeof fetch = fetch): Promise<Me | null> {
		try {
			const { user } = await api<{ user: Me }>('/auth/me', {}, f);
			this.me = user;
		} catch (err) {
			if (!(err instanceof ApiError) || err.status !== 401) throw err;
			this.me = null;
		}
		this.loaded = true;
		return this.me;
	}

	async logout(): Promise<void> {
		await api('/auth/logout', { method: 'POST' });
		this.me = null;
	}
}

export const session = new SessionState();
