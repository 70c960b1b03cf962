import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../server/export/html';
import { casePackageLayout, documentLayout } from '../../../server/export/layout';
import { escapeMarkdown, renderMarkdown } from '../../../server/export/markdown';
import type { ExportDocument } from '../../../server/export/model';
import { andringsyrkande, ninePartyPackage, parties, sdYrkande, sdYrkandeFromFixture, yttrande } from './samples';

const PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** A document with a script payload in every field a party or user can type. */
function hostile(): ExportDocument {
	const doc = andringsyrkande({
		title: `Yrkande ${PAYLOAD}`,
		caseTitle: `Budget ${PAYLOAD}`,
		parties: [{ id: 'X', name: `Partiet ${PAYLOAD}` }],
		signatories: [{ name: `Namn ${PAYLOAD}`, partyId: 'X' }],
		points: [{ id: 'p1', level: 'ks', text: `Punkt ${PAYLOAD}` }],
		motivation: [
			{ type: 'heading', level: 2, runs: [{ text: `Rubrik ${PAYLOAD}` }] },
			{ type: 'paragraph', runs: [{ text: `Text ${PAYLOAD}`, bold: true }] },
			{ type: 'paragraph', runs: [{ text: '[länk](javascript:alert(3)) "citat" & \'apostrof\'' }] }
		]
	});
	doc.amendments = doc.amendments.map((a) => ({ ...a, parties: doc.parties }));
	doc.amendments[0].newText = `${doc.amendments[0].baselineText} ${PAYLOAD}`;
	doc.amendments[0].target.reference = `Punkt ${PAYLOAD}`;
	return doc;
}

describe('HTML export', () => {
	it('is one self-contained page: no script, no external resource, a strict policy', () => {
		const html = renderHtml(documentLayout(andringsyrkande()));
		expect(html.startsWith('<!doctype html>\n<html lang="sv">')).toBe(true);
		expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
		expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(/i);
		expect(html).toContain('@page { size: A4;');
	});

	it('leaves every typed text inert', () => {
		const html = renderHtml(documentLayout(hostile()));
		expect(html).not.toMatch(/<script|<img/i);
		// No element carries an event handler; quoted attribute values are text, so they are set aside.
		expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^>]*\son\w+=/i);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
		expect(html).toContain('&quot;citat&quot; &amp; &#39;apostrof&#39;');
		// inside an attribute too: the revision's author in title=""
		expect(html).toMatch(/<ins title="Föreslås tillkomma – Partiet &lt;script&gt;[^"]*">/);
	});

	it('shows the structure with headings, numbered points and marked changes', () => {
		const doc = sdYrkande({ points: [...sdYrkande().points, { id: 'k1', level: 'ks', text: 'KS beslutar själv.' }] });
		const html = renderHtml(documentLayout(doc));
		const tags = [...html.matchAll(/<(h[1-4])>([^<]*)<\/h[1-4]>/g)].map((m) => `${m[1]} ${m[2]}`);
		expect(tags).toEqual([
			'h1 Yrkande angående – Budget 2025 för kommunstyrelsen',
			'h2 Förslag till beslut',
			'h3 I kommunstyrelsen:',
			'h3 I kommunstyrelsen och kommunfullmäktige:',
			'h2 Yrkandet'
		]);
		const numbers = [...html.matchAll(/<span class="num">([^<]*)<\/span>/g)].map((m) => m[1]);
		expect(numbers).toEqual(['1.', '1.', '2.', '3.', '4.']);

		const changed = renderHtml(documentLayout(andringsyrkande()));
		expect(changed).toContain(
			'fastställs<ins title="Föreslås tillkomma – Moderaterna, Liberalerna och Kristdemokraterna"> med ändringen att ramen för ledningsarbete minskas</ins>.'
		);
		expect(changed).toMatch(/<p><del title="Föreslås utgå – [^"]+">Stadsledningskontorets förslag till interna regler/);
		expect(changed).toContain('<p><strong>Punkt 3 i stadsledningskontorets förslag till beslut stryks:</strong></p>');
	});

	it('marks a draft and renders rich text from the editor', () => {
		const html = renderHtml(documentLayout(yttrande(parties.C, { draft: true })));
		expect(html).toContain('<title>UTKAST: Yttrande angående – Budget 2025 för kommunstyrelsen</title>');
		expect(html).toContain('<div class="utkast" role="note">UTKAST</div>');
		expect(html).toContain('<p>Centerpartiet anser att <strong>välfärden</strong> går först.</p>');
		expect(html).toContain('<ul><li><p>Förskola och skola</p></li><li><p>Äldreomsorg</p></li></ul>');
		expect(html).toContain('<blockquote><p>Ingen plats i vårt Göteborg.</p></blockquote>');
		expect(renderHtml(documentLayout(yttrande(parties.C)))).not.toContain('UTKAST');
	});

	it('renders the decision matrix as a table with headers', () => {
		const html = renderHtml(casePackageLayout(ninePartyPackage()));
		expect(html).toContain(
			'<thead><tr><th scope="col"></th><th scope="col">S</th><th scope="col">V</th><th scope="col">MP</th>'
		);
		expect(html).toContain('<tr><th scope="row">SD:s yrkande</th><td>Avslag</td><td>–</td>');
		expect((html.match(/<hr class="page-break">/g) ?? []).length).toBe(2);
	});
});

