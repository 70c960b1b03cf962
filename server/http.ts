import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { App } from './app';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The built SvelteKit app (adapter-node's handler), when `npm run build` has produced it. */
export async function loadWebHandler(): Promise<NodeHandler | null> {
	const path = fileURLToPath(new URL('../build/handler.js', import.meta.url));
	if (!existsSync(path)) return null;
	const mod = (await import(pathToFileURL(path).href)) as { handler: NodeHandler };
	return mod.handler;
}

/**
 * Headers the pages get too: the same policy as the API's (server/middlewares/security.ts), set on
 * the response before SvelteKit writes it.
 */
async function pageHeaders(app: App): Promise<[string, string][]> {
	const res = await app.request('/api/health');
	const keep = [
		'content-security-policy',
		'x-frame-options',
		'x-content-type-options',
		'referrer-policy',
		'cross-origin-opener-policy',
		'cross-origin-resource-policy',
		'permissions-policy'
	];
	return [...res.headers.entries()].filter(([k]) => keep.includes(k));
}

/** A body left unread after the answer is read and dropped up to this size, then the connection ends. */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;
/** How long an unread body may take to arrive after the answer before the connection ends. */
const DRAIN_MS = 5_000;
/** After ending a connection with body still coming: how long its bytes are still read and dropped. */
const LINGER_MS = 2_000;

/**
 * An answer given before the request body was read (a 413 for a body over the limit, a refusal before
 * the body mattered): the rest of the body is read and dropped, so a client that reads the answer only
 * once it has sent everything receives it, and the connection can carry its next request. A body too
 * large or too slow for that is cut off gracefully: the answer is sent, the connection half-closed, and
 * what still arrives is read for a moment, since closing a socket with unread data resets it and can
 * take the answer with it.
 */
export function drainUnreadBody(req: IncomingMessage, res: ServerResponse): void {
	res.once('finish', () => {
		if (req.complete || req.destroyed) return;
		const socket = req.socket;
		let read = 0;
		let lingering = false;
		const linger = () => {
			if (lingering) return;
			lingering = true;
			clearTimeout(timer);
			socket.end();
			setTimeout(() => socket.destroy(), LINGER_MS).unref();
		};
		const timer = setTimeout(linger, DRAIN_MS);
		timer.unref();
		// Whatever was reading the body (the web stream of the refused request) no longer is.
		req.removeAllListeners('data');
		req.on('data', (chunk: Buffer) => {
			read += chunk.length;
			if (read > DRAIN_MAX_BYTES) linger();
		});
		req.once('end', () => clearTimeout(timer));
		req.once('error', () => clearTimeout(timer));
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > DRAIN_MAX_BYTES) linger();
		req.resume();
	});
}

/**
 * One Node server: /api and /sync go to Hono, everything else to the SvelteKit app. Without a
 * build (tests of the API alone), everything goes to Hono.
 */
export async function createHttpServer(app: App, webHandler: NodeHandler | null): Promise<Server> {
	// Unread bodies are handled by drainUnreadBody, not by the adapter's own clean-up (which gives up
	// after 500 ms and closes a connection that could have carried the next request).
	const hono = getRequestListener(app.fetch, { autoCleanupIncoming: false });
	const headers = webHandler ? await pageHeaders(app) : [];
	return createServer((req, res) => {
		const url = req.url ?? '/';
		if (!webHandler || url.startsWith('/api/') || url === '/api' || url.startsWith('/sync/')) {
			drainUnreadBody(req, res);
			void hono(req, res);
			return;
		}
		for (const [k, v] of headers) res.setHeader(k, v);
		webHandler(req, res, () => void hono(req, res));
	});
}
