import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DbHandle } from '../../../db/client';
import { createTestDb } from '../../support/db';
import { buildBody, buildCase, buildUser } from '../../support/factories';
import {
	buildDraft,
	rawSocket,
	startSyncServer,
	stockProvider,
	synced,
	waitFor,
	type SyncTestServer
} from '../../support/sync';

/**
 * Hostile input on the sync socket, from a user who may edit the document: random bytes, every
 * message type with random bodies, lengths that claim gigabytes, valid updates with bytes flipped,
 * awareness that claims millions of clients, and documents nested thousands deep. The server stays up,
 * two other users on another document keep syncing with low latency, and the attacked document still
 * loads from storage afterwards. SYNC_FUZZ_RUNS raises the number of attacks (default 60).
 */

const RUNS = Number(process.env.SYNC_FUZZ_RUNS ?? 60);

let dbHandle: DbHandle;
let server: SyncTestServer;
let caseId: string;
let cookie: string;
const cleanup: (() => void)[] = [];
/** The draft of the nesting test, for the export test after it. */
let deepDraftId = '';

function message(write: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e);
}

/** A real update of a few edits, the material that flipped bytes are made of. */
function sampleUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('title').insert(0, 'Yrkande angående budgeten');
	doc.getArray('points').push([new Y.Map([['id', 'p1']])]);
	doc.getText('title').delete(3, 4);
	doc.getMap('meta').set('kind', 'yrkande');
	return Y.encodeStateAsUpdate(doc);
}

function frames(update: Uint8Array): fc.Arbitrary<Uint8Array> {
	const varuint = fc.oneof(
		fc.integer({ min: 0, max: 300 }),
		fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER)
	);
	return fc.oneof(
		// Random bytes.
		fc.uint8Array({ maxLength: 96 }),
		// A known or unknown message type with random content.
		fc
			.tuple(fc.constantFrom(0, 1, 2, 3, 4, 100, 101, 127, 128, 255), fc.uint8Array({ maxLength: 64 }))
			.map(([t, rest]) => new Uint8Array([t, ...rest])),
		// A sync message whose length prefix lies, up to 2^53.
		fc.tuple(fc.constantFrom(0, 1, 2, 3, 9), varuint, fc.uint8Array({ maxLength: 64 })).map(([sub, claimed, payload]) =>
			message((e) => {
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint(e, sub);
				encoding.writeVarUint(e, claimed);
				encoding.writeUint8Array(e, payload);
			})
		),
		// An awareness update claiming many clients, huge clocks, or state that is not JSON.
		fc
			.tuple(varuint, varuint, varuint, fc.oneof(fc.string({ maxLength: 40 }), fc.constant('{"a":'.repeat(5000))))
			.map(([count, client, clock, state]) =>
				message((e) => {
					encoding.writeVarUint(e, 1);
					encoding.writeVarUint8Array(
						e,
						message((inner) => {
							encoding.writeVarUint(inner, count);
							encoding.writeVarUint(inner, client);
							encoding.writeVarUint(inner, clock);
							encoding.writeVarString(inner, state);
						})
					);
				})
			),
		// A valid update with one byte changed, or cut short.
		fc.tuple(fc.nat(update.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([at, byte, cut]) => {
			const u = cut ? update.slice(0, at) : update.slice();
			if (!cut) u[at] = byte;
			return message((e) => {
				encoding.writeVarUint(e, 0);
				syncProtocol.writeUpdate(e, u);
			});
		}),
		// A state vector claiming clocks the server never saw.
		fc.array(fc.tuple(varuint, varuint), { maxLength: 20 }).map((entries) =>
			message((e) => {
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint8Array(
					e,
					message((sv) => {
						encoding.writeVarUint(sv, entries.length);
						for (const [c, k] of entries) {
							encoding.writeVarUint(sv, c);
							encoding.writeVarUint(sv, k);
						}
					})
				);
			})
		)
	);
}

