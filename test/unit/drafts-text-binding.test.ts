import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyStringChange, transformIndex } from '../../web/src/lib/editor/text-binding';

function text(initial: string) {
	const doc = new Y.Doc();
	const t = doc.getText('t');
	t.insert(0, initial);
	return t;
}

describe('title binding', () => {
	it('turns an input change into the smallest edit', () => {
		const t = text('Yrkande angående – Budget');
		const deltas: unknown[] = [];
		t.observe((e) => deltas.push(e.delta));
		applyStringChange(t, 'Yrkande angående – Budget 2025');
		applyStringChange(t, 'Yrkande om – Budget 2025');
		applyStringChange(t, 'Yrkande om – Budget 2025');
		expect(t.toString()).toBe('Yrkande om – Budget 2025');
		expect(deltas).toEqual([
			[{ retain: 25 }, { insert: ' 2025' }],
			[{ retain: 8 }, { delete: 8 }, { insert: 'om' }]
		]);
	});

	it('keeps a concurrent edit elsewhere in the text', () => {
		const a = text('Titel');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc!));
		applyStringChange(a, 'Ny titel');
		applyStringChange(b.getText('t'), 'Titel 2025');
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc!));
		Y.applyUpdate(a.doc!, Y.encodeStateAsUpdate(b));
		expect(a.toString()).toBe('Ny titel 2025');
		expect(b.getText('t').toString()).toBe('Ny titel 2025');
	});

	it('moves a caret past remote inserts and deletes before it, not after it', () => {
		expect(transformIndex(5, [{ insert: 'abc' }])).toBe(8);
		expect(transformIndex(5, [{ retain: 5 }, { insert: 'abc' }])).toBe(5);
		expect(transformIndex(5, [{ retain: 6 }, { insert: 'abc' }])).toBe(5);
		expect(transformIndex(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
		expect(transformIndex(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
		expect(transformIndex(5, [{ retain: 5 }, { delete: 2 }])).toBe(5);
		expect(transformIndex(5, [{ retain: 1 }, { delete: 1 }, { insert: 'xyz' }])).toBe(7);
		expect(transformIndex(0, [{ delete: 3 }])).toBe(0);
	});
});
