import type { Server } from 'node:http';
import type { SyncService } from './server';

export { createSyncServer, type SyncService, type SyncStats } from './server';
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
