import { resolve } from 'node:path';

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl?: string;
	redisUrl?: string;
	seedDemo: boolean;
	/** Trust X-Forwarded-* headers (behind a TLS-terminating proxy). */
	trustProxy: boolean;
	/** Largest accepted sync message, bytes. */
	maxMessageBytes: number;
	/** Secret for short-lived sync tokens; random per process when not set. */
	tokenSecret?: string;
	logLevel: 'silent' | 'info';
	/** API requests a user (or an anonymous address) may make at once, and per minute after that. */
	apiBurst: number;
	apiPerMinute: number;
}

function bool(v: string | undefined, fallback: boolean): boolean {
	if (v === undefined || v === '') return fallback;
	return !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	return {
		port: Number(env.PORT ?? 3000),
		host: env.HOST ?? '0.0.0.0',
		dataDir: resolve(env.DATA_DIR ?? './data'),
		databaseUrl: env.DATABASE_URL || undefined,
		redisUrl: env.REDIS_URL || undefined,
		seedDemo: bool(env.SEED_DEMO, true),
		trustProxy: bool(env.TRUST_PROXY, false),
		maxMessageBytes: Number(env.SYNC_MAX_MESSAGE_BYTES ?? 2 * 1024 * 1024),
		tokenSecret: env.TOKEN_SECRET || undefined,
		logLevel: env.LOG_LEVEL === 'silent' ? 'silent' : 'info',
		apiBurst: Number(env.API_RATE_BURST ?? 300),
		apiPerMinute: Number(env.API_RATE_PER_MINUTE ?? 600)
	};
}
