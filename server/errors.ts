import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error meant for the client: a stable id the UI can branch on, a Swedish message a person can
 * read, and the HTTP status. Anything else thrown is an internal error and is never shown.
 */
export class AppError extends Error {
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
		this.name = 'AppError';
	}
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
	new AppError(400, 'bad_request', message, details);
export const unauthenticated = (message = 'Du måste logga in.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'Du har inte behörighet till detta.') => new AppError(403, 'forbidden', message);
/** Also used where the thing exists but the user may not know that. */
export const notFound = (message = 'Hittades inte.') => new AppError(404, 'not_found', message);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
export const payloadTooLarge = (message = 'Filen eller förfrågan är för stor.') =>
	new AppError(413, 'payload_too_large', message);
export const unprocessable = (message: string, code = 'unprocessable') => new AppError(422, code, message);
export const tooManyRequests = (
	message = 'För många förfrågningar. Försök igen om en stund.',
	retryAfterSeconds?: number
) => new AppError(429, 'too_many_requests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);

export function errorBody(err: AppError) {
	return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}

/** The one place errors become responses: no stack trace or SQL ever reaches the client. */
export function handleError(err: Error, c: Context, log: (msg: string, err: unknown) => void = defaultLog) {
	if (err instanceof AppError) {
		const retry = err.details?.retryAfterSeconds;
		if (typeof retry === 'number') c.header('Retry-After', String(retry));
		return c.json(errorBody(err), err.status);
	}
	// Hono's own HTTPExceptions (e.g. body limit) carry a status; keep it, replace the text.
	const status = (err as { status?: number }).status;
	if (typeof status === 'number' && status >= 400 && status < 500) {
		const e =
			status === 413
				? payloadTooLarge()
				: new AppError(status as ContentfulStatusCode, 'bad_request', 'Ogiltig förfrågan.');
		return c.json(errorBody(e), e.status);
	}
	log('internal error', err);
	return c.json({ error: { code: 'internal', message: 'Ett oväntat fel inträffade. Försök igen.' } }, 500);
}

function defaultLog(msg: string, err: unknown) {
	console.error(`[yrka] ${msg}:`, err);
}
