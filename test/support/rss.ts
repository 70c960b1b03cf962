import { readFileSync } from 'node:fs';

/** Resident memory of a process, in bytes, from /proc (Linux); null when the process is gone. */
export function rssOf(pid: number): number | null {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** Samples a process's resident memory while something runs: the start, the highest seen, the end. */
export async function watchRss<T>(
	pid: number,
	run: () => Promise<T>,
	everyMs = 25
): Promise<{ result: T; start: number; max: number; end: number }> {
	const start = rssOf(pid) ?? 0;
	let max = start;
	const timer = setInterval(() => {
		const now = rssOf(pid);
		if (now !== null && now > max) max = now;
	}, everyMs);
	try {
		const result = await run();
		const end = rssOf(pid) ?? 0;
		return { result, start, max: Math.max(max, end), end };
	} finally {
		clearInterval(timer);
	}
}

export const MB = 1024 * 1024;
