import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Request/response over the Node IPC channel between the benchmark and its child processes (the
 * server under test and the load generator). Structured-clone serialization carries Uint8Arrays.
 */

interface Request {
	id: number;
	op: string;
	args: unknown;
}
interface Response {
	id: number;
	ok: boolean;
	result?: unknown;
	error?: string;
}

type Handlers = Record<string, (args: never) => unknown>;

/** Child side: answers requests until the parent disconnects. */
export function serve(handlers: Handlers): void {
	process.on('message', (raw) => {
		const req = raw as Request;
		const handler = handlers[req.op] as ((args: unknown) => unknown) | undefined;
		Promise.resolve()
			.then(() => {
				if (!handler) throw new Error(`unknown operation ${req.op}`);
				return handler(req.args);
			})
			.then(
				(result) => process.send?.({ id: req.id, ok: true, result } satisfies Response),
				(err: unknown) =>
					process.send?.({
						id: req.id,
						ok: false,
						error: err instanceof Error ? (err.stack ?? err.message) : String(err)
					} satisfies Response)
			);
	});
	process.on('disconnect', () => process.exit(0));
}

export interface ChildOptions {
	/** CPU to pin the process to from the start with taskset, when the machine has it. */
	cpu?: number;
	env?: Record<string, string | undefined>;
	execArgv?: string[];
	/** stderr lines are collected here (the last few are shown when the child dies). */
	label: string;
}

const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/** A TypeScript child process (run through tsx) that answers `call()`. */
export class Child {
	readonly proc: ChildProcess;
	private nextId = 1;
	private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	private readonly stderr: string[] = [];
	readonly exited: Promise<number | null>;

	constructor(script: string, opts: ChildOptions) {
		const nodeArgs = [...(opts.execArgv ?? []), '--import', 'tsx', script];
		const [cmd, args] =
			taskset && opts.cpu !== undefined
				? [taskset, ['-c', String(opts.cpu), process.execPath, ...nodeArgs]]
				: [process.execPath, nodeArgs];
		this.proc = spawn(cmd, args, {
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
			serialization: 'advanced',
			env: { ...process.env, ...opts.env }
		});
		this.proc.stderr?.setEncoding('utf8');
		this.proc.stderr?.on('data', (chunk: string) => {
			if (process.env.SYNC_BENCH_SERVER_LOG === '1') process.stderr.write(chunk);
			this.stderr.push(chunk);
			if (this.stderr.length > 50) this.stderr.shift();
		});
		this.proc.on('message', (raw) => {
			const res = raw as Response;
			const p = this.pending.get(res.id);
			if (!p) return;
			this.pending.delete(res.id);
			if (res.ok) p.resolve(res.result);
			else p.reject(new Error(`${opts.label}: ${res.error}`));
		});
		this.exited = new Promise((resolve) => {
			this.proc.on('exit', (code) => {
				for (const p of this.pending.values()) {
					p.reject(new Error(`${opts.label} exited (${code}): ${this.stderr.join('').slice(-2000)}`));
				}
				this.pending.clear();
				resolve(code);
			});
		});
	}

	get pid(): number {
		return this.proc.pid ?? -1;
	}

	/**
	 * Pins the running process (all its threads) to one CPU. Done after a server has started, so its
	 * start-up (module loading, WebAssembly compilation) may use both cores.
	 */
	pin(cpu: number): boolean {
		if (!taskset || !this.proc.pid) return false;
		try {
			execFileSync(taskset, ['-a', '-p', '-c', String(cpu), String(this.proc.pid)], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	}

	call<T>(op: string, args: unknown = {}): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			if (!this.proc.connected) {
				reject(new Error(`child is gone: ${this.stderr.join('').slice(-2000)}`));
				return;
			}
			const id = this.nextId++;
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.proc.send({ id, op, args } satisfies Request);
		});
	}

	/** `call`, but given up after `ms`: a server whose event loop is stuck does not answer at all. */
	callWithin<T>(ms: number, op: string, args: unknown = {}): Promise<T> {
		let timer: NodeJS.Timeout | undefined;
		return Promise.race([
			this.call<T>(op, args).finally(() => clearTimeout(timer)),
			new Promise<T>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${op}: no answer within ${ms} ms`)), ms);
			})
		]);
	}

	/** Asks the child to finish (`close` op), then makes sure it is gone. */
	async stop(timeoutMs = 15_000): Promise<void> {
		if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
		const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
		try {
			await this.call('close').catch(() => {});
			if (this.proc.connected) this.proc.disconnect();
			await this.exited;
		} finally {
			clearTimeout(timer);
		}
	}
}
