import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';

/** An id nobody can guess: 120 random bits, base32. */
export function newId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(15));
}

/** A secret token: 160 random bits, base32. */
export function newToken(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(20));
}