describe('Markdown export', () => {
	it('writes the Göteborg form as Markdown', () => {
		const md = renderMarkdown(documentLayout(andringsyrkande()));
		expect(md).toContain(
			[
				'**Kommunstyrelsen**\\',
				'**Ändringsyrkande**\\',
				'2024-12-05\\',
				'Moderaterna, Liberalerna och Kristdemokraterna\\',
				'Sammanträde 2024-12-11, ärende nr 4.\\',
				'Ärendenummer SLK-2024-00738',
				'',
				'# Ändringsyrkande angående – Budget 2025 för kommunstyrelsen',
				'',
				'## Ändringsförslag'
			].join('\n')
		);
		expect(md).toContain('fastställs <ins>med ändringen att ramen för ledningsarbete minskas</ins>.');
		expect(md).toContain('Budget 2025: ~~285,7~~ <ins>281,2</ins>');
		expect(md).toContain('Välfärdens kärna ska prioriteras före *nya* åtaganden.');
	});

	it('writes the points as numbered lists under their level', () => {
		const md = renderMarkdown(documentLayout(sdYrkande()));
		const lines = md.split('\n').filter((l) => /^(#|\d+\. )/.test(l));
		const { points } = sdYrkandeFromFixture();
		expect(lines).toEqual([
			'# Yrkande angående – Budget 2025 för kommunstyrelsen',
			'## Förslag till beslut',
			'### I kommunstyrelsen och kommunfullmäktige:',
			...points.map((p, i) => `${i + 1}. ${p}`),
			'## Yrkandet'
		]);
	});

	it('escapes what Markdown or HTML would read as syntax', () => {
		const md = renderMarkdown(documentLayout(hostile()));
		expect(md).not.toMatch(/(?<!\\)<(script|img|\/script)/);
		expect(md).toContain('\\<script\\>alert(1)\\</script\\>\\<img src=x onerror=alert(2)\\>');
		expect(md).toContain('\\[länk\\](javascript:alert(3)) "citat" \\& \'apostrof\'');
		expect(md).toContain('**Text \\<script\\>');
		expect(escapeMarkdown('1. inte en lista')).toBe('1\\. inte en lista');
		expect(escapeMarkdown('- inte en punkt\n# inte en rubrik\n    inte kod')).toBe(
			'\\- inte en punkt\n\\# inte en rubrik\ninte kod'
		);
		expect(escapeMarkdown('*fet* _kursiv_ `kod` | ~~ ~')).toBe('\\*fet\\* \\_kursiv\\_ \\`kod\\` \\| \\~\\~ \\~');
	});

	it('keeps the spaces between runs of different marks', () => {
		const md = renderMarkdown(documentLayout(yttrande(parties.C)));
		expect(md).toContain('Centerpartiet anser att **välfärden** går först.');
		expect(md).toContain('- Förskola och skola\n- Äldreomsorg');
		expect(md).toContain('> Ingen plats i vårt Göteborg.');
		expect(md).toContain('### Våra prioriteringar');
	});

	it('writes the matrix as a table with escaped cells', () => {
		const pkg = ninePartyPackage();
		pkg.items[1].matrix!.rows[0].label = 'SLK | punkt 1';
		const md = renderMarkdown(casePackageLayout(pkg));
		expect(md).toContain('|  | S | V | MP | M | L | KD | C | SD | D |\n| --- | --- | --- |');
		expect(md).toContain('| SLK \\| punkt 1 | Bifall |');
	});
});
