import { targetKey, type Member, type Position } from './kinds';
import {
	decisiveQuestion,
	questionOutcome,
	type Alternative,
	type MeetingRecord,
	type ProposalDraft,
	type Question
} from './meeting';
import { joinSv, orderParties } from './text';

/**
 * The protocol-style summary of one ärende, in the phrasing of Göteborg's protocols: the decision and
 * how it was reached, what was rejected, who stayed out, then reservations and statements. It reads
 * only what was recorded at the meeting; plans and withdrawn yrkanden never appear.
 */

export interface SummaryInput {
	/** the deciding body as the subject of the sentence: "Kommunstyrelsen" */
	bodyName: string;
	/** the baseline as the object of "enligt": "stadsledningskontorets förslag" */
	baselineName: string;
	/** the body's party order */
	partyOrder: readonly string[];
	members: readonly Member[];
	/** the case's drafts in submission order */
	drafts: readonly ProposalDraft[];
	positions: readonly Position[];
	record: MeetingRecord;
}

const nounByKind: Partial<Record<ProposalDraft['kind'], string>> = {
	yrkande: 'yrkandet',
	andringsyrkande: 'ändringsyrkandet',
	tillaggsyrkande: 'tilläggsyrkandet'
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function protocolSummary(input: SummaryInput): string {
	const live = input.drafts.filter((d) => d.status === 'submitted');
	const jointGroups = live.map((d) => d.partyIds);
	const recorded = input.positions.filter((p) => p.stage === 'recorded');
	const memberById = new Map(input.members.map((m) => [m.id, m]));
	const who = (m: Member) => `${m.name} (${m.partyId})`;

	const draftPhrase = (draftId: string) => {
		const d = live.find((x) => x.id === draftId);
		return d ? `${nounByKind[d.kind] ?? 'yrkandet'} från ${joinSv(d.partyIds)}` : null;
	};
	const sentences: string[] = [];

	const suffix = (q: Question) => {
		const o = questionOutcome(input.record, q);
		if (!o.decided || !o.count) return '';
		const tie = o.count.castingVote ? ' med ordförandens utslagsröst' : '';
		return ` efter votering ${o.count.for}–${o.count.against}${tie}`;
	};

	for (const q of input.record.propositionsordning.questions) {
		const outcome = questionOutcome(input.record, q);
		if (!outcome.decided) continue;
		const winner = q.alternatives[outcome.winner];
		const losers = q.alternatives.filter((_, i) => i !== outcome.winner);
		const after = suffix(q);
		if (q.kind === 'formal') {
			if (winner.type === 'aterremiss') {
				sentences.push(`${input.bodyName} beslutade att återremittera ärendet till ${winner.referTo}${after}.`);
				break;
			}
			if (winner.type === 'bordlaggning') {
				sentences.push(`${input.bodyName} beslutade att bordlägga ärendet${after}.`);
				break;
			}
			for (const l of losers) {
				const motion = formalMotion(l);
				if (motion) sentences.push(`${motion} avslogs${after}.`);
			}
			continue;
		}
		if (q.kind === 'main') {
			const decided =
				winner.type === 'baseline'
					? `enligt ${input.baselineName}`
					: winner.type === 'yrkande'
						? `enligt ${draftPhrase(winner.draftId) ?? 'yrkandet'}`
						: winner.type === 'avslag'
							? `att avslå ${input.baselineName}`
							: null;
			if (decided) sentences.push(`${input.bodyName} beslutade ${decided}${after}.`);
			for (const l of losers) {
				const phrase = l.type === 'yrkande' ? draftPhrase(l.draftId) : null;
				if (phrase) sentences.push(`${capitalize(phrase)} avslogs.`);
			}
			continue;
		}
		// a tilläggsyrkande: decided on its own after the main question
		for (const alt of q.alternatives) {
			if (alt.type !== 'yrkande') continue;
			const phrase = draftPhrase(alt.draftId);
			if (!phrase) continue;
			sentences.push(
				alt === winner ? `${input.bodyName} biföll ${phrase}${after}.` : `${capitalize(phrase)} avslogs${after}.`
			);
		}
	}

	const serving = input.members.filter((m) => input.record.serving.includes(m.id));
	/** Whole parties by name when every serving member is in the set, else the members one by one. */
	const groupByParty = (ids: Iterable<string>): string[] => {
		const set = new Set(ids);
		const people = [...set].map((id) => memberById.get(id)).filter((m): m is Member => !!m);
		const parties = new Set(people.map((m) => m.partyId));
		const whole = [...parties].filter((p) => {
			const seated = serving.filter((m) => m.partyId === p);
			return seated.length > 0 && seated.every((m) => set.has(m.id));
		});
		const rest = people
			.filter((m) => !whole.includes(m.partyId))
			.sort((a, b) => memberOrder(input, a) - memberOrder(input, b))
			.map(who);
		return [...orderParties(whole, input.partyOrder, jointGroups), ...rest];
	};

	const jav = recorded.filter((p) => p.kind === 'jav').map((p) => memberById.get(p.memberId));
	const javNames = [...new Set(jav)].filter((m): m is Member => !!m).map(who);
	if (javNames.length) sentences.push(`${joinSv(javNames)} anmälde jäv och deltog inte i handläggningen.`);

	const out = recorded.filter((p) => p.kind === 'deltar_inte' && p.target.type === 'case').map((p) => p.memberId);
	if (out.length) sentences.push(`${joinSv(groupByParty(out))} deltog inte i beslutet.`);

	const main = decisiveQuestion(input.record, { type: 'case' });
	const mainOutcome = main ? questionOutcome(input.record, main) : undefined;
	if (mainOutcome?.decided && mainOutcome.finalRound) {
		const abstained = Object.entries(mainOutcome.finalRound.votes)
			.filter(([, v]) => v === 'avstar')
			.map(([id]) => id);
		if (abstained.length) sentences.push(`${joinSv(groupByParty(abstained))} avstod från att rösta.`);
	}

	const reservations = recorded.filter((p) => p.kind === 'reservation');
	if (reservations.length) {
		const byParty = new Map<string, Member[]>();
		for (const p of reservations) {
			const m = memberById.get(p.memberId);
			if (!m) continue;
			const list = byParty.get(m.partyId) ?? [];
			if (!list.includes(m)) list.push(m);
			byParty.set(m.partyId, list);
		}
		const parts = orderParties(byParty.keys(), input.partyOrder).map((party) => {
			const names = byParty
				.get(party)!
				.sort((a, b) => memberOrder(input, a) - memberOrder(input, b))
				.map((m) => m.name);
			return `${joinSv(names)} (${party})`;
		});
		sentences.push(`Reservation: ${parts.join('; ')}.`);
	}

	const notes = recorded.filter((p) => p.kind === 'protokollsanteckning');
	if (notes.length) {
		// one note signed by several parties is one entry; the same party with two notes is two
		const byText = new Map<string, Set<string>>();
		for (const p of notes) {
			const m = memberById.get(p.memberId);
			if (!m || p.kind !== 'protokollsanteckning') continue;
			const key = `${targetKey(p.target)}\n${p.text.trim()}`;
			byText.set(key, (byText.get(key) ?? new Set()).add(m.partyId));
		}
		const parts = [...byText.values()].map((parties) =>
			orderParties(parties, input.partyOrder, jointGroups).join(', ')
		);
		sentences.push(`Protokollsanteckning: ${parts.join('; ')}.`);
	}

	for (const [kind, heading] of [
		['yttrande', 'Yttrande'],
		['sarskilt_yttrande', 'Särskilt yttrande']
	] as const) {
		const ids = new Set(recorded.flatMap((p) => (p.kind === kind && memberById.has(p.memberId) ? [p.draftId] : [])));
		const docs = live.filter((d) => ids.has(d.id) && d.kind === kind);
		if (docs.length) sentences.push(`${heading}: ${docs.map((d) => d.partyIds.join(', ')).join('; ')}.`);
	}

	return sentences.join(' ');
}

function formalMotion(alt: Alternative): string | null {
	if (alt.type === 'aterremiss') return `Yrkandet om återremiss från ${joinSv(alt.partyIds)}`;
	if (alt.type === 'bordlaggning') return `Yrkandet om bordläggning från ${joinSv(alt.partyIds)}`;
	return null;
}

function memberOrder(input: SummaryInput, m: Member): number {
	return input.members.indexOf(m);
}
