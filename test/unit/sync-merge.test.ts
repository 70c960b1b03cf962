import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeMany } from '../../server/sync/committer';

describe('mergeMany', () => {
	it('merges thousands of small updates in a tree to the same document as one merge', () => {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const text = doc.getText('t');
		for (let i = 0; i < 3000; i++) text.insert(i % 7 === 0 ? 0 : text.length, String.fromCharCode(97 + (i % 26)));
		const merged = mergeMany(updates);
		const a = new Y.Doc();
		Y.applyUpdate(a, merged);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.mergeUpdates(updates));
		expect(a.getText('t').toString()).toBe(text.toString());
		expect(b.getText('t').toString()).toBe(text.toString());
		expect(mergeMany([updates[0]])).toBe(updates[0]);
	});
});
