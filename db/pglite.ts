import type { PGlite, QueryOptions } from '@electric-sql/pglite';

const PROBE = '\u0000yrka-parser-probe';
const identity = (value: string) => value;

/**
 * The PGlite client as drizzle gets it. drizzle's PGlite driver passes the same type parsers with
 * every query (timestamps, dates and intervals left as text); PGlite merges them into its own table
 * of several hundred parsers, one object spread per query: 250 µs of CPU, more than a small INSERT
 * costs. Here the parsers that leave the text as it is are installed in the client once, and the
 * queries go without them; any other parser still goes with its query as before. (Once installed,
 * they apply to a query that passes no parsers too: every query here comes through drizzle.)
 */
export function forDrizzle(client: PGlite): PGlite {
	const table = client.parsers;
	const lean = (options?: QueryOptions): QueryOptions | undefined => {
		const parsers = options?.parsers;
		if (!parsers) return options;
		const entries = Object.entries(parsers);
		if (!entries.every(([, parse]) => parse(PROBE) === PROBE)) return options;
		for (const [key] of entries) table[Number(key)] = identity;
		const { parsers: _, ...rest } = options;
		return rest;
	};
	const leanQuery =
		(run: PGlite['query']): PGlite['query'] =>
		(query, params, options) =>
			run(query, params, lean(options));
	const transaction: PGlite['transaction'] = (callback) =>
		client.transaction((tx) => callback(overriding(tx, { query: leanQuery(tx.query) })));
	return overriding(client, { query: leanQuery(client.query.bind(client)), transaction });
}

/** `target` with some of its members replaced; the others are its own, called on it. */
function overriding<T extends object>(target: T, own: Partial<T>): T {
	return new Proxy(target, {
		get(t, prop) {
			if (Object.hasOwn(own, prop)) return own[prop as keyof T];
			const value: unknown = Reflect.get(t, prop, t);
			return typeof value === 'function' ? value.bind(t) : value;
		}
	});
}
