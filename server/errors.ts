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

/** SQLSTATEs of input text the database cannot store: 22021 character_not_in_repertoire, 22P05 untranslatable_character. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/** The SQLSTATE of a database error, from the driver's error or the one Drizzle wraps it in. */
function sqlState(err: unknown): string | undefined {
	for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
		if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
		e = e.cause as typeof e;
	}
	return undefined;
}

/** The one place errors become responses: no stack trace or SQL ever reaches the client. */
export function handleError(err: Error, c: Context, log: (msg: string, err: unknown) => void = defaultLog) {
	if (err instanceof AppError) {
		const retry = err.details?.retryAfterSeconds;
		if (typeof retry === 'number') c.header('Retry-After', String(retry));
		return c.json(errorBody(err), err.status);
	}
	// Text the database cannot store (the NUL character) is bad input that slipped past validation: tell
	// the client so, instead of answering as if the server failed.
	if (UNSTORABLE_TEXT.has(sqlState(err) ?? '')) {
		return c.json(errorBody(badRequest('Förfrågan innehåller tecken som inte kan sparas (NUL).')), 400);
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
