/**
 * The signatories (undertecknare) of a draft: in Göteborg a yrkande or yttrande ends with the
 * parties' names and, under each, the members who sign it. Only a ledamot or ersättare of one of the
 * draft's parties may sign, each once. Pure: the route loads the candidates and stores the result.
 */

export type SignatorySeat = 'ledamot' | 'ersattare';

/** A member who may sign: a ledamot or ersättare of one of the draft's parties in its body. */
export interface SignatoryCandidate {
	userId: string;
	name: string;
	partyId: string;
	seat: SignatorySeat;
}

export type SignatoryCheck =
	| { ok: true; signatories: SignatoryCandidate[] }
	| { ok: false; code: 'signatory_duplicate' | 'signatory_not_member'; message: string };

/** The requested signatories in their order, or why they cannot sign. */
export function checkSignatories(
	userIds: readonly string[],
	candidates: readonly SignatoryCandidate[]
): SignatoryCheck {
	const byId = new Map(candidates.map((c) => [c.userId, c]));
	const seen = new Set<string>();
	const signatories: SignatoryCandidate[] = [];
	for (const id of userIds) {
		const c = byId.get(id);
		if (!c) {
			return {
				ok: false,
				code: 'signatory_not_member',
				message: 'Bara ledamöter och ersättare för partierna bakom utkastet kan skriva under det.'
			};
		}
		if (seen.has(id)) {
			return {
				ok: false,
				code: 'signatory_duplicate',
				message: `${c.name} står redan bland undertecknarna; var och en skriver under en gång.`
			};
		}
		seen.add(id);
		signatories.push(c);
	}
	return { ok: true, signatories };
}

/**
 * The signatories as the document lists them: under each of the draft's parties, in the parties'
 * order, that party's signatories in the order they were given. A party without any still stands.
 */
export function signatoriesByParty<T extends { partyId: string }>(
	partyIds: readonly string[],
	signatories: readonly T[]
): { partyId: string; signatories: T[] }[] {
	return partyIds.map((partyId) => ({ partyId, signatories: signatories.filter((s) => s.partyId === partyId) }));
}
