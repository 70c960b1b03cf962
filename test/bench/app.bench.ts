/**
 * App paths end to end, over HTTP on a real server with the demo data (the fixture published as the
 * baseline, the party documents submitted): importing the fixture into a new case, loading the case
 * page and the baseline page as the browser does, and building the case package as PDF and DOCX.
 * Figures are request times seen by the client (median and slowest), on PGlite on disk as the app
 * runs by default. `npx tsx test/bench/run.ts app [--quick]` runs it alone. Also the server as
 * `npm start` runs it, on a new data folder and then again on the same one: seconds until it prints
 * the demo accounts, and its resident memory then.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../../db/client';
import { loadConfig } from '../../server/config';
import { startRuntime } from '../../server/runtime';
import { DEMO_PASSWORD, demoClerk, demoSecretary } from '../../server/seed/demo-data';
import { TEST_SCRYPT } from '../support/factories';
import { pgliteDir } from './sync/servers/pglite-dir';

const fixture = readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url));

interface Timing {
	medianMs: number;
	maxMs: number;
}

async function timed(reps: number, fn: (i: number) => Promise<void>): Promise<Timing> {
	await fn(-1); // warm-up: the first request compiles the route's code paths
	const ms: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t = performance.now();
		await fn(i);
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	const round = (v: number) => Number(v.toFixed(1));
	return { medianMs: round(ms[ms.length >> 1]), maxMs: round(ms[ms.length - 1]) };
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** server/index.ts in its own process on `dataDir`: until it has printed the demo accounts. */
async function startServer(dataDir: string): Promise<{ readySeconds: number; rssMB: number }> {
	const started = performance.now();
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		cwd: root,
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	try {
		let out = '';
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (d: Buffer) => {
				out += d.toString();
				if (out.includes('Demokonton')) resolve();
			});
			child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
		});
		const readySeconds = (performance.now() - started) / 1000;
		// A moment for the collector: memory as it stays, not as the start left it.
		await new Promise((r) => setTimeout(r, 3000));
		const kB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
		return { readySeconds: Number(readySeconds.toFixed(1)), rssMB: Math.round(kB / 1024) };
	} finally {
		child.kill('SIGTERM');
		if (child.exitCode === null) await once(child, 'exit');
	}
}

async function firstStart() {
	const dataDir = mkdtempSync(join(tmpdir(), 'yrka-start-'));
	try {
		const first = await startServer(dataDir);
		const again = await startServer(dataDir);
		return {
			firstStart: { ...first, note: 'new data folder: initdb, migrations, demo seed' },
			restart: again
		};
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

export async function run({ quick }: { quick: boolean }) {
	const start = await firstStart();
	const reps = quick ? 3 : 10;
	const dataDir = await pgliteDir();
	const dbHandle = await createDb({ dataDir });
	const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', seedDemo: true, logLevel: 'silent' as const };
	const runtime = await startRuntime(config, { serveWeb: false, dbHandle, seedScrypt: TEST_SCRYPT });
	const origin = runtime.url;
	try {
		const request = async (path: string, cookie: string, init: RequestInit = {}) => {
			const headers = new Headers(init.headers);
			headers.set('origin', origin);
			headers.set('cookie', cookie);
			const res = await fetch(`${origin}${path}`, { ...init, headers });
			const body = new Uint8Array(await res.arrayBuffer());
			if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${new TextDecoder().decode(body)}`);
			return { res, body };
		};
		const login = async (email: string) => {
			const res = await fetch(`${origin}/api/auth/login`, {
				method: 'POST',
				headers: { origin, 'content-type': 'application/json' },
				body: JSON.stringify({ email, password: DEMO_PASSWORD })
			});
			if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
			return (res.headers.get('set-cookie') ?? '').split(';')[0];
		};
		const clerk = await login(demoClerk.email);
		const secretary = await login(demoSecretary('S').email);
		const json = async <T>(path: string, cookie: string, init?: RequestInit) =>
			JSON.parse(new TextDecoder().decode((await request(path, cookie, init)).body)) as T;

		const { cases } = await json<{ cases: { id: string; bodyId?: string; body?: { id: string } }[] }>(
			'/api/cases',
			secretary
		);
		if (cases.length === 0) throw new Error('the demo seed made no case');
		const caseId = cases[0].id;
		const detail = await json<{ case: { bodyId?: string; body?: { id: string } } }>(`/api/cases/${caseId}`, clerk);
		const bodyId = detail.case.bodyId ?? detail.case.body?.id;

		// Each import goes into a new case, so every one parses and stores the whole fixture.
		let importedItems = 0;
		const importFixture = await timed(Math.max(3, Math.floor(reps / 2)), async (i) => {
			const created = await json<{ case: { id: string } }>('/api/cases', clerk, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ bodyId, title: `Budget 2025 (bänk ${i})`, caseNumber: 'SLK-2024-00738' })
			});
			const out = await json<{ counts: Record<string, number> }>(
				`/api/cases/${created.case.id}/baseline/imports`,
				clerk,
				{
					method: 'POST',
					headers: { 'content-type': 'text/plain; charset=utf-8', 'x-file-name': 'goteborg-ks-budget-2025.txt' },
					body: fixture
				}
			);
			importedItems = Object.values(out.counts).reduce((a, b) => a + b, 0);
		});

		// The case page's load: the case and the submitted drafts, in parallel as SvelteKit does.
		const casePage = await timed(reps, async () => {
			await Promise.all([
				request(`/api/cases/${caseId}`, secretary),
				request(`/api/drafts?caseId=${caseId}&status=submitted`, secretary)
			]);
		});
		let baselineBytes = 0;
		const baselinePage = await timed(reps, async () => {
			baselineBytes = (await request(`/api/cases/${caseId}/baseline`, secretary)).body.byteLength;
		});

		const sizes: Record<string, number> = {};
		const packageOf = (format: 'pdf' | 'docx') =>
			timed(reps, async () => {
				sizes[format] = (await request(`/api/cases/${caseId}/package/${format}`, secretary)).body.byteLength;
			});
		const packagePdf = await packageOf('pdf');
		const packageDocx = await packageOf('docx');

		return {
			importFixture: { ...importFixture, items: importedItems, note: 'new case + upload of the fixture text' },
			casePage,
			baselinePage: { ...baselinePage, responseKB: Number((baselineBytes / 1024).toFixed(1)) },
			casePackagePdf: { ...packagePdf, KB: Number((sizes.pdf / 1024).toFixed(1)) },
			casePackageDocx: { ...packageDocx, KB: Number((sizes.docx / 1024).toFixed(1)) },
			...start
		};
	} finally {
		await runtime.close();
		await dbHandle.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
