/**
 * Control characters in text that people write: the C0 controls and DEL, except tab, line feed and
 * carriage return. They come with text pasted from some PDFs; none of them means anything in a title or
 * a paragraph, and NUL cannot be stored in Postgres text or jsonb at all.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function hasControlChars(s: string): boolean {
	CONTROL_CHARS.lastIndex = 0;
	return CONTROL_CHARS.test(s);
}

/** The value with control characters removed from every string in it (objects and arrays copied). */
export function withoutControlChars<T>(value: T): T {
	if (typeof value === 'string') return value.replace(CONTROL_CHARS, '') as T;
	if (Array.isArray(value)) return value.map((v) => withoutControlChars(v)) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = withoutControlChars(v);
		return out as T;
	}
	return value;
}
