import type { DecisionLevel, ParsedItem } from '../domain/baseline';
import { type ParseResult, type PartyDocumentKind, parseBaselineText } from './parse';

/**
 * A party's yrkande or yttrande as found in the case documents, as plain data: what the drafts
 * model needs to create a submitted draft of those parties. Creating the draft is not done here.
 */
export interface PartyDocumentData {
	kind: PartyDocumentKind;
	/** party ids, the first being the one the document is filed under */
	parties: string[];
	title: string;
	points: { level: DecisionLevel; number: string; text: string }[];
	/** the motivation ("Yrkandet") or the statement, one paragraph each */
	paragraphs: string[];
}

export function partyDocumentData(result: Pick<ParseResult, 'partyDocuments'>): PartyDocumentData[] {
	return result.partyDocuments.map(toData);
}

/** Reads an ärende's text and returns only its party documents. */
export function extractPartyDocuments(text: string): PartyDocumentData[] {
	return partyDocumentData(parseBaselineText(text));
}

export function toData(doc: ParsedItem): PartyDocumentData {
	const parties = doc.fields?.['Partier'];
	const children = doc.children ?? [];
	return {
		kind: (doc.fields?.['Typ'] as PartyDocumentKind | undefined) ?? 'yttrande',
		parties: Array.isArray(parties) ? parties : [],
		title: doc.title ?? '',
		points: children
			.filter((c) => c.kind === 'decision_point')
			.map((c) => ({ level: c.level ?? 'ks', number: c.label ?? '', text: c.text ?? '' })),
		paragraphs: children.filter((c) => c.kind === 'paragraph').map((c) => c.text ?? '')
	};
}
