import type { SyncOptions } from '../../../../server/sync';

export type ServerKind = 'yrka-pglite' | 'yrka-postgres' | 'yws' | 'hocuspocus';

export interface StartArgs {
	kind: ServerKind;
	/** yrka-postgres: the fresh database made for this server */
	databaseUrl?: string;
	/** sync tunables for ours (the trace raises the per-connection message limit) */
	sync?: Partial<SyncOptions>;
}

export interface PrepareArgs {
	docs: number;
	/** the initial content of every document; the small draft seed when absent */
	update?: Uint8Array;
}

/** Counters a server kind keeps beyond what every process has. */
export interface ServerCounters {
	/** ours: the sync server's totals */
	sync?: { updates: number; batches: number; bytes: number; failures: number; docs: number; connections: number };
	/** bytes of parameters in INSERT/UPDATE statements sent to the database */
	dbWriteBytes: number;
	/** bytes of client updates the server accepted */
	receivedBytes: number;
	/** Hocuspocus: receipt of an update → the store containing it committed, ms, since the last read */
	durable?: { count: number; p50: number; p99: number; max: number };
}

/** One server under test, whichever kind. */
export interface ServerImpl {
	port: number;
	/** handshake headers, one set per user; clients take them in turn */
	headers: Record<string, string>[];
	/** Creates and seeds `docs` documents; returns their names. */
	prepare(args: PrepareArgs): Promise<string[]>;
	counters(): ServerCounters;
	/** Waits until everything received is durable. */
	settle(timeoutMs: number): Promise<{ ms: number; complete: boolean }>;
	/** Bytes the server keeps for a document in its database; null when it keeps none. */
	storedBytes(doc: string): Promise<number | null>;
	close(): Promise<void>;
}
