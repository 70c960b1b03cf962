import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The bytes a light benchmark client sends and reads, in the two dialects the servers speak: the
 * y-websocket protocol (ours and @y/websocket-server) and Hocuspocus, which puts the document name in
 * front of every message. No Y.Doc is involved: updates are encoded by hand, so one process can drive
 * thousands of clients.
 */
export type Dialect = 'y' | 'hocus';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
/** Hocuspocus: a sync step 1 that must not be answered with another step 1. */
export const messageSyncReply = 4;
/** Hocuspocus: the server applied (1) or refused (0) an update. */
export const messageSyncStatus = 8;
/** Ours: which clocks of the client's own updates are durable. */
export const messageSaved = 100;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/** The state vector of an empty document: no clients. */
const EMPTY_SV = new Uint8Array([0]);
/** An update with no structs and an empty delete set. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);

function frame(dialect: Dialect, doc: string, write: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	if (dialect === 'hocus') encoding.writeVarString(e, doc);
	write(e);
	return encoding.toUint8Array(e);
}

export function step1Frame(dialect: Dialect, doc: string, sv: Uint8Array = EMPTY_SV): Uint8Array {
	return frame(dialect, doc, (e) => {
		encoding.writeVarUint(e, messageSync);
		encoding.writeVarUint(e, syncStep1);
		encoding.writeVarUint8Array(e, sv);
	});
}

export function step2Frame(dialect: Dialect, doc: string, update: Uint8Array = EMPTY_UPDATE): Uint8Array {
	return frame(dialect, doc, (e) => {
		encoding.writeVarUint(e, messageSync);
		encoding.writeVarUint(e, syncStep2);
		encoding.writeVarUint8Array(e, update);
	});
}

export function updateFrame(dialect: Dialect, doc: string, update: Uint8Array): Uint8Array {
	return frame(dialect, doc, (e) => {
		encoding.writeVarUint(e, messageSync);
		encoding.writeVarUint(e, syncUpdate);
		encoding.writeVarUint8Array(e, update);
	});
}

/** Hocuspocus expects a token message before anything else on a document. */
export function authFrame(doc: string, token: string): Uint8Array {
	return frame('hocus', doc, (e) => {
		encoding.writeVarUint(e, messageAuth);
		encoding.writeVarUint(e, 0);
		encoding.writeVarString(e, token);
	});
}

/** An awareness update carrying one client's state, as y-protocols/awareness encodes it. */
export function awarenessFrame(dialect: Dialect, doc: string, clientId: number, clock: number, state: string) {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, clientId);
	encoding.writeVarUint(inner, clock);
	encoding.writeVarString(inner, state);
	return frame(dialect, doc, (e) => {
		encoding.writeVarUint(e, messageAwareness);
		encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	});
}

export interface ItemId {
	client: number;
	clock: number;
}

/**
 * A Yjs update (v1 encoding) holding one string item inserted right after `origin`: one client,
 * one struct, an empty delete set. The parent is implied by the origin, so the item needs no parent
 * info. This is byte for byte what a Y.Doc emits when a user types `text` after that character.
 */
export function encodeInsert(client: number, clock: number, origin: ItemId, text: string): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, clock);
	// info: BIT8 = has a left origin; low five bits = content ref 4 (ContentString)
	encoding.writeUint8(e, 0x84);
	encoding.writeVarUint(e, origin.client);
	encoding.writeVarUint(e, origin.clock);
	encoding.writeVarString(e, text);
	encoding.writeVarUint(e, 0);
	return encoding.toUint8Array(e);
}

export interface Incoming {
	type: number;
	/** sync sub-type, auth sub-type or sync status; -1 when the message has none */
	sub: number;
	/** the update, state vector or awareness update inside; a view into the frame, not a copy */
	body: Uint8Array | null;
}

/** Reads a frame's header and, for sync and awareness messages, the payload. */
export function readFrame(dialect: Dialect, data: Uint8Array): Incoming {
	const d = decoding.createDecoder(data);
	if (dialect === 'hocus') decoding.readVarString(d);
	const type = decoding.readVarUint(d);
	if (type === messageSync || type === messageSyncReply) {
		const sub = decoding.readVarUint(d);
		return { type, sub, body: decoding.readVarUint8Array(d) };
	}
	if (type === messageAwareness) return { type, sub: -1, body: decoding.readVarUint8Array(d) };
	if (type === messageSaved) return { type, sub: -1, body: data.subarray(d.pos) };
	if (type === messageAuth || type === messageSyncStatus) return { type, sub: decoding.readVarUint(d), body: null };
	return { type, sub: -1, body: null };
}

/** The (client, clock) entries of an awareness update, without decoding the JSON states. */
export function awarenessEntries(update: Uint8Array, each: (client: number, clock: number) => void): void {
	const d = decoding.createDecoder(update);
	const n = decoding.readVarUint(d);
	for (let i = 0; i < n; i++) {
		const client = decoding.readVarUint(d);
		const clock = decoding.readVarUint(d);
		decoding.readVarString(d);
		each(client, clock);
	}
}

/** The body of our messageSaved: client → next clock not yet stored. */
export function readSavedBody(body: Uint8Array): Map<number, number> {
	const d = decoding.createDecoder(body);
	const out = new Map<number, number>();
	const n = decoding.readVarUint(d);
	for (let i = 0; i < n; i++) {
		const client = decoding.readVarUint(d);
		out.set(client, decoding.readVarUint(d));
	}
	return out;
}
