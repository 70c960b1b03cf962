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

/**
 * One Node server: /api and /sync go to Hono, everything else to the SvelteKit app. Without a
 * build (tests of the API alone), everything goes to Hono.
 */
export async function createHttpServer(app: App, webHandler: NodeHandler | null): Promise<Server> {
	const hono = getRequestListener(app.fetch);
	const headers = webHandler ? await pageHeaders(app) : [];
	return createServer((req, res) => {
		const url = req.url ?? '/';
		if (!webHandler || url.startsWith('/api/') || url === '/api' || url.startsWith('/sync/')) {
			void hono(req, res);
			return;
		}
		for (const [k, v] of headers) res.setHeader(k, v);
		webHandler(req, res, () => void hono(req, res));
	});
}
