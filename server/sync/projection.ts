import * as Y from 'yjs';
import { blocksToText, fragmentText, projectDraft } from '../domain/draft-doc';
import { withoutControlChars } from '../domain/plain-text';
import type { DocRef } from './access';

export interface Projection {
	content: unknown;
	/** plain text for search */
	text: string;
}

/** The plain projection of a document, as listings, search and export read it. */
export function projectDoc(ref: DocRef, doc: Y.Doc): Projection {
	if (ref.kind === 'draft') {
		// Stored as jsonb and text, which cannot hold NUL: control characters are left out of the projection.
		const content = withoutControlChars(projectDraft(doc));
		const text = [
			content.title,
			...content.points.map((p) => p.text),
			blocksToText(content.body),
			...content.amendments.map((a) => a.text)
		]
			.filter((t) => t.trim())
			.join('\n\n');
		return { content, text };
	}
	return projectGeneric(doc);
}

/**
 * A document whose shape the server does not define (a case's shared space): each top-level type as
 * JSON, read from a copy, because naming a root type with the wrong constructor on the live document
 * would make the right one throw later.
 */
function projectGeneric(doc: Y.Doc): Projection {
	const copy = new Y.Doc();
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const content: Record<string, unknown> = {};
		const texts: string[] = [];
		for (const [key, type] of [...copy.share]) {
			if (type._map.size > 0) {
				content[key] = copy.getMap(key).toJSON();
				continue;
			}
			let item = type._start;
			while (item && item.deleted) item = item.right;
			const c = item?.content;
			if (c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed) {
				const s = copy.getText(key).toString();
				content[key] = s;
				texts.push(s);
			} else if (c instanceof Y.ContentType && !(c.type instanceof Y.Map) && !(c.type instanceof Y.Array)) {
				const f = copy.getXmlFragment(key);
				content[key] = f.toJSON();
				texts.push(fragmentText(f));
			} else {
				content[key] = copy.getArray(key).toJSON();
			}
		}
		return { content, text: texts.filter((t) => t.trim()).join('\n\n') };
	} finally {
		copy.destroy();
	}
}
