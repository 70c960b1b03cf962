/** One server-sent event: its name and its (single-line) data, '' when it has none. */
export interface SseEvent {
	event: string;
	data: string;
}

/**
 * Reads a server-sent event stream and hands each named event to `onEvent`, until the stream ends or
 * its request is aborted.
 */
export async function pumpSse(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void): Promise<void> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buf = '';
	for (;;) {
		const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
		if (done) return;
		buf += decoder.decode(value, { stream: true });
		let i: number;
		while ((i = buf.indexOf('\n\n')) >= 0) {
			const chunk = buf.slice(0, i);
			buf = buf.slice(i + 2);
			const event = /^event: (.*)$/m.exec(chunk)?.[1];
			if (event) onEvent({ event, data: /^data: (.*)$/m.exec(chunk)?.[1] ?? '' });
		}
	}
}

/** The ids an event's JSON data names (`{ids: [...]}`), or none. */
export function eventIds(e: SseEvent): string[] {
	return e.data ? ((JSON.parse(e.data) as { ids?: string[] }).ids ?? []) : [];
}
