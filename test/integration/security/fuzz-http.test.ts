import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../../db/schema';
import { createSession, SESSION_COOKIE } from '../../../server/auth/session';
import { demoSecretary } from '../../../server/seed/demo-data';
import { readResponse } from '../../support/inspect';
import { apiRoutes, type ApiRoute } from '../../support/routes';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Hostile input on every route of the app (read from Hono's route table): random and malformed path
 * parameters, query strings, bodies and headers, as a clerk, as a party secretary and anonymously.
 * Whatever arrives, the answer is below 500; an error is JSON with a code and a message and shows no
 * stack, no SQL and no driver text; the security headers are on every answer; the server stays up.
 * FUZZ_RUNS raises the number of requests per route and principal (default 10).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20241211);

let server: TestServer;
let caseId: string;
let draftId: string;
const cookies: Record<'clerk' | 'secretary', string> = { clerk: '', secretary: '' };

/** A session made directly, so fuzzing the login route cannot lock the test out through its throttle. */
async function sessionFor(email: string): Promise<string> {
	const [u] = await server.deps.db.select({ id: users.id }).from(users).where(eq(users.email, email));
	const { token } = await createSession(server.deps.db, u.id);
	return `${SESSION_COOKIE}=${token}`;
}

const nasty = [
	'',
	' ',
	'..',
	'../../etc/passwd',
	"' OR '1'='1",
	'"; DROP TABLE drafts; --',
	'\u0000',
	'a\u0000b',
	'\uFFFF',
	'\uD800',
	'<script>alert(1)</script>',
	'${7*7}',
	'{{7*7}}',
	'%',
	'%00',
	'null',
	'undefined',
	'-1',
	'1e309',
	'NaN',
	'9'.repeat(400),
	'x'.repeat(70),
	'x'.repeat(5000),
	'draft.',
	'case.x',
	'__proto__',
	'constructor'
];

/** Strings: random, unicode, and the classics. */
const str = () =>
	fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...nasty) },
		{ weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
		{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
		{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) }
	);

/** Every UTF-8 byte percent-encoded (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** A path segment: a real id now and then, so handlers past the validators are reached too. */
const segment = () =>
	fc.oneof(
		{ weight: 3, arbitrary: str().map(encode) },
		{ weight: 2, arbitrary: fc.constantFrom(caseId, draftId, 'SD', 'docx', 'pdf', '1', `draft.${draftId}`) },
		// Raw, not encoded: broken escapes and separators as a client may send them.
		{ weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%ff%fe', '..%2f..%2f', '%2e%2e', 'a%2Fb', ';x=1') }
	);

const knownKeys = [
	'caseId',
	'draftId',
	'partyId',
	'partyIds',
	'kind',
	'title',
	'text',
	'target',
	'memberId',
	'stage',
	'email',
	'password',
	'doc',
	'op',
	'baselineItemId',
	'at',
	'threadIds',
	'visibility',
	'motivation',
	'format',
	'number',
	'drafts',
	'ref'
];

/** JSON values, from random to nearly right (known keys with wrong or edge-case values). */
function jsonBody() {
	const leaf = fc.oneof(
		str(),
		fc.integer(),
		fc.double(),
		fc.boolean(),
		fc.constant(null),
		fc.constantFrom(caseId, draftId, 'SD', 'yrkande', 'draft', 'planned', 'bifall', 'party')
	);
	const shaped = fc.dictionary(
		fc.constantFrom(...knownKeys),
		fc.oneof(
			leaf,
			fc.array(leaf, { maxLength: 5 }),
			fc.record({ kind: fc.constantFrom('draft', 'amendment', 'baseline_item'), draftId: leaf, type: leaf })
		),
		{ maxKeys: 8 }
	);
	const deep = fc.integer({ min: 100, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
	return fc.oneof(
		{ weight: 4, arbitrary: shaped.map((v) => JSON.stringify(v)) },
		{ weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
		{ weight: 1, arbitrary: deep },
		{ weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'null', '[]', '""', '{"__proto__":{"x":1}}', '\u0000') },
		{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) }
	);
}

interface FuzzRequest {
	path: string;
	query: string;
	body: string | null;
	headers: Record<string, string>;
}

function requestFor(route: ApiRoute) {
	const params = route.params.length ? fc.tuple(...route.params.map(() => segment())) : fc.constant([] as string[]);
	const query = fc.oneof(
		fc.constant(''),
		fc
			.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })), str(), { maxKeys: 5 })
			.map((d) => new URLSearchParams(d).toString()),
		fc.constantFrom('a=%zz', '&&&=', 'caseId=&caseId=x', 'drafts=' + ',x'.repeat(500), 'ref=a:1:' + 'x'.repeat(90))
	);
	const contentType = fc.constantFrom(
		'application/json',
		'application/json; charset=latin1',
		'text/plain',
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		'application/octet-stream',
		'garbage/\u00ff'
	);
	const extra = fc.record(
		{
			accept: fc.constantFrom('*/*', 'text/event-stream', 'application/json', ''),
			'x-file-name': str().map((s) => s.replace(/[\r\n]/g, '')),
			'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1', ''),
			authorization: fc.constantFrom('Bearer x', 'Bearer ', 'Basic Zm9vOmJhcg==')
		},
		{ requiredKeys: [] }
	);
	return fc
		.record({ params, query, body: fc.option(jsonBody(), { nil: null }), contentType, extra })
		.map(({ params: values, query: q, body, contentType: ct, extra: h }): FuzzRequest => {
			let i = 0;
			const path = route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[i++] || 'x');
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(h)) {
				// Header values must be Latin-1 without line breaks; fetch refuses anything else client-side.
				if (/^[\t\x20-\x7e\x80-\xff]*$/.test(v)) headers[k] = v;
			}
			if (body !== null) headers['content-type'] = ct;
			return { path, query: q, body, headers };
		});
}

