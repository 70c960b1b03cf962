import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/password';

const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
	it('verifies the right password and refuses a wrong one', async () => {
		const hash = await hashPassword('Rätt lösenord åäö', cheap);
		expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
		expect(await verifyPassword('Rätt lösenord åäö', hash)).toBe(true);
		expect(await verifyPassword('Rätt lösenord aao', hash)).toBe(false);
	});

	it('salts every hash', async () => {
		expect(await hashPassword('x', cheap)).not.toBe(await hashPassword('x', cheap));
	});

	it('uses a memory-hard default', async () => {
		const hash = await hashPassword('x');
		const [, N, r] = hash.split('$').map(Number);
		expect(128 * N * r).toBeGreaterThanOrEqual(64 * 1024 * 1024);
	});

	it('refuses a malformed stored hash instead of throwing', async () => {
		expect(await verifyPassword('x', 'plaintext')).toBe(false);
	});
});
