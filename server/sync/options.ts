/** Tunables of the sync server. Defaults suit production; tests shorten the timers. */
export interface SyncOptions {
	/** Largest accepted message; a larger frame closes the socket with 1009. */
	maxMessageBytes: number;
	/** A peer whose unsent data exceeds this is a slow reader and is dropped. */
	maxBufferedBytes: number;
	/** Ping every so often; a peer that has not answered the previous ping is dropped. */
	pingIntervalMs: number;
	/** How long an unused document stays in memory after its last client left. */
	unloadDelayMs: number;
	/** Log rows after the snapshot that trigger a compaction. */
	compactEvery: number;
	/** Debounce of the stored projection after a change. */
	projectionDelayMs: number;
	/** Every connection's access is re-checked this often, besides notifyAccessChanged. */
	accessRecheckMs: number;
	/** With Redis: how often loaded documents compare their sequence with the database. */
	seqCheckMs: number;
	/** Per-connection rate limits; a client above them is slowed down (its socket paused). */
	messagesPerSecond: number;
	messageBurst: number;
	bytesPerSecond: number;
	byteBurst: number;
	redisUrl?: string;
	tokenSecret?: string;
	trustProxy: boolean;
}

export function defaultSyncOptions(over: Partial<SyncOptions> = {}): SyncOptions {
	const maxMessageBytes = over.maxMessageBytes ?? 2 * 1024 * 1024;
	return {
		maxMessageBytes,
		maxBufferedBytes: Math.max(16 * 1024 * 1024, 4 * maxMessageBytes),
		pingIntervalMs: 30_000,
		unloadDelayMs: 5_000,
		compactEvery: 200,
		projectionDelayMs: 1_000,
		accessRecheckMs: 60_000,
		seqCheckMs: 3_000,
		messagesPerSecond: 200,
		messageBurst: 400,
		bytesPerSecond: 4 * 1024 * 1024,
		byteBurst: Math.max(8 * 1024 * 1024, 2 * maxMessageBytes),
		trustProxy: false,
		...over
	};
}

const numeric: Partial<Record<keyof SyncOptions, string>> = {
	pingIntervalMs: 'SYNC_PING_INTERVAL_MS',
	unloadDelayMs: 'SYNC_UNLOAD_DELAY_MS',
	compactEvery: 'SYNC_COMPACT_EVERY',
	projectionDelayMs: 'SYNC_PROJECTION_DELAY_MS',
	accessRecheckMs: 'SYNC_ACCESS_RECHECK_MS',
	seqCheckMs: 'SYNC_SEQ_CHECK_MS',
	maxBufferedBytes: 'SYNC_MAX_BUFFERED_BYTES',
	messagesPerSecond: 'SYNC_MESSAGES_PER_SECOND',
	bytesPerSecond: 'SYNC_BYTES_PER_SECOND'
};

/** Overrides from SYNC_* environment variables (the server started as a child process in tests). */
export function syncOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<SyncOptions> {
	const out: Partial<Record<keyof SyncOptions, number>> = {};
	for (const [key, name] of Object.entries(numeric) as [keyof SyncOptions, string][]) {
		const v = env[name];
		if (v !== undefined && v !== '' && Number.isFinite(Number(v))) out[key] = Number(v);
	}
	return out as Partial<SyncOptions>;
}
