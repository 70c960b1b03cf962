import { DRAFT_MARK, type Inline, type Layout, type LayoutBlock } from './layout';

/**
 * One self-contained, printable HTML file: no script, no external resource, every text escaped, and a
 * Content-Security-Policy that would keep a payload inert even if escaping ever failed.
 */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => entities[c]);

const STYLE = `
@page { size: A4; margin: 25mm; }
:root { color: #000; background: #fff; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.45; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
.letterhead { display: flex; gap: 2rem; margin-bottom: 2rem; }
.letterhead .body { flex: 1; font-weight: bold; font-size: 14pt; }
.letterhead .particulars { flex: 1; font-size: 9.5pt; }
.letterhead .particulars div { margin: 0; }
.draft-mark { color: #c00000; }
.utkast { position: fixed; top: 6mm; right: 8mm; color: #c00000; font-weight: bold; letter-spacing: .1em; }
h1 { font-size: 16pt; margin: 1.2em 0 .6em; }
h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
h3 { font-size: 11pt; margin: 1em 0 .3em; }
h4 { font-size: 10.5pt; font-style: italic; margin: .8em 0 .3em; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 .5em; }
.note, .legend { font-size: 8.5pt; color: #555; }
.point { display: flex; gap: .5em; break-inside: avoid; }
.point .num { flex: 0 0 1.6em; }
ins { color: #1b5e20; text-decoration: underline; }
del { color: #a00000; text-decoration: line-through; }
blockquote { margin: .5em 0 .5em 1.5em; padding-left: .8em; border-left: 2px solid #bbb; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: .5em 0; }
th, td { border: .5pt solid #888; padding: 3px; text-align: left; vertical-align: top; }
thead th { background: #eee; }
.signatures { margin-top: 2em; }
.signatures p { margin: 0; }
.signatures .signature-group { margin-bottom: 1em; break-inside: avoid; }
hr.page-break { border: 0; margin: 2rem 0; border-top: 1px dashed #bbb; }
@media print { hr.page-break { border: 0; margin: 0; break-after: page; page-break-after: always; } }
`;

function runs(list: readonly Inline[]): string {
	return list
		.map((r) => {
			let html = escapeHtml(r.text).replace(/\n/g, '<br>');
			if (r.bold) html = `<strong>${html}</strong>`;
			if (r.italic) html = `<em>${html}</em>`;
			if (r.strike) html = `<s>${html}</s>`;
			if (r.revision) {
				const tag = r.revision.kind;
				const what = tag === 'ins' ? 'Föreslås tillkomma' : 'Föreslås utgå';
				html = `<${tag} title="${escapeHtml(`${what} – ${r.revision.author}`)}">${html}</${tag}>`;
			}
			return html;
		})
		.join('');
}

function blocks(list: readonly LayoutBlock[]): string {
	return list
		.map((b): string => {
			switch (b.type) {
				case 'letterhead':
					return (
						`<header class="letterhead"><div class="body">${escapeHtml(b.body)}</div><div class="particulars">` +
						b.lines
							.map((l) =>
								l.text === DRAFT_MARK
									? `<div class="draft-mark"><strong>${escapeHtml(l.text)}</strong></div>`
									: `<div>${runs([l])}</div>`
							)
							.join('') +
						'</div></header>'
					);
				case 'heading':
					return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
				case 'paragraph':
					return `<p${b.tone === 'note' ? ' class="note"' : ''}>${runs(b.runs)}</p>`;
				case 'point':
					return `<p class="point"><span class="num">${escapeHtml(b.number)}</span><span>${runs(b.runs)}</span></p>`;
				case 'list': {
					const tag = b.ordered ? 'ol' : 'ul';
					return `<${tag}>${b.items.map((item) => `<li>${blocks(item)}</li>`).join('')}</${tag}>`;
				}
				case 'quote':
					return `<blockquote>${blocks(b.children)}</blockquote>`;
				case 'legend':
					return '<p class="legend"><del>Struken text</del> föreslås utgå. <ins>Understruken text</ins> föreslås tillkomma.</p>';
				case 'table':
					return (
						'<table><thead><tr>' +
						b.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('') +
						'</tr></thead><tbody>' +
						b.rows
							.map(
								(row) =>
									'<tr>' +
									row
										.map((cell, i) =>
											i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`
										)
										.join('') +
									'</tr>'
							)
							.join('') +
						'</tbody></table>'
					);
				case 'signatures':
					return (
						'<div class="signatures">' +
						b.groups
							.map(
								(g) =>
									'<div class="signature-group">' +
									(g.party ? `<p><strong>${escapeHtml(g.party)}</strong></p>` : '') +
									g.names.map((n) => `<p>${escapeHtml(n)}</p>`).join('') +
									'</div>'
							)
							.join('') +
						'</div>'
					);
				case 'pageBreak':
					return '<hr class="page-break">';
			}
		})
		.join('\n');
}

export function renderHtml(layout: Layout): string {
	const title = layout.draft ? `${DRAFT_MARK}: ${layout.title}` : layout.title;
	return [
		'<!doctype html>',
		'<html lang="sv">',
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
		`<meta name="author" content="${escapeHtml(layout.author)}">`,
		`<meta name="description" content="${escapeHtml(layout.subject)}">`,
		`<title>${escapeHtml(title)}</title>`,
		`<style>${STYLE}</style>`,
		'</head>',
		'<body>',
		...(layout.draft ? [`<div class="utkast" role="note">${DRAFT_MARK}</div>`] : []),
		'<main>',
		blocks(layout.blocks),
		'</main>',
		'</body>',
		'</html>',
		''
	].join('\n');
}
