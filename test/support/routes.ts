import type { App } from '../../server/app';

/**
 * Every endpoint of the HTTP app, read from Hono's route table rather than listed by hand: a route
 * added tomorrow is covered by the generated security tests without anyone remembering to add it.
 */

export interface ApiRoute {
	method: string;
	/** e.g. /api/drafts/:draftId/export/:format */
	path: string;
	/** the names of its path parameters, in order */
	params: string[];
}

/** Handler routes of the app (middleware entries and catch-alls left out), one per method and path. */
export function apiRoutes(app: App): ApiRoute[] {
	const seen = new Map<string, ApiRoute>();
	for (const r of app.routes) {
		if (r.method === 'ALL' || r.path.includes('*')) continue;
		const key = `${r.method} ${r.path}`;
		if (seen.has(key)) continue;
		const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
		seen.set(key, { method: r.method, path: r.path, params });
	}
	return [...seen.values()];
}

/** The path with its parameters filled in (URL-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
	return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, (_m, name: string) => {
		const v = values[name];
		if (v === undefined) throw new Error(`no value for :${name} in ${path}`);
		return encodeURIComponent(v);
	});
}

/** Every combination of one value per parameter. */
export function combinations(params: string[], choices: (name: string) => string[]): Record<string, string>[] {
	let out: Record<string, string>[] = [{}];
	for (const p of params) {
		const values = choices(p);
		out = out.flatMap((partial) => values.map((v) => ({ ...partial, [p]: v })));
	}
	return out;
}
