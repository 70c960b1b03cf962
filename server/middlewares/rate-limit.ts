import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { tooManyRequests } from '../errors';

/**
 * Token buckets per key: `capacity` requests at once, refilled at `perMinute`. A burst of typing or
 * a page load fits; a script hammering the API does not.
 */
export class RateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		readonly capacity: number,
		readonly perMinute: number,
		private readonly now: () => number = Date.now
	) {}

	/** Takes one token; returns 0 when allowed, else the seconds to wait. */
	take(key: string): number {
		const t = this.now();
		const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
		b.tokens = Math.min(this.capacity, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
		b.at = t;
		if (b.tokens < 1) {
			this.buckets.set(key, b);
			return Math.max(1, Math.ceil(((1 - b.tokens) / this.perMinute) * 60));
		}
		b.tokens -= 1;
		this.buckets.set(key, b);
		if (this.buckets.size > 50_000) this.sweep(t);
		return 0;
	}

	private sweep(t: number): void {
		for (const [k, b] of this.buckets) if (t - b.at > 10 * 60_000) this.buckets.delete(k);
	}
}

/** Per user when logged in, per address otherwise. Runs after the session middleware. */
export const rateLimit =
	(limiter: RateLimiter): MiddlewareHandler<AppEnv> =>
	async (c, next) => {
		const user = c.get('user');
		const key = user ? `u:${user.id}` : `ip:${c.get('clientIp')}`;
		const wait = limiter.take(key);
		if (wait > 0) throw tooManyRequests('För många förfrågningar. Vänta en stund och försök igen.', wait);
		await next();
	};
