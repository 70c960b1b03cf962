import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import type { ItemId } from './protocol';

/**
 * The documents of the benchmark, in the shape of a draft (server/domain/draft-doc.ts): a title and a
 * body fragment of paragraphs. Everything is built from fixed client ids, so every process builds the
 * same bytes and knows the same item ids without exchanging them.
 */

const SEED_CLIENT = 1;
const BIG_CLIENT = 2;
/** The author of the typing trace. */
export const TRACE_CLIENT = 3;

export const fixtureText = (): string =>
	readFileSync(new URL('../../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

function lastCharId(text: Y.XmlText): ItemId {
	let item = text._start;
	let last: ItemId | null = null;
	while (item) {
		if (!item.deleted) last = { client: item.id.client, clock: item.id.clock + item.length - 1 };
		item = item.right;
	}
	if (!last) throw new Error('empty paragraph');
	return last;
}

/** The paragraph every light writer appends to. */
export function paragraphText(doc: Y.Doc, index = 0): Y.XmlText {
	const p = doc.getXmlFragment('body').get(index) as Y.XmlElement;
	return p.get(0) as Y.XmlText;
}

export interface Seed {
	update: Uint8Array;
	/** the last character of the first paragraph: light writers insert after it */
	anchor: ItemId;
	/** characters in the first paragraph before anyone writes */
	paragraphChars: number;
}

let seed: Seed | null = null;

/** A new draft as the drafts API creates it: title, kind, one paragraph of motivation. */
export function draftSeed(): Seed {
	if (seed) return seed;
	const doc = new Y.Doc();
	doc.clientID = SEED_CLIENT;
	doc.transact(() => {
		doc.getText('title').insert(0, 'Yrkande angående – Budget 2025 för kommunstyrelsen');
		doc.getMap('meta').set('kind', 'yrkande');
		const p = new Y.XmlElement('paragraph');
		const t = new Y.XmlText();
		p.insert(0, [t]);
		doc.getXmlFragment('body').insert(0, [p]);
		t.insert(0, 'Kommunstyrelsen föreslås besluta att ');
	});
	const text = paragraphText(doc);
	seed = { update: Y.encodeStateAsUpdate(doc), anchor: lastCharId(text), paragraphChars: text.length };
	doc.destroy();
	return seed;
}

/**
 * A large draft: the seed followed by the fixture's paragraphs, repeated until the encoded state
 * reaches `bytes`. Each paragraph is its own element, as the editor would store a long motivation.
 */
export function bigDraft(bytes: number): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = BIG_CLIENT;
	Y.applyUpdate(doc, draftSeed().update);
	const paragraphs = fixtureText()
		.split(/\n\s*\n/)
		.map((p) => p.replace(/\s+/g, ' ').trim())
		.filter((p) => p.length > 0);
	const body = doc.getXmlFragment('body');
	const round = () =>
		doc.transact(() => {
			for (const text of paragraphs) {
				const p = new Y.XmlElement('paragraph');
				const t = new Y.XmlText();
				p.insert(0, [t]);
				body.push([p]);
				t.insert(0, text);
			}
		});
	if (paragraphs.length === 0) throw new Error('the fixture is empty');
	round();
	// Encoding the whole document is the slow part: measure one round, then add the rest at once.
	const perRound = Y.encodeStateAsUpdate(doc).byteLength;
	for (let i = 1; i < Math.ceil(bytes / perRound); i++) round();
	const out = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return out;
}

/** A small seeded PRNG (mulberry32): the same trace on every run. */
export function prng(seedValue: number): () => number {
	let a = seedValue >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface Trace {
	/** one Yjs update per single-character edit, in order */
	updates: Uint8Array[];
	inserts: number;
	deletes: number;
	/** the paragraph's text after every edit */
	finalText: string;
	/** the whole document after every edit, encoded */
	finalDocBytes: number;
}

/**
 * A typing trace of `edits` single-character edits into the seed's paragraph, shaped like the
 * published editing traces (about 70 % insertions, backspace bursts, occasional cursor jumps): the
 * fixture's text typed in order by one author who corrects as they go. No real trace can be fetched
 * here, so this one is synthetic and fixed by its seed.
 */
export function typingTrace(edits: number, seedValue = 4711): Trace {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, draftSeed().update);
	doc.clientID = TRACE_CLIENT;
	const text = paragraphText(doc);
	const source = fixtureText().replace(/\s+/g, ' ');
	const rnd = prng(seedValue);
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	let pos = text.length;
	let next = 0;
	let burst = 0;
	let inserts = 0;
	let deletes = 0;
	while (updates.length < edits) {
		if (burst > 0 && pos > 0) {
			text.delete(pos - 1, 1);
			pos--;
			burst--;
			deletes++;
			continue;
		}
		const r = rnd();
		if (r < 0.1 && pos > 0) {
			// a backspace burst of about three characters: together about 30 % of all edits
			burst = 1 + Math.floor(rnd() * 5);
			continue;
		}
		if (r < 0.102) {
			// the cursor jumps back to fix something, mostly near the end
			pos = Math.max(0, text.length - Math.floor(Math.pow(rnd(), 3) * text.length));
			continue;
		}
		text.insert(pos, source[next % source.length]);
		next++;
		pos++;
		inserts++;
	}
	const out = {
		updates,
		inserts,
		deletes,
		finalText: text.toString(),
		finalDocBytes: Y.encodeStateAsUpdate(doc).byteLength
	};
	doc.destroy();
	return out;
}
