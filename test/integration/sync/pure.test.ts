import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../../server/sync/access';
import * as ws from 'ws';
import { binaryFrame, updateChangesDoc } from '../../../server/sync/server';
import { signToken, verifyToken } from '../../../server/sync/token';
import {
	encodeAccess,
	encodeSaved,
	messageAccess,
	messageSaved,
	readAccess,
	readSaved
} from '../../../server/sync/wire';

/** The pure pieces of the sync server: no sockets, no database. */

function synced(): { server: Y.Doc; client: Y.Doc } {
	const server = new Y.Doc();
	server.getText('t').insert(0, 'hej världen');
	server.getText('t').delete(0, 4);
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	return { server, client };
}

describe("deciding whether a reader's update would change the document", () => {
	it('lets a reader’s empty sync step 2 through (it changes nothing)', () => {
		const { server, client } = synced();
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(updateChangesDoc(server, step2)).toBe(false);
	});

	it('lets a resend of content and deletions the server already has through', () => {
		const { server, client } = synced();
		expect(updateChangesDoc(server, Y.encodeStateAsUpdate(client))).toBe(false);
	});

	it('refuses new content', () => {
		const { server, client } = synced();
		client.getText('t').insert(0, 'x');
		expect(updateChangesDoc(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(true);
	});

	it('refuses a deletion of content the server still has', () => {
		const { server, client } = synced();
		const before = Y.encodeStateVector(client);
		client.getText('t').delete(0, 1);
		const update = Y.encodeStateAsUpdate(client, before);
		expect(Y.decodeUpdate(update).structs.length).toBe(0);
		expect(updateChangesDoc(server, update)).toBe(true);
	});

	it('refuses content of another client the server has not seen', () => {
		const { server } = synced();
		const other = new Y.Doc();
		other.getMap('m').set('k', 1);
		expect(updateChangesDoc(server, Y.encodeStateAsUpdate(other))).toBe(true);
	});
});

describe('sync tokens', () => {
	const secret = 'test-secret';
	const claims = { userId: 'u1', docName: 'draft.abc', expiresAt: Date.now() + 60_000 };

	it('round-trips and refuses tampering, another key and expiry', () => {
		const token = signToken(secret, claims);
		expect(verifyToken(secret, token)).toEqual(claims);
		expect(verifyToken('other', token)).toBeNull();
		const [body, mac] = token.split('.');
		const forged = Buffer.from(JSON.stringify({ u: 'u2', d: 'draft.abc', e: claims.expiresAt })).toString('base64url');
		expect(verifyToken(secret, `${forged}.${mac}`)).toBeNull();
		expect(verifyToken(secret, `${body}.${mac}.x`)).toBeNull();
		expect(verifyToken(secret, token, claims.expiresAt + 1)).toBeNull();
		expect(verifyToken(secret, 'nonsense')).toBeNull();
	});
});

describe('sync wire: our two extra messages and document names', () => {
	it('encodes and reads saved clocks and access', () => {
		const clocks = new Map([
			[1, 5],
			[4_000_000_000, 123_456]
		]);
		const d = decoding.createDecoder(encodeSaved(clocks));
		expect(decoding.readVarUint(d)).toBe(messageSaved);
		expect(readSaved(d)).toEqual(clocks);
		const a = decoding.createDecoder(encodeAccess('read', 'read-only'));
		expect(decoding.readVarUint(a)).toBe(messageAccess);
		expect(readAccess(a)).toEqual({ mode: 'read', reason: 'read-only' });
	});

	it('knows drafts and cases and nothing else', () => {
		expect(parseDocName('draft.abc123')).toEqual({ name: 'draft.abc123', kind: 'draft', id: 'abc123' });
		expect(parseDocName('case.x-y_z')).toMatchObject({ kind: 'case', id: 'x-y_z' });
		for (const bad of [
			'draft.',
			'draft',
			'workspace.a',
			'draft.a/b',
			'draft.a.b',
			`draft.${'a'.repeat(65)}`,
			' case.a'
		]) {
			expect(parseDocName(bad), bad).toBeNull();
		}
	});
});

/** ws' frame parser (exported by the package, absent from its type definitions). */
const { Receiver } = ws as unknown as {
	Receiver: new (opts: { isServer: boolean; binaryType: string; maxPayload: number }) => import('node:stream').Writable;
};

describe('broadcast frames encoded once for all peers', () => {
	it('are read back by a WebSocket client as the same binary message, at every length encoding', async () => {
		for (const n of [0, 1, 125, 126, 65_535, 65_536, 300_000]) {
			const payload = Buffer.alloc(n);
			for (let i = 0; i < n; i++) payload[i] = (i * 31 + n) & 0xff;
			const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer', maxPayload: 0 });
			const got = new Promise<{ data: Buffer; binary: boolean }>((resolve, reject) => {
				receiver.on('message', (data: Buffer, binary: boolean) => resolve({ data, binary }));
				receiver.on('error', reject);
			});
			receiver.write(binaryFrame(new Uint8Array(payload)));
			const { data, binary } = await got;
			expect(binary).toBe(true);
			expect(data.equals(payload)).toBe(true);
		}
	});
});
