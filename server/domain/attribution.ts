import * as Y from 'yjs';
import { amendmentsArray, bodyFragment, decisionLevelHeadings, pointsArray, titleText } from './draft-doc';
import { pointsInReadingOrder } from './point-order';

/**
 * Who wrote which part of a draft, read from the Y.Doc itself: every character is an item whose id
 * names the Yjs client that created it. The server knows which user wrote as which client (it
 * recorded that when it accepted the update), so client → user turns runs of text into authors.
 * Pure: the browser uses the same walk on its live document.
 */

/** A stretch of visible text created by one Yjs client; `client` is null for separators between blocks. */
export interface ClientRun {
	text: string;
	client: number | null;
}

export interface PartRuns {
	/** stable key of the part: "title", "body", "point:<id>", "amendment:<id>" */
	key: string;
	/** what the UI calls it, in Swedish */
	label: string;
	runs: ClientRun[];
}

function push(runs: ClientRun[], text: string, client: number | null): void {
	if (!text) return;
	const last = runs[runs.length - 1];
	if (last && last.client === client) last.text += text;
	else runs.push({ text, client });
}

/** The visible characters of a Y.Text or Y.XmlText, in order, each run with its creating client. */
export function textRuns(text: Y.Text | Y.XmlText, runs: ClientRun[] = []): ClientRun[] {
	for (let item = text._start; item; item = item.right) {
		if (item.deleted || !item.countable) continue;
		if (item.content instanceof Y.ContentString) push(runs, item.content.str, item.id.client);
		// An embed counts as one character of its writer's.
		else if (item.content instanceof Y.ContentEmbed) push(runs, '\uFFFC', item.id.client);
	}
	return runs;
}

/** A fragment's text, blocks separated by a blank line the way the projection joins them. */
export function fragmentRuns(fragment: Y.XmlFragment | Y.XmlElement, runs: ClientRun[] = []): ClientRun[] {
	let first = true;
	for (const child of fragment.toArray()) {
		if (child instanceof Y.XmlText) {
			textRuns(child, runs);
			continue;
		}
		if (!(child instanceof Y.XmlElement)) continue;
		if (child.nodeName === 'hardBreak') {
			push(runs, '\n', null);
			continue;
		}
		if (!first) push(runs, '\n\n', null);
		fragmentRuns(child, runs);
		first = false;
	}
	return runs;
}

/** Every text part of a draft with its runs: title, the decision points, the body, the amendments. */
export function draftRuns(doc: Y.Doc): PartRuns[] {
	const parts: PartRuns[] = [{ key: 'title', label: 'Rubrik', runs: textRuns(titleText(doc)) }];
	const counters = { ks: 0, ks_kf: 0 };
	for (const { map: m } of pointsInReadingOrder(pointsArray(doc))) {
		const level = m.get('level') === 'ks' ? 'ks' : 'ks_kf';
		counters[level]++;
		const content = m.get('content');
		parts.push({
			key: `point:${String(m.get('id') ?? '')}`,
			label: `Punkt ${counters[level]} under "${decisionLevelHeadings[level]}"`,
			runs: content instanceof Y.XmlFragment ? fragmentRuns(content) : []
		});
	}
	parts.push({ key: 'body', label: 'Text', runs: fragmentRuns(bodyFragment(doc)) });
	amendmentsArray(doc)
		.toArray()
		.forEach((m, i) => {
			const content = m.get('content');
			parts.push({
				key: `amendment:${String(m.get('id') ?? '')}`,
				label: `Ändring ${i + 1}`,
				runs: content instanceof Y.XmlFragment ? fragmentRuns(content) : []
			});
		});
	return parts;
}

/** Every client that created visible text in the parts. */
export function clientsOf(parts: readonly PartRuns[]): number[] {
	const out = new Set<number>();
	for (const p of parts) for (const r of p.runs) if (r.client !== null) out.add(r.client);
	return [...out];
}

/** Who an author is, as the attribution names them. */
export interface AuthorRef {
	userId: string;
	name: string;
	partyId: string | null;
}

/** A run with its author: an index into `authors`, or null (separator, or a client nobody claimed). */
export interface AuthoredRun {
	text: string;
	author: number | null;
	/** the client was claimed by more than one user: the author shown is not certain */
	uncertain?: true;
}

export interface Attribution {
	authors: (AuthorRef & { characters: number })[];
	parts: { key: string; label: string; runs: AuthoredRun[] }[];
	/** characters whose client no user is recorded for (e.g. written by the server itself) */
	unattributed: number;
}

/**
 * Turns client runs into author runs. `owners` maps each client to the users recorded for it; every
 * user of `users` is an author (in that order, so indices stay stable while text changes), with the
 * characters they wrote counted. Adjacent runs of the same author merge.
 */
export function attribute(
	parts: readonly PartRuns[],
	owners: ReadonlyMap<number, readonly string[]>,
	users: ReadonlyMap<string, { name: string; partyId: string | null }>
): Attribution {
	const authors: Attribution['authors'] = [...users].map(([userId, u]) => ({
		userId,
		name: u.name,
		partyId: u.partyId,
		characters: 0
	}));
	const index = new Map(authors.map((a, i) => [a.userId, i]));
	let unattributed = 0;
	const out = parts.map((p) => {
		const runs: AuthoredRun[] = [];
		for (const r of p.runs) {
			const { author, uncertain } = authorOfClient(r.client, owners, index, authors);
			if (author !== null) authors[author].characters += r.text.length;
			else if (r.client !== null) unattributed += r.text.length;
			const last = runs[runs.length - 1];
			if (last && last.author === author && !!last.uncertain === uncertain) last.text += r.text;
			else runs.push({ text: r.text, author, ...(uncertain ? { uncertain: true as const } : {}) });
		}
		return { key: p.key, label: p.label, runs };
	});
	return { authors, parts: out, unattributed };
}

/**
 * The author of a client: the user recorded for it (the first by id when several claimed it, marked
 * uncertain); a user missing from the list (an account since removed) is added as unknown.
 */
export function authorOfClient(
	client: number | null,
	owners: ReadonlyMap<number, readonly string[]>,
	index: Map<string, number>,
	authors: Attribution['authors']
): { author: number | null; uncertain: boolean } {
	if (client === null) return { author: null, uncertain: false };
	const ids = owners.get(client) ?? [];
	if (ids.length === 0) return { author: null, uncertain: false };
	const userId = [...ids].sort()[0];
	let i = index.get(userId);
	if (i === undefined) {
		i = authors.length;
		index.set(userId, i);
		authors.push({ userId, name: 'Okänd användare', partyId: null, characters: 0 });
	}
	return { author: i, uncertain: ids.length > 1 };
}
