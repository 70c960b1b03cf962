import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { badRequest } from '../errors';

/** Formats the first problems as "field: message", the form the API promises for bad input. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
	return issues
		.slice(0, 5)
		.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
		.join('; ');
}

/** Validates one part of the request against a zod schema; 400 "field: message" when it does not fit. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
	return zValidator(target, schema, (result) => {
		if (!result.success) throw badRequest(formatIssues(result.error.issues));
	});
}
