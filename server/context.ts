import type { Db } from '../db/client';
import type { FailureThrottle } from './auth/throttle';
import type { RateLimiter } from './middlewares/rate-limit';
import type { Session } from './auth/session';
import type { Config } from './config';
import type { Principal } from './policies';
import type { LiveHub } from './live/hub';
import type { SyncService } from './sync';

/** What the app is built from; tests build it with their own database. */
export interface AppDeps {
	db: Db;
	config: Pick<Config, 'trustProxy' | 'logLevel'> & Partial<Config>;
	throttles: {
		loginByAccount: FailureThrottle;
		loginByIp: FailureThrottle;
		/** every API request, per user or per address */
		api: RateLimiter;
	};
	log: (msg: string, extra?: unknown) => void;
	/** The real-time sync server: server-side writes, access changes, projections (server/sync). */
	sync: SyncService;
	/** Live notifications to open pages (server/live). */
	live: LiveHub;
}

export interface AppEnv {
	Variables: {
		deps: AppDeps;
		user: Principal | null;
		session: Session | null;
		clientIp: string;
	};
}
