/**
 * Failed-login throttling. Each key (an account's email, a client IP) gets a budget of failures in
 * a window; past it, further attempts are refused until the window has passed. Kept in memory: a
 * restart forgives, which is acceptable for a throttle (not a lockout).
 */
export class FailureThrottle {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly maxFailures: number,
		private readonly windowMs: number,
		private readonly now: () => number = Date.now
	) {}

	/** Seconds until the key may try again, or 0 when it may try now. */
	retryAfter(key: string): number {
		const list = this.prune(key);
		if (list.length < this.maxFailures) return 0;
		return Math.max(1, Math.ceil((list[0] + this.windowMs - this.now()) / 1000));
	}

	fail(key: string): void {
		const list = this.prune(key);
		list.push(this.now());
		this.failures.set(key, list);
		if (this.failures.size > 100_000) this.sweep();
	}

	reset(key: string): void {
		this.failures.delete(key);
	}

	private prune(key: string): number[] {
		const cutoff = this.now() - this.windowMs;
		const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
		if (list.length === 0) this.failures.delete(key);
		return list;
	}

	private sweep(): void {
		for (const key of [...this.failures.keys()]) this.prune(key);
	}
}