/** Two stock clients on another document, and the time one's edit takes to reach the other. */
async function bystanders() {
	const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
	const a = stockProvider(server, docName, cookie);
	const b = stockProvider(server, docName, cookie);
	cleanup.push(
		() => a.provider.destroy(),
		() => b.provider.destroy()
	);
	await Promise.all([synced(a.provider), synced(b.provider)]);
	let n = 0;
	return async () => {
		const mark = `m${n++}.`;
		const t0 = performance.now();
		a.doc.getText('t').insert(0, mark);
		await waitFor(() => b.doc.getText('t').toString().startsWith(mark), 5000, 'bystander round trip');
		return performance.now() - t0;
	};
}

/** A fresh client on the document, after the server has unloaded it: it loads from storage. */
async function loadsFromStorage(docName: string): Promise<Y.Doc> {
	await new Promise((r) => setTimeout(r, 300));
	const fresh = stockProvider(server, docName, cookie);
	cleanup.push(() => fresh.provider.destroy());
	await synced(fresh.provider, 10_000);
	return fresh.doc;
}

beforeAll(async () => {
	dbHandle = await createTestDb();
	server = await startSyncServer({ dbHandle });
	const bodyId = (await buildBody(dbHandle.db)).id;
	caseId = (await buildCase(dbHandle.db, bodyId)).id;
	const u = await buildUser(dbHandle.db, { bodyId, role: 'secretary', party: 'S' });
	cookie = await server.login(u.email, u.password);
});

afterAll(async () => {
	for (const f of cleanup) f();
	await server?.close();
	await dbHandle?.close();
});

