import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { hasControlChars } from '../domain/plain-text';
import { badRequest } from '../errors';

/**
 * A title, name or number: a string without control characters (tab and line breaks allowed). They come
 * with text pasted from some PDFs, are invisible, and break listings and exports; NUL cannot be stored.
 */
export function titleText<T extends z.ZodString>(schema: T) {
	return schema.refine((s) => !hasControlChars(s), 'Texten innehåller otillåtna tecken (styrtecken).');
}

/** Formats the first problems as "field: message", the form the API promises for bad input. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
	return issues
		.slice(0, 5)
		.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
		.join('; ');
}

/**
 * Where in a value a string holds the NUL character, e.g. "title" or "partyIds.1"; null when none does.
 * Postgres cannot store NUL in text, so such input would otherwise fail in the database as a 500.
 */
export function nulCharacterAt(value: unknown, path: (string | number)[] = []): string | null {
	if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'body' : null;
	if (Array.isArray(value)) {
		for (const [i, v] of value.entries()) {
			const at = nulCharacterAt(v, [...path, i]);
			if (at !== null) return at;
		}
	} else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			const at = nulCharacterAt(v, [...path, k]);
			if (at !== null) return at;
		}
	}
	return null;
}

/** Validates one part of the request against a zod schema; 400 "field: message" when it does not fit. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
	return zValidator(target, schema, (result) => {
		if (!result.success) throw badRequest(formatIssues(result.error.issues));
		const at = nulCharacterAt(result.data);
		if (at !== null) throw badRequest(`${at}: innehåller ett otillåtet tecken (NUL).`);
	});
}
