import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createDb, type DbHandle } from '../db/client';
import { createApp, type App } from './app';
import { VersionRecorder, type VersionPolicy } from './commands/versions-auto';
import { FailureThrottle } from './auth/throttle';
import { RateLimiter } from './middlewares/rate-limit';
import type { Config } from './config';
import type { AppDeps } from './context';
import { createHttpServer, loadWebHandler } from './http';
import { LiveHub } from './live/hub';
import { seedDemo, type SeedResult } from './seed/demo';
import { attachSync, createSyncServer, type SyncOptions } from './sync';
import { syncOptionsFromEnv } from './sync/options';

export interface Runtime {
	app: App;
	server: Server;
	dbHandle: DbHandle;
	deps: AppDeps;
	seed: SeedResult | null;
	/** Automatic draft versions and the writers of Yjs clients (hooked into the sync server). */
	versions: VersionRecorder;
	url: string;
	close(): Promise<void>;
}

export interface RuntimeOptions {
	/** Serve the built SvelteKit app (default: when a build exists). */
	serveWeb?: boolean;
	/** Use this database instead of opening one from the config (tests). */
	dbHandle?: DbHandle;
	/** scrypt parameters for the demo seed (tests use cheap ones). */
	seedScrypt?: { N: number; r: number; p: number };
	/** Sync server tunables (tests shorten its timers); SYNC_* environment variables otherwise. */
	sync?: Partial<SyncOptions>;
	/** When automatic draft versions are taken (tests shorten the idle time). */
	versions?: Partial<VersionPolicy>;
}

/**
 * Opens the database, migrates, seeds the demo on first start, and serves the app. Used by
 * server/index.ts and by tests that need a real server on port 0.
 */
export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
	const log =
		config.logLevel === 'silent'
			? () => {}
			: (msg: string, extra?: unknown) => console.log(`[yrka] ${msg}`, extra ?? '');
	const dbHandle = options.dbHandle ?? (await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
	await dbHandle.migrate();
	const seed = config.seedDemo ? await seedDemo(dbHandle.db, { scrypt: options.seedScrypt }) : null;

	const versions = new VersionRecorder(
		dbHandle.db,
		(msg, extra) => (config.logLevel === 'silent' ? undefined : console.error(`[yrka] ${msg}`, extra ?? '')),
		options.versions
	);
	const sync = await createSyncServer({
		db: dbHandle.db,
		hooks: versions.hooks,
		log: (msg, extra) => (config.logLevel === 'silent' ? undefined : console.error(`[yrka] ${msg}`, extra ?? '')),
		options: {
			maxMessageBytes: config.maxMessageBytes,
			redisUrl: config.redisUrl,
			tokenSecret: config.tokenSecret,
			trustProxy: config.trustProxy,
			...syncOptionsFromEnv(process.env),
			...options.sync
		}
	});
	versions.attach(sync);

	const live = new LiveHub((msg, err) =>
		config.logLevel === 'silent' ? undefined : console.error(`[yrka] ${msg}`, err ?? '')
	);
	await live.connect(config.redisUrl);

	const deps: AppDeps = {
		db: dbHandle.db,
		config,
		throttles: {
			// 5 failed logins per account per 15 minutes, 30 per address.
			loginByAccount: new FailureThrottle(5, 15 * 60_000),
			loginByIp: new FailureThrottle(30, 15 * 60_000),
			api: new RateLimiter(config.apiBurst, config.apiPerMinute)
		},
		log: (msg, extra) => (config.logLevel === 'silent' ? undefined : console.error(`[yrka] ${msg}`, extra ?? '')),
		sync,
		live
	};
	const app = createApp(deps);
	const web = options.serveWeb === false || process.env.SERVE_WEB === '0' ? null : await loadWebHandler();
	const server = await createHttpServer(app, web);
	attachSync(server, sync);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
	log(`listening on ${url} (${dbHandle.driver}${dbHandle.driver === 'pglite' ? ` in ${config.dataDir}` : ''})`);

	let closing: Promise<void> | undefined;
	const close = () =>
		(closing ??= (async () => {
			// Open editing sessions get their version while the documents can still be read.
			await versions.close();
			// Sockets first and the update queue flushed while the database is still open.
			await sync.close();
			await live.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			if (!options.dbHandle) await dbHandle.close();
		})());

	return { app, server, dbHandle, deps, seed, versions, url, close };
}
