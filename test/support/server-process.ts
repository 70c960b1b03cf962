import { createDb, type Db } from '../../db/client';
import { exited, freePort, prepareStorage, startProcess, waitHealthy } from './sync-process';

/**
 * The real server as a child process on its own storage (a PGlite folder, or a fresh Postgres database
 * when pgUrl is given), for tests that measure its memory or kill it. `setup` writes rows before the
 * process owns the storage (PGlite allows one process at a time).
 */
export interface ServerProcess {
	origin: string;
	wsUrl: string;
	port: number;
	pid: number;
	/** what the process printed, for failure messages */
	output(): string;
	alive(): boolean;
	start(): Promise<void>;
	kill9(): Promise<void>;
	stop(): Promise<void>;
	dispose(): Promise<void>;
	login(email: string, password: string): Promise<string>;
}

export async function launchServer<T>(opts: {
	pgUrl?: string;
	env?: Record<string, string>;
	setup?: (db: Db) => Promise<T>;
}): Promise<{ server: ServerProcess; setup: T }> {
	const storage = await prepareStorage(opts.pgUrl);
	let setup = undefined as T;
	if (opts.setup) {
		const handle = await createDb({ databaseUrl: storage.url, dataDir: storage.dataDir });
		try {
			await handle.migrate();
			setup = await opts.setup(handle.db);
		} catch (err) {
			await handle.close();
			await storage.dispose();
			throw err;
		}
		await handle.close();
	}
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	let proc: ReturnType<typeof startProcess> | null = null;
	const server: ServerProcess = {
		origin,
		wsUrl: `ws://127.0.0.1:${port}/sync`,
		port,
		get pid() {
			return proc?.child.pid ?? -1;
		},
		output: () => proc?.output() ?? '',
		alive: () => !!proc && proc.child.exitCode === null && proc.child.signalCode === null,
		async start() {
			proc = startProcess(port, { ...storage.env, ...opts.env });
			await waitHealthy(origin, proc);
		},
		async kill9() {
			if (!proc) return;
			proc.child.kill('SIGKILL');
			await exited(proc.child);
		},
		async stop() {
			if (!proc) return;
			proc.child.kill('SIGTERM');
			await exited(proc.child);
		},
		async dispose() {
			await server.kill9();
			await storage.dispose();
		},
		async login(email, password) {
			const res = await fetch(`${origin}/api/auth/login`, {
				method: 'POST',
				headers: { origin, 'content-type': 'application/json' },
				body: JSON.stringify({ email, password })
			});
			if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
			return (res.headers.get('set-cookie') ?? '').split(';')[0];
		}
	};
	await server.start();
	return { server, setup };
}
