import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHistogram } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Database } from '@hocuspocus/extension-database';
import { Hocuspocus, type onChangePayload } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { draftSeed } from '../docs';
import { pgliteDir } from './pglite-dir';
import type { PrepareArgs, ServerImpl } from './types';

/**
 * @hocuspocus/server 3 with its database extension, storing into a PGlite table of its own (in the
 * process, like ours on PGlite), with its default debounce of the store (2 s, at most 10 s).
 */
export async function startHocuspocus(): Promise<ServerImpl> {
	const dataDir = await pgliteDir();
	const pg = new PGlite(dataDir);
	await pg.waitReady;
	await pg.exec(
		'create table if not exists hocuspocus_documents (name text primary key, data bytea not null, updated_at timestamptz not null default now())'
	);
	let dbWriteBytes = 0;
	let receivedBytes = 0;
	const durable = createHistogram();
	/** arrival times of updates not yet covered by a store, per document */
	const unstored = new Map<string, number[]>();

	const tracker = {
		async onChange(data: onChangePayload) {
			// Loading from the database is an update too; only what clients send is counted.
			if (!data.transactionOrigin) return;
			receivedBytes += data.update.byteLength;
			let list = unstored.get(data.documentName);
			if (!list) unstored.set(data.documentName, (list = []));
			list.push(performance.now());
		}
	};
	const hocuspocus = new Hocuspocus({
		quiet: true,
		extensions: [
			tracker,
			new Database({
				fetch: async ({ documentName }) => {
					const res = await pg.query<{ data: Uint8Array }>('select data from hocuspocus_documents where name = $1', [
						documentName
					]);
					return res.rows[0]?.data ?? null;
				},
				store: async ({ documentName, state }) => {
					// The state was encoded just before this call: every update that arrived so far is in it.
					const covered = unstored.get(documentName) ?? [];
					unstored.set(documentName, []);
					await pg.query(
						'insert into hocuspocus_documents (name, data) values ($1, $2) on conflict (name) do update set data = excluded.data, updated_at = now()',
						[documentName, state]
					);
					dbWriteBytes += state.byteLength + Buffer.byteLength(documentName);
					const now = performance.now();
					for (const t of covered) durable.record(Math.max(1, Math.round((now - t) * 1000)));
				}
			})
		]
	});
	const wss = new WebSocketServer({ noServer: true });
	const http = createServer((_req, res) => res.writeHead(404).end());
	http.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => hocuspocus.handleConnection(ws, req));
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
	let counter = 0;

	return {
		port: (http.address() as AddressInfo).port,
		headers: [{}],
		async prepare(args: PrepareArgs) {
			const content = args.update ?? draftSeed().update;
			const names = Array.from({ length: args.docs }, () => `draft.bench${++counter}`);
			// Stored through its own hooks, as an app would create documents; 25 at a time.
			for (let i = 0; i < names.length; i += 25) {
				await Promise.all(
					names.slice(i, i + 25).map(async (n) => {
						const conn = await hocuspocus.openDirectConnection(n);
						await conn.transact((doc) => Y.applyUpdate(doc, content));
						await conn.disconnect();
					})
				);
			}
			return names;
		},
		counters() {
			const ms = (v: number) => (durable.count > 0 ? v / 1000 : 0);
			const out = {
				dbWriteBytes,
				receivedBytes,
				durable: {
					count: durable.count,
					p50: ms(durable.percentile(50)),
					p99: ms(durable.percentile(99)),
					max: ms(durable.max)
				}
			};
			durable.reset();
			return out;
		},
		async settle(timeoutMs: number) {
			const start = performance.now();
			while ([...unstored.values()].some((l) => l.length > 0)) {
				if (performance.now() - start > timeoutMs) return { ms: performance.now() - start, complete: false };
				await new Promise((r) => setTimeout(r, 20));
			}
			return { ms: performance.now() - start, complete: true };
		},
		async storedBytes(doc: string) {
			const res = await pg.query<{ n: number }>(
				'select coalesce(octet_length(data), 0)::int as n from hocuspocus_documents where name = $1',
				[doc]
			);
			return res.rows[0]?.n ?? 0;
		},
		async close() {
			hocuspocus.closeConnections();
			// Closing stores every document; the database stays open until those writes are done.
			for (let i = 0; i < 250 && hocuspocus.getDocumentsCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
			for (const c of wss.clients) c.terminate();
			http.closeAllConnections();
			await new Promise<void>((r) => http.close(() => r()));
			await pg.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
