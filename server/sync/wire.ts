import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The bytes on the sync socket, shared by the server and the browser wrapper (web/src/lib/collab).
 * Types 0–3 are the y-websocket protocol, unchanged, so the stock WebsocketProvider works. Our two
 * extra types are sent only to clients that ask for them with `?yrka=1`: a stock provider would log
 * "Unable to compute message" for each.
 */
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;
/** Which of the client's updates are durable: a map clientID → clock (the next clock not yet stored). */
export const messageSaved = 100;
/** What this connection may do now: 'edit' or 'read', with a reason code. */
export const messageAccess = 101;

/** The query parameter that opts a client into messageSaved and messageAccess. */
export const EXTENSIONS_PARAM = 'yrka';

export type AccessMode = 'edit' | 'read';

/**
 * Close codes. 4400–4499 tell the stock provider not to reconnect (a deliberate refusal); other codes
 * make it retry with backoff.
 */
export const closeCodes = {
	/** The server is shutting down or restarting; reconnect. */
	goingAway: 1001,
	/** A frame larger than the configured maximum (RFC 6455 "message too big"). */
	tooBig: 1009,
	/** A message that is not the protocol. */
	malformed: 4400,
	/** No valid session or token. */
	unauthenticated: 4401,
	/** Unknown document, or no read access to it; deliberately the same code for both. */
	forbidden: 4403,
	/** Too many sockets open for this user or address (server/sync/limits.ts); final until one closes. */
	tooMany: 4429,
	/** A transient server problem (e.g. the document could not be loaded); reconnect later. */
	unavailable: 4503
} as const;

/** Reason codes in messageAccess and in the auth message of a rejected update. */
export const accessReasons = {
	readOnly: 'read-only'
} as const;

export function encodeSaved(clocks: Map<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, messageSaved);
	encoding.writeVarUint(e, clocks.size);
	for (const [client, clock] of clocks) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}

/** Reads the body of a messageSaved (after its type). */
export function readSaved(d: decoding.Decoder): Map<number, number> {
	const clocks = new Map<number, number>();
	const n = decoding.readVarUint(d);
	for (let i = 0; i < n; i++) {
		const client = decoding.readVarUint(d);
		clocks.set(client, decoding.readVarUint(d));
	}
	return clocks;
}

export function encodeAccess(mode: AccessMode, reason = ''): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, messageAccess);
	encoding.writeVarString(e, mode);
	encoding.writeVarString(e, reason);
	return encoding.toUint8Array(e);
}

/** Reads the body of a messageAccess (after its type). */
export function readAccess(d: decoding.Decoder): { mode: AccessMode; reason: string } {
	const mode = decoding.readVarString(d) === 'edit' ? 'edit' : 'read';
	const reason = decoding.hasContent(d) ? decoding.readVarString(d) : '';
	return { mode, reason };
}