const leakPattern =
	/\bat [^\s]+ \(|\.ts:\d+|node_modules|SyntaxError|TypeError|ReferenceError|RangeError|drizzle|postgres|pglite|\bselect\b.+\bfrom\b|insert into|duplicate key|violates|ZodError/i;

async function check(route: ApiRoute, cookie: string | undefined, req: FuzzRequest) {
	const method = route.method;
	const res = await server.fetch(`${req.path}${req.query ? `?${req.query}` : ''}`, {
		method,
		cookie,
		headers: req.headers,
		body: method === 'GET' || method === 'HEAD' ? undefined : (req.body ?? undefined)
	});
	const read = await readResponse(res, 50);
	const where = `${method} ${req.path}?${req.query} body=${JSON.stringify(req.body)?.slice(0, 200)} → ${read.status}: ${read.text.slice(0, 300)}`;
	expect(read.status, where).toBeLessThan(500);
	expect(read.headers, where).toMatch(/x-content-type-options: nosniff/);
	expect(read.headers, where).toMatch(/content-security-policy: .*frame-ancestors 'none'/);
	if (read.status >= 400) {
		expect(read.contentType, where).toContain('application/json');
		const body = JSON.parse(read.text) as { error?: { code?: unknown; message?: unknown } };
		expect(typeof body.error?.code, where).toBe('string');
		expect(typeof body.error?.message, where).toBe('string');
		expect((body.error?.message as string).length, where).toBeGreaterThan(0);
	}
	if (read.contentType.includes('json') || read.status >= 400) expect(read.text, where).not.toMatch(leakPattern);
}

beforeAll(async () => {
	server = await startTestServer({
		seedDemo: true,
		env: { API_RATE_BURST: '1000000', API_RATE_PER_MINUTE: '1000000' }
	});
	caseId = server.seed!.caseId!;
	cookies.clerk = await sessionFor('namndsekreterare@demo.yrka.se');
	cookies.secretary = await sessionFor(demoSecretary('SD').email);
	const res = await server.fetch('/api/drafts', {
		method: 'POST',
		cookie: cookies.secretary,
		json: { caseId, partyId: 'SD', kind: 'yrkande' }
	});
	draftId = (await res.json()).draft.id;
}, 120_000);

afterAll(() => server?.close());

describe('hostile HTTP input on every route', () => {
	it('answers every request below 500, errors as JSON without internals, and stays up', async () => {
		// Login and logout last: they end sessions and count failures.
		const routes = apiRoutes(server.app).sort(
			(a, b) => Number(a.path.startsWith('/api/auth')) - Number(b.path.startsWith('/api/auth'))
		);
		let requests = 0;
		for (const [i, route] of routes.entries()) {
			for (const who of ['clerk', 'secretary', 'anonymous'] as const) {
				await fc.assert(
					fc.asyncProperty(requestFor(route), async (req) => {
						requests++;
						await check(route, who === 'anonymous' ? undefined : cookies[who], req);
					}),
					{ numRuns: who === 'anonymous' ? Math.ceil(RUNS / 3) : RUNS, seed: SEED + i, endOnFailure: true }
				);
				// A fuzzed logout may have ended the session: start a new one.
				if (who !== 'anonymous' && (await server.fetch('/api/auth/me', { cookie: cookies[who] })).status === 401) {
					cookies[who] = await sessionFor(
						who === 'clerk' ? 'namndsekreterare@demo.yrka.se' : demoSecretary('SD').email
					);
				}
			}
			expect((await server.fetch('/api/health')).status).toBe(200);
		}
		console.log(`fuzz: ${requests} requests over ${routes.length} routes, none answered 5xx`);
	}, 600_000);
});
