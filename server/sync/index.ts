import type { Server } from 'node:http';
import type { SyncService } from './server';

/**
 * Real-time sync of Yjs documents over the y-websocket protocol.
 *
 * Documents: `draft.<draftId>` (access from the draft and its parties) and `case.<caseId>` (the case's
 * shared space: read for the body, write for those who may comment). `can()` decides; the socket is
 * refused (close 4403) before any byte of an unknown or foreign document is sent, a reader's edits
 * are refused with the standard permission-denied message.
 *
 * For the rest of the server, `deps.sync`:
 * - `writeDoc(name, doc => …)` a server-side change, durable when it resolves, broadcast to clients;
 * - `readDoc(name)` a copy of the current state; `readProjection(s)` the stored plain projection;
 * - `notifyAccessChanged({ docName?, userId? })` after a draft's status or parties, a membership or a
 *   role changed (and on logout): affected sockets are downgraded or closed, on every process;
 * - `issueToken(userId, name)` for `POST /api/sync/token`; `stats()` for tests and benchmarks.
 *
 * For the browser, web/src/lib/collab: `DocConnection` (status, readOnly, error in Swedish).
 */

export { createSyncServer, type SyncHooks, type SyncService, type SyncStats } from './server';
export type { SyncOptions } from './options';
export type { StoredProjection } from './store';
export type { AccessFilter } from './bus';

/** Routes WebSocket upgrades on /sync/<docName> to the sync server; any other upgrade is refused. */
export function attachSync(server: Server, sync: SyncService): void {
	server.on('upgrade', (req, socket, head) => {
		if (req.url?.startsWith('/sync/')) sync.handleUpgrade(req, socket, head);
		else socket.destroy();
	});
}
