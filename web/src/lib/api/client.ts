/**
 * The web's only way to the server: JSON over fetch, with the server's Swedish error message carried
 * in an ApiError. Same-origin, so the session cookie and the Origin header go along by themselves.
 */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

type Fetch = typeof fetch;

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}, f: Fetch = fetch): Promise<T> {
	const { json, ...rest } = init;
	let res: Response;
	try {
		res = await f(`/api${path}`, {
			...rest,
			headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...rest.headers },
			body: json !== undefined ? JSON.stringify(json) : rest.body,
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network', 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.');
	}
	const body = res.headers.get('content-type')?.includes('application/json') ? await res.json() : null;
	if (!res.ok) {
		throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? `Fel ${res.status}`);
	}
	return body as T;
}
