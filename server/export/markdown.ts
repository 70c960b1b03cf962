import { DRAFT_MARK, type Inline, type Layout, type LayoutBlock } from './layout';

/**
 * CommonMark (with GitHub's tables and ~~strikethrough~~). Deleted text is ~~struck~~, inserted text
 * is <ins>underlined</ins>; every character that Markdown or HTML would read as syntax is escaped, so
 * a party's text can neither change the structure nor carry markup.
 */

/** Backslash-escapes ASCII punctuation that Markdown or HTML give meaning to inside a line. */
function escapeInline(text: string): string {
	return text.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/**
 * What only means something at the start of a line: a list number, a bullet, a heading, a setext
 * underline; and leading spaces, which would make a code block. Applied to a whole paragraph, after
 * its runs are joined, so the spaces between runs stay.
 */
function guardLineStarts(text: string): string {
	return text
		.split('\n')
		.map((line) =>
			line
				.trimStart()
				.replace(/^(\d+)([.)])/, '$1\\$2')
				.replace(/^([-+=#])/, '\\$1')
		)
		.join('\n');
}

export function escapeMarkdown(text: string): string {
	return guardLineStarts(escapeInline(text));
}

/** Wraps text in a marker without letting the marker touch whitespace, which CommonMark would ignore. */
function wrap(text: string, open: string, close = open): string {
	const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) as RegExpExecArray;
	return m[2] ? `${m[1]}${open}${m[2]}${close}${m[3]}` : text;
}

function runs(list: readonly Inline[]): string {
	const joined = list
		.map((r) => {
			let md = escapeInline(r.text).replace(/\n/g, '\\\n');
			if (r.bold) md = wrap(md, '**');
			if (r.italic) md = wrap(md, '*');
			if (r.strike) md = wrap(md, '~~');
			if (r.revision?.kind === 'del') md = wrap(md, '~~');
			if (r.revision?.kind === 'ins') md = wrap(md, '<ins>', '</ins>');
			return md;
		})
		.join('');
	return guardLineStarts(joined);
}

const tableCell = (s: string) => escapeMarkdown(s).replace(/\n/g, ' ');

function indent(text: string, prefix: string, first = prefix): string {
	return text
		.split('\n')
		.map((line, i) => (i === 0 ? first : line ? prefix : '') + line)
		.join('\n');
}

function blocks(list: readonly LayoutBlock[]): string {
	return list
		.map((b): string => {
			switch (b.type) {
				case 'letterhead':
					return [`**${escapeMarkdown(b.body)}**`, ...b.lines.map((l) => runs([l]))].join('\\\n');
				case 'heading':
					return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
				case 'paragraph':
					return b.tone === 'note' ? wrap(runs(b.runs), '*') : runs(b.runs);
				case 'point':
					// A Markdown ordered list, so that a reader sees the points as the numbered list they are.
					return `${b.number.replace(/\.$/, '')}. ${runs(b.runs)}`;
				case 'list':
					return b.items
						.map((item, i) => {
							const mark = b.ordered ? `${i + 1}. ` : '- ';
							return indent(blocks(item), ' '.repeat(mark.length), mark);
						})
						.join('\n');
				case 'quote':
					return indent(blocks(b.children), '> ').replace(/\n\n/g, '\n>\n');
				case 'legend':
					return '*~~Struken text~~ föreslås utgå. <ins>Understruken text</ins> föreslås tillkomma.*';
				case 'table': {
					const head = `| ${b.columns.map(tableCell).join(' | ')} |`;
					const rule = `|${b.columns.map(() => ' --- ').join('|')}|`;
					return [head, rule, ...b.rows.map((r) => `| ${r.map(tableCell).join(' | ')} |`)].join('\n');
				}
				case 'signatures':
					return b.groups
						.map((g) =>
							[...(g.party ? [`**${escapeMarkdown(g.party)}**`] : []), ...g.names.map(escapeMarkdown)].join('\\\n')
						)
						.join('\n\n');
				case 'pageBreak':
					return '---';
			}
		})
		.join('\n\n');
}

export function renderMarkdown(layout: Layout): string {
	const head = layout.draft ? `**${DRAFT_MARK}**\n\n` : '';
	return `${head}${blocks(layout.blocks)}\n`;
}
