import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { newId } from '../../server/ids';

/** Running the real server as a child process (kill -9 tests). */

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

export interface Storage {
	env: Record<string, string>;
	dispose(): Promise<void>;
}

/** A fresh Postgres database (when pgUrl is given) or PGlite data folder for a server process. */
export async function prepareStorage(pgUrl?: string): Promise<Storage & { url?: string; dataDir?: string }> {
	if (pgUrl) {
		const name = `yrka_crash_${newId().slice(0, 10)}`;
		const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		await admin.end();
		const url = new URL(pgUrl);
		url.pathname = `/${name}`;
		return {
			url: url.toString(),
			env: { DATABASE_URL: url.toString() },
			async dispose() {
				const drop = postgres(pgUrl, { max: 1, onnotice: () => {} });
				await drop.unsafe(`drop database if exists ${name} with (force)`);
				await drop.end();
			}
		};
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'yrka-crash-'));
	return {
		dataDir,
		env: { DATA_DIR: dataDir, DATABASE_URL: '' },
		async dispose() {
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** `node --import tsx server/index.ts` as one process, so SIGKILL reaches the server itself. */
export function startProcess(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
	let out = '';
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		cwd: process.cwd(),
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			SEED_DEMO: '0',
			SERVE_WEB: '0',
			LOG_LEVEL: 'silent',
			REDIS_URL: '',
			SYNC_UNLOAD_DELAY_MS: '100',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (out += d));
	child.stderr?.on('data', (d) => (out += d));
	return { child, output: () => out };
}

export async function waitHealthy(origin: string, proc: { child: ChildProcess; output: () => string }) {
	const t0 = Date.now();
	for (;;) {
		if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.output()}`);
		try {
			if ((await fetch(`${origin}/api/health`)).ok) return;
		} catch {
			/* not up yet */
		}
		if (Date.now() - t0 > 60_000) throw new Error(`server did not start: ${proc.output()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

export function exited(child: ChildProcess): Promise<void> {
	return child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise((r) => child.once('exit', () => r()));
}
