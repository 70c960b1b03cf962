import { strFromU8, unzipSync } from 'fflate';
import { extractText } from 'unpdf';

/**
 * A response as a person or a program on the other end could read it: the status, every header, and
 * the body as text. Downloads are opened: a DOCX is unzipped, a PDF's text extracted, so a secret
 * inside an exported file is found like one in a JSON body. Streams (server-sent events) are read for
 * a moment and then cancelled.
 */
export interface ReadResponse {
	status: number;
	contentType: string;
	headers: string;
	/** the body as text, with the text inside zip entries and PDF pages appended */
	text: string;
	bytes: number;
}

const isZip = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isPdf = (b: Uint8Array) => b.length > 5 && strFromU8(b.subarray(0, 5), true) === '%PDF-';

async function readStream(res: Response, ms: number): Promise<Uint8Array> {
	const reader = res.body?.getReader();
	if (!reader) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	const deadline = Date.now() + ms;
	for (;;) {
		const left = deadline - Date.now();
		if (left <= 0) break;
		let timer: NodeJS.Timeout | undefined;
		const next = await Promise.race([
			reader.read(),
			new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left)))
		]);
		clearTimeout(timer);
		if (next === 'timeout' || next.done) break;
		chunks.push(next.value);
	}
	await reader.cancel().catch(() => {});
	return new Uint8Array(Buffer.concat(chunks));
}

/** The text a reader of these bytes sees: UTF-8, plus the contents of a zip or the text of a PDF. */
export async function readableText(bytes: Uint8Array): Promise<string> {
	const parts = [new TextDecoder('utf-8', { fatal: false }).decode(bytes)];
	if (isZip(bytes)) {
		try {
			for (const [name, data] of Object.entries(unzipSync(bytes))) parts.push(name, strFromU8(data, true));
		} catch (err) {
			parts.push(`[zip not readable: ${(err as Error).message}]`);
		}
	}
	if (isPdf(bytes)) {
		try {
			const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
			parts.push(text);
		} catch (err) {
			parts.push(`[pdf not readable: ${(err as Error).message}]`);
		}
	}
	return parts.join('\n');
}

export async function readResponse(res: Response, streamMs = 300): Promise<ReadResponse> {
	const contentType = res.headers.get('content-type') ?? '';
	const bytes = contentType.includes('text/event-stream')
		? await readStream(res, streamMs)
		: new Uint8Array(await res.arrayBuffer());
	return {
		status: res.status,
		contentType,
		headers: [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n'),
		text: await readableText(bytes),
		bytes: bytes.length
	};
}
