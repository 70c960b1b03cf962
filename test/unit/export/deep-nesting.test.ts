import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blocksOf, capBlockDepth, MAX_BLOCK_DEPTH, type Block } from '../../../server/domain/draft-doc';
import { exportDocument } from '../../../server/export';
import { sdYrkande } from './samples';

/**
 * A draft body nested thousands of levels deep (any editor can send one) is read, and exported, with
 * its nesting capped: the text below the cap is kept as paragraphs, nothing overflows the stack.
 */

const DEPTH = 5_000;

/** Blockquotes nested `depth` deep in a body, built one level at a time (no recursion to make it). */
function deepBody(depth: number, lists = true): Y.XmlFragment {
	const doc = new Y.Doc();
	const body = doc.getXmlFragment('body');
	doc.transact(() => {
		let el: Y.XmlFragment | Y.XmlElement = body;
		for (let i = 0; i < depth; i++) {
			const next = new Y.XmlElement(!lists || i % 2 === 0 ? 'blockquote' : 'bulletList');
			el.insert(el.length, [next]);
			// A list holds a list item: its own paragraph first, then the next level.
			if (next.nodeName === 'bulletList') {
				const item = new Y.XmlElement('listItem');
				next.insert(0, [item]);
				const p = new Y.XmlElement('paragraph');
				item.insert(0, [p]);
				p.insert(0, [new Y.XmlText(`nivå ${i}`)]);
				el = item;
			} else el = next;
		}
		const p = new Y.XmlElement('paragraph');
		el.insert(el.length, [p]);
		p.insert(0, [new Y.XmlText('djupast')]);
	});
	return body;
}

function depthOf(blocks: readonly Block[]): number {
	let max = 0;
	const stack: { list: readonly Block[]; d: number }[] = [{ list: blocks, d: 0 }];
	while (stack.length) {
		const { list, d } = stack.pop() as { list: readonly Block[]; d: number };
		max = Math.max(max, d);
		for (const b of list) {
			if (b.type === 'blockquote') stack.push({ list: b.children, d: d + 1 });
			if (b.type === 'list') for (const item of b.items) stack.push({ list: item, d: d + 1 });
		}
	}
	return max;
}

const texts = (blocks: readonly Block[]): string[] => {
	const out: string[] = [];
	const walk = (list: readonly Block[]) => {
		for (const b of list) {
			if (b.type === 'paragraph' || b.type === 'heading') out.push(b.runs.map((r) => r.text).join(''));
			else if (b.type === 'blockquote') walk(b.children);
			else b.items.forEach(walk);
		}
	};
	walk(blocks);
	return out;
};

describe('reading a deeply nested body', () => {
	it('caps the nesting and keeps every text below the cap, in order', () => {
		const blocks = blocksOf(deepBody(DEPTH));
		expect(depthOf(blocks)).toBe(MAX_BLOCK_DEPTH);
		const all = texts(blocks);
		expect(all[all.length - 1]).toBe('djupast');
		// Every list level's paragraph survives: 2 500 lists, one paragraph each.
		expect(all.filter((t) => t.startsWith('nivå '))).toHaveLength(DEPTH / 2);
		expect(all.slice(0, 3)).toEqual(['nivå 1', 'nivå 3', 'nivå 5']);
	});

	it('leaves a body of ordinary depth exactly as it was', () => {
		const body = deepBody(6);
		const blocks = blocksOf(body);
		expect(depthOf(blocks)).toBe(6);
		expect(capBlockDepth(blocks)).toEqual(blocks);
	});

	it('caps stored blocks too, without recursion', () => {
		let deep: Block = { type: 'paragraph', runs: [{ text: 'botten' }] };
		for (let i = 0; i < DEPTH; i++) {
			deep =
				i % 2
					? { type: 'blockquote', children: [deep] }
					: { type: 'list', ordered: true, items: [[{ type: 'heading', level: 3, runs: [{ text: `h${i}` }] }, deep]] };
		}
		const capped = capBlockDepth([deep], 4);
		expect(depthOf(capped)).toBe(4);
		const all = texts(capped);
		expect(all[all.length - 1]).toBe('botten');
		expect(all).toHaveLength(DEPTH / 2 + 1);
	});
});

describe('exporting a deeply nested draft', () => {
	it('renders every format with the innermost text', async () => {
		const doc = sdYrkande({ motivation: blocksOf(deepBody(DEPTH, false)) });
		for (const format of ['html', 'md', 'docx', 'pdf'] as const) {
			const file = await exportDocument(doc, format);
			expect(file.bytes.length, format).toBeGreaterThan(0);
			if (format === 'html' || format === 'md') expect(new TextDecoder().decode(file.bytes)).toContain('djupast');
		}
	}, 60_000);

	it('renders a stored body that was never capped', async () => {
		let deep: Block = { type: 'paragraph', runs: [{ text: 'längst ned' }] };
		for (let i = 0; i < DEPTH; i++) deep = { type: 'blockquote', children: [deep] };
		const html = await exportDocument(sdYrkande({ motivation: [deep] }), 'html');
		expect(new TextDecoder().decode(html.bytes)).toContain('längst ned');
		expect((await exportDocument(sdYrkande({ motivation: [deep] }), 'docx')).bytes.length).toBeGreaterThan(0);
	});
});
