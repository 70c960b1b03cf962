import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/middlewares/rate-limit';

describe('RateLimiter', () => {
	it('allows a burst, then refills at the rate per minute', () => {
		let now = 0;
		const r = new RateLimiter(3, 60, () => now);
		expect([r.take('a'), r.take('a'), r.take('a')]).toEqual([0, 0, 0]);
		expect(r.take('a')).toBe(1);
		expect(r.take('b')).toBe(0);
		now += 1000;
		expect(r.take('a')).toBe(0);
		expect(r.take('a')).toBeGreaterThan(0);
	});
});