describe('hostile input on the sync socket', () => {
	it('survives random and malformed frames; others keep syncing; the document still loads', async () => {
		const roundTrip = await bystanders();
		const victim = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const writer = stockProvider(server, victim.docName, cookie);
		await synced(writer.provider);
		writer.doc.getText('title').insert(0, 'Innan attacken');
		writer.provider.destroy();
		const latencies: number[] = [];
		const closes = new Map<number, number>();
		let run = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(frames(sampleUpdate()), { minLength: 1, maxLength: 6 }), async (sequence) => {
				const s = rawSocket(`${server.wsUrl}/${victim.docName}`, { cookie, origin: server.origin });
				await s.opened;
				for (const f of sequence) s.ws.send(f);
				const code = await Promise.race([
					s.closed.then((c) => c.code),
					new Promise<number>((r) => setTimeout(() => r(0), 40))
				]);
				closes.set(code, (closes.get(code) ?? 0) + 1);
				s.ws.terminate();
				if (run++ % 5 === 0) latencies.push(await roundTrip());
			}),
			{ numRuns: RUNS, seed: 4242, endOnFailure: true }
		);
		expect((await fetch(`${server.origin}/api/health`)).status).toBe(200);
		latencies.push(await roundTrip());
		const loaded = await loadsFromStorage(victim.docName);
		expect(loaded.getText('title').toString()).toContain('Innan attacken');
		console.log(
			`sync fuzz: ${run} attacks; closes ${JSON.stringify(Object.fromEntries(closes))} (0 = still open); ` +
				`bystander round trips median ${Math.round(latencies.sort((x, y) => x - y)[latencies.length >> 1])} ms, max ${Math.round(Math.max(...latencies))} ms`
		);
		expect(closes.get(4400) ?? 0).toBeGreaterThan(0);
		expect(Math.max(...latencies)).toBeLessThan(1000);
	});

	it('takes documents nested 5 000 deep (past any recursion) and they load again', async () => {
		const roundTrip = await bystanders();
		// Deep enough that anything walking the tree recursively overflows the stack (about 2 000 does).
		const depth = 5_000;
		const shapes: [string, (doc: Y.Doc) => void][] = [
			[
				'maps in a case document',
				(doc) => {
					// Built one level at a time, so making the update needs no recursion either.
					let m = doc.getMap('shared');
					for (let i = 0; i < depth; i++) {
						const next = new Y.Map<unknown>();
						m.set('x', next);
						m = next;
					}
				}
			],
			[
				'blockquotes in a draft body',
				(doc) => {
					let el: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment('body');
					for (let i = 0; i < depth; i++) {
						const next: Y.XmlElement = new Y.XmlElement('blockquote');
						el.insert(0, [next]);
						el = next;
					}
					el.insert(0, [new Y.XmlText('djupast')]);
				}
			]
		];
		for (const [what, build] of shapes) {
			const docName =
				what === 'maps in a case document'
					? `case.${caseId}`
					: (await buildDraft(dbHandle.db, { caseId, owner: 'S' })).docName;
			const local = new Y.Doc();
			build(local);
			const update = Y.encodeStateAsUpdate(local);
			const s = rawSocket(`${server.wsUrl}/${docName}`, { cookie, origin: server.origin });
			await s.opened;
			s.ws.send(
				message((e) => {
					encoding.writeVarUint(e, 0);
					syncProtocol.writeUpdate(e, update);
				})
			);
			// The projection is written after a short delay; give it time to run on the nested content.
			await new Promise((r) => setTimeout(r, 400));
			expect((await fetch(`${server.origin}/api/health`)).status, what).toBe(200);
			expect(await roundTrip(), what).toBeLessThan(1000);
			s.ws.close();
			const loaded = await loadsFromStorage(docName);
			expect(Y.encodeStateVector(loaded), what).toEqual(Y.encodeStateVector(local));
			if (docName.startsWith('draft.')) {
				deepDraftId = docName.slice('draft.'.length);
				const res = await fetch(`${server.origin}/api/drafts/${deepDraftId}`, {
					headers: { cookie, origin: server.origin }
				});
				expect(res.status, what).toBe(200);
			}
		}
	}, 180_000);

	// Reading a body caps its nesting (server/domain/draft-doc.ts MAX_BLOCK_DEPTH): deeper content is exported
	// as paragraphs, never a stack overflow.
	it('exports the draft nested 5 000 deep', async () => {
		expect(deepDraftId).not.toBe('');
		for (const f of ['html', 'md', 'docx', 'pdf']) {
			const res = await fetch(`${server.origin}/api/drafts/${deepDraftId}/export/${f}`, {
				headers: { cookie, origin: server.origin }
			});
			expect(res.status, f).toBeLessThan(500);
		}
	});

	it('keeps presence bounded: a client cannot flood awareness with other clients or huge states', async () => {
		const roundTrip = await bystanders();
		const { docName } = await buildDraft(dbHandle.db, { caseId, owner: 'S' });
		const s = rawSocket(`${server.wsUrl}/${docName}`, { cookie, origin: server.origin });
		await s.opened;
		const fake = new Y.Doc();
		const aw = new awarenessProtocol.Awareness(fake);
		// One awareness message per claimed client, each with a large state.
		for (let i = 0; i < 200; i++) {
			fake.clientID = 1_000_000 + i;
			aw.clientID = fake.clientID;
			aw.setLocalState({ user: { name: 'x'.repeat(50_000) } });
			s.ws.send(
				message((e) => {
					encoding.writeVarUint(e, 1);
					encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID]));
				})
			);
		}
		expect(await roundTrip()).toBeLessThan(1000);
		s.ws.close();
		await s.closed;
		// Its presences leave with it.
		const watcher = stockProvider(server, docName, cookie);
		cleanup.push(() => watcher.provider.destroy());
		await synced(watcher.provider);
		await new Promise((r) => setTimeout(r, 200));
		const others = [...watcher.provider.awareness.getStates().keys()].filter(
			(id) => id !== watcher.provider.awareness.clientID
		);
		expect(others).toEqual([]);
		aw.destroy();
	});
});
