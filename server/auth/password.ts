import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)))
	);
}

export interface ScryptParams {
	/** CPU/memory cost, a power of two. 2^16 with r=8 uses 64 MiB per hash. */
	N: number;
	r: number;
	p: number;
}

export const defaultScryptParams: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** scrypt (memory-hard) with the parameters stored in the hash, so they can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = defaultScryptParams): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {
		...params,
		maxmem: 256 * params.N * params.r
	});
	return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [N, r, p] = parts.slice(1, 4).map(Number);
	const salt = Buffer.from(parts[4], 'base64');
	const expected = Buffer.from(parts[5], 'base64');
	const key = await scrypt(password.normalize('NFKC'), salt, expected.length, { N, r, p, maxmem: 256 * N * r });
	return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, verified against when the account does not exist, so a failed login
 * takes as long whether or not the email is known.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
	return dummyHash;
}
