import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { partiesOf, type Principal } from '../policies';

/**
 * Live notifications for pages that show shared state (positions, comments, drafts): "something in
 * this case changed, refetch". Events carry topics and ids, never content: the client refetches
 * through the API, which decides access. The audience keeps even the timing of a party's internal
 * work from other parties.
 */
export type LiveAudience =
	/** everyone with a membership in the case's body */
	| { kind: 'body' }
	/** only people of these parties */
	| { kind: 'parties'; partyIds: readonly string[] };

export interface LiveEvent {
	caseId: string;
	bodyId: string;
	audience: LiveAudience;
	/** e.g. "positions", "comments", "drafts", "baseline", "meeting" */
	topic: string;
	ids?: string[];
}

export interface LiveMessage {
	topic: string;
	ids: string[];
	at: number;
}

const CHANNEL = 'yrka:live';

export function canReceive(user: Principal, event: LiveEvent): boolean {
	if (!user.memberships.some((m) => m.bodyId === event.bodyId)) return false;
	if (event.audience.kind === 'body') return true;
	const mine = partiesOf(user, event.bodyId);
	return event.audience.partyIds.some((p) => mine.includes(p));
}

export class LiveHub {
	private readonly local = new EventEmitter();
	private pub?: Redis;
	private sub?: Redis;

	constructor(private readonly log: (msg: string, err?: unknown) => void = () => {}) {
		this.local.setMaxListeners(0);
	}

	/** With Redis, events published on any process reach the subscribers of every process. */
	async connect(redisUrl: string | undefined): Promise<void> {
		if (!redisUrl) return;
		const opts = { lazyConnect: true, maxRetriesPerRequest: 3 };
		this.pub = new Redis(redisUrl, opts);
		this.sub = new Redis(redisUrl, opts);
		for (const c of [this.pub, this.sub]) c.on('error', (err) => this.log('live: redis error', err));
		await Promise.all([this.pub.connect(), this.sub.connect()]);
		this.sub.on('message', (_channel: string, raw: string) => {
			try {
				this.deliver(JSON.parse(raw) as LiveEvent);
			} catch (err) {
				this.log('live: bad message', err);
			}
		});
		await this.sub.subscribe(CHANNEL);
	}

	publish(event: LiveEvent): void {
		if (this.pub) {
			this.pub.publish(CHANNEL, JSON.stringify(event)).catch((err) => {
				this.log('live: publish failed, delivering locally', err);
				this.deliver(event);
			});
		} else {
			this.deliver(event);
		}
	}

	/** Subscribes a user to a case; returns the unsubscribe function. */
	subscribe(user: Principal, caseId: string, onMessage: (m: LiveMessage) => void): () => void {
		const listener = (event: LiveEvent) => {
			if (canReceive(user, event)) onMessage({ topic: event.topic, ids: event.ids ?? [], at: Date.now() });
		};
		this.local.on(caseId, listener);
		return () => this.local.off(caseId, listener);
	}

	listenerCount(caseId: string): number {
		return this.local.listenerCount(caseId);
	}

	async close(): Promise<void> {
		this.local.removeAllListeners();
		await Promise.all([this.pub?.quit().catch(() => {}), this.sub?.quit().catch(() => {})]);
	}

	private deliver(event: LiveEvent): void {
		this.local.emit(event.caseId, event);
	}
}
