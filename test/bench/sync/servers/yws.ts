import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { draftSeed } from '../docs';
import type { PrepareArgs, ServerImpl } from './types';

/** The reference y-websocket server as its README sets it up: setupWSConnection, documents in memory. */
export async function startYws(): Promise<ServerImpl> {
	const wss = new WebSocketServer({ noServer: true });
	const http = createServer((_req, res) => res.writeHead(404).end());
	http.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
	let counter = 0;
	return {
		port: (http.address() as AddressInfo).port,
		headers: [{}],
		async prepare(args: PrepareArgs) {
			const content = args.update ?? draftSeed().update;
			const names = Array.from({ length: args.docs }, () => `draft.bench${++counter}`);
			for (const n of names) Y.applyUpdate(getYDoc(n), content);
			return names;
		},
		counters: () => ({ dbWriteBytes: 0, receivedBytes: 0 }),
		settle: async () => ({ ms: 0, complete: true }),
		storedBytes: async () => null,
		async close() {
			for (const c of wss.clients) c.terminate();
			http.closeAllConnections();
			await new Promise<void>((r) => http.close(() => r()));
		}
	};
}
