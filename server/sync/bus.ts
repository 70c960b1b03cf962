import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Scale-out through Redis pub/sub. Each loaded document has a channel; a process subscribes while it
 * holds the document. Updates travel with their per-document sequence number (already durable when
 * published), awareness without one. A control channel carries access changes to every process.
 */

const PREFIX = 'yrka:sync:';
const CONTROL = `${PREFIX}control`;
const docChannel = (name: string) => `${PREFIX}doc:${name}`;

const kindUpdate = 0;
const kindAwareness = 1;
const kindAwarenessQuery = 2;

export interface AccessFilter {
	docName?: string;
	userId?: string;
}

export interface BusHandlers {
	update(name: string, seq: number, update: Uint8Array): void;
	awareness(name: string, update: Uint8Array): void;
	/** Another process loaded the document and wants the presence of our clients. */
	awarenessQuery(name: string): void;
	access(filter: AccessFilter): void;
	/** The subscription was re-established after a drop: messages may have been missed. */
	reconnected(): void;
}

export class RedisBus {
	private readonly pub: Redis;
	private readonly sub: Redis;
	private readonly channels = new Set<string>();
	private everReady = false;

	constructor(
		url: string,
		private readonly nodeId: string,
		private readonly handlers: BusHandlers,
		private readonly log: (msg: string, err?: unknown) => void
	) {
		const opts = { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: true };
		this.pub = new Redis(url, opts);
		this.sub = new Redis(url, opts);
		for (const c of [this.pub, this.sub]) c.on('error', (err) => this.log('sync: redis error', err));
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
		this.sub.on('ready', () => {
			if (this.everReady) this.handlers.reconnected();
			this.everReady = true;
		});
	}

	async connect(): Promise<void> {
		await Promise.all([this.pub.connect(), this.sub.connect()]);
		await this.sub.subscribe(CONTROL);
	}

	async subscribe(name: string): Promise<void> {
		const ch = docChannel(name);
		if (this.channels.has(ch)) return;
		this.channels.add(ch);
		await this.sub.subscribe(ch);
	}

	async unsubscribe(name: string): Promise<void> {
		const ch = docChannel(name);
		if (!this.channels.delete(ch)) return;
		await this.sub.unsubscribe(ch).catch((err) => this.log('sync: redis unsubscribe failed', err));
	}

	publishUpdate(name: string, seq: number, update: Uint8Array): void {
		const e = this.header(kindUpdate);
		encoding.writeVarUint(e, seq);
		encoding.writeVarUint8Array(e, update);
		this.publish(docChannel(name), e);
	}

	publishAwareness(name: string, update: Uint8Array): void {
		const e = this.header(kindAwareness);
		encoding.writeVarUint8Array(e, update);
		this.publish(docChannel(name), e);
	}

	publishAwarenessQuery(name: string): void {
		this.publish(docChannel(name), this.header(kindAwarenessQuery));
	}

	async publishAccess(filter: AccessFilter): Promise<void> {
		const msg = JSON.stringify({ from: this.nodeId, filter });
		await this.pub.publish(CONTROL, msg);
	}

	async close(): Promise<void> {
		await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
	}

	private header(kind: number): encoding.Encoder {
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, kind);
		encoding.writeVarString(e, this.nodeId);
		return e;
	}

	private publish(channel: string, e: encoding.Encoder): void {
		// Fire and forget: a lost message is found as a sequence gap (or a periodic check) and read from the database.
		this.pub
			.publish(channel, Buffer.from(encoding.toUint8Array(e)))
			.catch((err) => this.log('sync: redis publish failed', err));
	}

	private receive(channel: string, message: Buffer): void {
		try {
			if (channel === CONTROL) {
				const { from, filter } = JSON.parse(message.toString('utf8')) as { from: string; filter: AccessFilter };
				if (from !== this.nodeId) this.handlers.access(filter ?? {});
				return;
			}
			if (!channel.startsWith(`${PREFIX}doc:`)) return;
			const name = channel.slice(PREFIX.length + 4);
			const d = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
			const kind = decoding.readVarUint(d);
			if (decoding.readVarString(d) === this.nodeId) return;
			if (kind === kindUpdate) {
				const seq = decoding.readVarUint(d);
				this.handlers.update(name, seq, decoding.readVarUint8Array(d));
			} else if (kind === kindAwareness) {
				this.handlers.awareness(name, decoding.readVarUint8Array(d));
			} else if (kind === kindAwarenessQuery) {
				this.handlers.awarenessQuery(name);
			}
		} catch (err) {
			this.log('sync: bad message on redis', err);
		}
	}
}
