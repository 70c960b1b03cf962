import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { closeCodes } from './wire';

/**
 * How many sync sockets one user and one address may hold at once. Each socket has its own rate and
 * size limits (server.ts); without a cap on their number a client multiplies its allowance by opening
 * more, and every handshake costs a session lookup. A socket is counted from its handshake until its
 * TCP connection closes, whatever closed it, so a slot is never leaked and is free again at once.
 */

/** The close code of a refused socket: in 4400–4499, so the browser wrapper does not retry in a loop. */
export const TOO_MANY_SOCKETS = closeCodes.tooMany;
export const TOO_MANY_SOCKETS_REASON = 'too many connections';

export interface SocketLimitOptions {
	/** open sockets per user (0: no cap) */
	perUser: number;
	/** open sockets and handshakes per client address (0: no cap) */
	perAddress: number;
	/** take the address from X-Forwarded-For (behind a trusted proxy) */
	trustProxy: boolean;
}

export const DEFAULT_SOCKETS_PER_USER = 50;
export const DEFAULT_SOCKETS_PER_ADDRESS = 500;

function count(v: string | undefined, fallback: number): number {
	if (v === undefined || v === '') return fallback;
	const n = Number(v);
	return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** SYNC_MAX_SOCKETS_PER_USER and SYNC_MAX_SOCKETS_PER_IP, with TRUST_PROXY as the rest of the server reads it. */
export function socketLimitsFromEnv(env: NodeJS.ProcessEnv, trustProxy: boolean): SocketLimitOptions {
	return {
		perUser: count(env.SYNC_MAX_SOCKETS_PER_USER, DEFAULT_SOCKETS_PER_USER),
		perAddress: count(env.SYNC_MAX_SOCKETS_PER_IP, DEFAULT_SOCKETS_PER_ADDRESS),
		trustProxy
	};
}

interface Refusal {
	ok: false;
	code: number;
	reason: string;
}

const refusal: Refusal = { ok: false, code: TOO_MANY_SOCKETS, reason: TOO_MANY_SOCKETS_REASON };

export class SocketLimits {
	private readonly byUser = new Map<string, number>();
	private readonly byAddress = new Map<string, number>();

	constructor(readonly opts: SocketLimitOptions) {}

	/** The client's address: the socket's peer, or the first X-Forwarded-For entry behind a trusted proxy. */
	addressOf(req: IncomingMessage): string {
		const forwarded = this.opts.trustProxy
			? (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim()
			: undefined;
		return forwarded || req.socket.remoteAddress || 'unknown';
	}

	/**
	 * On a handshake, before anything is looked up: a refusal when the address holds its cap, else null
	 * with the socket counted for the address until it closes.
	 */
	admitAddress(req: IncomingMessage, socket: Duplex): Refusal | null {
		return this.claim(this.byAddress, this.addressOf(req), this.opts.perAddress, socket) ? null : refusal;
	}

	/** After authentication: the decision, or a refusal when the user holds the cap; counted until it closes. */
	admitUser<D extends { ok: true; identity: { principal: { id: string } } } | Refusal>(
		decision: D,
		socket: Duplex
	): D | Refusal {
		if (!decision.ok) return decision;
		return this.claim(this.byUser, decision.identity.principal.id, this.opts.perUser, socket) ? decision : refusal;
	}

	/** Sockets counted now: per user and per address (for tests and stats). */
	counts(): { users: number; addresses: number; sockets: number } {
		let sockets = 0;
		for (const n of this.byAddress.values()) sockets += n;
		return { users: this.byUser.size, addresses: this.byAddress.size, sockets };
	}

	private claim(map: Map<string, number>, key: string, max: number, socket: Duplex): boolean {
		const held = map.get(key) ?? 0;
		if (max > 0 && held >= max) return false;
		// A socket that already closed would never report it: nothing to count.
		if (socket.destroyed) return true;
		map.set(key, held + 1);
		socket.once('close', () => {
			const n = (map.get(key) ?? 1) - 1;
			if (n > 0) map.set(key, n);
			else map.delete(key);
		});
		return true;
	}
}
