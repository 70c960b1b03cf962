import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../../server/auth/throttle';

describe('FailureThrottle', () => {
	it('allows up to the budget of failures, then asks to wait until the window has passed', () => {
		let now = 1_000_000;
		const t = new FailureThrottle(3, 60_000, () => now);
		for (let i = 0; i < 3; i++) {
			expect(t.retryAfter('a')).toBe(0);
			t.fail('a');
			now += 1000;
		}
		expect(t.retryAfter('a')).toBe(57);
		expect(t.retryAfter('b')).toBe(0);
		now += 57_000;
		expect(t.retryAfter('a')).toBe(0);
	});

	it('forgets a key on reset', () => {
		const t = new FailureThrottle(1, 60_000);
		t.fail('a');
		expect(t.retryAfter('a')).toBeGreaterThan(0);
		t.reset('a');
		expect(t.retryAfter('a')).toBe(0);
	});
});
