import { describe, expect, it } from 'vitest';
import {
	checkSignatories,
	signatoriesByParty,
	type SignatoryCandidate
} from '../../../server/domain/draft-doc-signatories';
import { renderHtml } from '../../../server/export/html';
import { documentLayout } from '../../../server/export/layout';
import { renderMarkdown } from '../../../server/export/markdown';
import { andringsyrkande, sdYrkande } from './samples';

const candidates: SignatoryCandidate[] = [
	{ userId: 'u1', name: 'Daniel Strand', partyId: 'SD', seat: 'ledamot' },
	{ userId: 'u2', name: 'Malin Öberg', partyId: 'SD', seat: 'ledamot' },
	{ userId: 'u3', name: 'Per Åkesson', partyId: 'M', seat: 'ledamot' }
];

describe('checking signatories', () => {
	it('keeps the order asked for', () => {
		const r = checkSignatories(['u2', 'u3', 'u1'], candidates);
		expect(r.ok && r.signatories.map((s) => s.name)).toEqual(['Malin Öberg', 'Per Åkesson', 'Daniel Strand']);
		expect(checkSignatories([], candidates)).toEqual({ ok: true, signatories: [] });
	});

	it('refuses a person who is no candidate, and a person named twice, in Swedish', () => {
		expect(checkSignatories(['u1', 'x'], candidates)).toEqual({
			ok: false,
			code: 'signatory_not_member',
			message: 'Bara ledamöter och ersättare för partierna bakom utkastet kan skriva under det.'
		});
		expect(checkSignatories(['u2', 'u1', 'u2'], candidates)).toEqual({
			ok: false,
			code: 'signatory_duplicate',
			message: 'Malin Öberg står redan bland undertecknarna; var och en skriver under en gång.'
		});
	});

	it('groups them under the parties, in the parties’ order', () => {
		const groups = signatoriesByParty(['M', 'SD', 'L'], [candidates[1], candidates[2], candidates[0]]);
		expect(groups.map((g) => [g.partyId, g.signatories.map((s) => s.userId)])).toEqual([
			['M', ['u3']],
			['SD', ['u2', 'u1']],
			['L', []]
		]);
	});
});

describe('signatories in the text formats', () => {
	it('end a document with each party and its signatories underneath', () => {
		const doc = andringsyrkande();
		const md = renderMarkdown(documentLayout(doc));
		expect(md.trimEnd().split('\n\n').slice(-3)).toEqual([
			'**Moderaterna**\\\nAxel Josefson',
			'**Liberalerna**\\\nJonas Attenius',
			'**Kristdemokraterna**\\\nKristdemokraternas gruppledare'
		]);
		const html = renderHtml(documentLayout(doc));
		expect(html).toContain(
			'<div class="signatures"><div class="signature-group"><p><strong>Moderaterna</strong></p><p>Axel Josefson</p></div>'
		);
	});

	it('name the party alone when nobody signs, and signatories of no party of the document last', () => {
		expect(renderMarkdown(documentLayout(sdYrkande({ signatories: [] }))).trimEnd()).toMatch(
			/\n\n\*\*Sverigedemokraterna\*\*$/
		);
		const md = renderMarkdown(
			documentLayout(sdYrkande({ signatories: [{ name: 'Utan parti' }, { name: 'Jörgen Fogelklou', partyId: 'SD' }] }))
		);
		expect(md.trimEnd().split('\n\n').slice(-2)).toEqual(['**Sverigedemokraterna**\\\nJörgen Fogelklou', 'Utan parti']);
	});
});
