/**
 * Comment text as the UI shows and writes it. Text is only ever split into segments and rendered
 * as text nodes: nothing a member types is read as markup.
 */

export interface Segment {
	text: string;
	/** "@Name" of a person the comment mentions */
	mention: boolean;
}

/** Splits the text where the mentioned people are named with @. */
export function segments(text: string, names: readonly string[]): Segment[] {
	const tokens = [...new Set(names.filter(Boolean).map((n) => `@${n}`))].sort((a, b) => b.length - a.length);
	const out: Segment[] = [];
	let plain = '';
	let i = 0;
	while (i < text.length) {
		const hit = text[i] === '@' ? tokens.find((t) => text.startsWith(t, i)) : undefined;
		if (hit) {
			if (plain) out.push({ text: plain, mention: false });
			out.push({ text: hit, mention: true });
			plain = '';
			i += hit.length;
		} else {
			plain += text[i];
			i++;
		}
	}
	if (plain) out.push({ text: plain, mention: false });
	return out;
}

/** The "@…" being typed just before the caret, if any: where it starts and what follows the @. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
	const before = text.slice(0, caret);
	const at = before.lastIndexOf('@');
	if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]))) return null;
	const query = before.slice(at + 1);
	// Names have a space or two; a line break or a long run means the @ was something else.
	if (query.length > 40 || /\n/.test(query) || (query.match(/ /g) ?? []).length > 2) return null;
	return { start: at, query };
}

/** People whose name begins with the query, or whose later name does ("lind" finds Anna Lindqvist). */
export function matchPeople<T extends { name: string }>(people: readonly T[], query: string, max = 6): T[] {
	const q = query.trim().toLocaleLowerCase('sv');
	return people
		.filter((p) => {
			const n = p.name.toLocaleLowerCase('sv');
			return !q || n.startsWith(q) || n.split(/\s+/).some((w) => w.startsWith(q));
		})
		.slice(0, max);
}

/** The chosen people still named in the text; a name deleted from the text is no mention. */
export function keptMentions(text: string, chosen: readonly { id: string; name: string }[]): string[] {
	return [...new Set(chosen.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id))];
}
