import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { cases, draftParties, drafts, draftSignatories, memberships, users } from '../../../db/schema';
import { recordAudit } from '../../audit';
import { draftThing, loadDraft, loadReadableDraft, type LoadedDraft } from '../../commands/drafts-access';
import { bodyRoll } from '../../commands/memberships';
import type { CommandContext } from '../../commands/drafts';
import { checkSignatories, type SignatoryCandidate, type SignatorySeat } from '../../domain/draft-doc-signatories';
import { conflict, forbidden, notFound, unprocessable } from '../../errors';
import { can, type Principal } from '../../policies';

/**
 * The signatories of a draft: who may see them is exactly who may see the draft (404 otherwise),
 * who may change them is who may change its text – a secretary of one of its parties while it is open.
 */

export interface SignatoryView extends SignatoryCandidate {
	/** "Ledamot" or "Ersättare" */
	seatLabel: string;
}

export interface SignatoriesView {
	signatories: SignatoryView[];
	/** the members who may sign, for the party editing the draft; empty for readers */
	candidates: SignatoryView[];
	canEdit: boolean;
}

const seatLabels: Record<SignatorySeat, string> = { ledamot: 'Ledamot', ersattare: 'Ersättare' };
const view = (c: SignatoryCandidate): SignatoryView => ({ ...c, seatLabel: seatLabels[c.seat] });

/** Ledamöter and ersättare of the draft's parties in its body: by the parties' order, then by seat. */
export async function signatoryCandidates(db: Db | Tx, d: LoadedDraft): Promise<SignatoryCandidate[]> {
	const partyIds = d.parties.map((p) => p.partyId);
	if (partyIds.length === 0) return [];
	const rows = await bodyRoll(db, d.bodyId, partyIds);
	const seatRank = (s: string | null) => (s === 'ledamot' ? 0 : 1);
	return rows
		.sort(
			(a, b) =>
				partyIds.indexOf(a.partyId as string) - partyIds.indexOf(b.partyId as string) ||
				seatRank(a.seat) - seatRank(b.seat) ||
				(a.seatOrder ?? 0) - (b.seatOrder ?? 0) ||
				a.name.localeCompare(b.name, 'sv')
		)
		.map((r) => ({ userId: r.userId, name: r.name, partyId: r.partyId as string, seat: r.seat as SignatorySeat }));
}

/**
 * The stored signatories, in order, of the parties given (the draft's parties now, or those of its
 * submitted version): a party that left the draft takes its signatories with it.
 */
export async function storedSignatories(
	db: Db | Tx,
	draftIds: readonly string[]
): Promise<Map<string, (SignatoryCandidate & { position: number })[]>> {
	const out = new Map<string, (SignatoryCandidate & { position: number })[]>();
	if (draftIds.length === 0) return out;
	const rows = await db
		.select({
			draftId: draftSignatories.draftId,
			userId: draftSignatories.userId,
			partyId: draftSignatories.partyId,
			position: draftSignatories.position,
			name: users.name,
			bodyId: cases.bodyId
		})
		.from(draftSignatories)
		.innerJoin(users, eq(users.id, draftSignatories.userId))
		.innerJoin(drafts, eq(drafts.id, draftSignatories.draftId))
		.innerJoin(cases, eq(cases.id, drafts.caseId))
		.where(inArray(draftSignatories.draftId, [...draftIds]))
		.orderBy(asc(draftSignatories.draftId), asc(draftSignatories.position));
	const seats = rows.length
		? await db
				.select({
					userId: memberships.userId,
					bodyId: memberships.bodyId,
					partyId: memberships.partyId,
					seat: memberships.seat
				})
				.from(memberships)
				.where(and(inArray(memberships.userId, [...new Set(rows.map((r) => r.userId))]), isNotNull(memberships.seat)))
		: [];
	for (const r of rows) {
		// The seat in the body the draft is for: a person may sit in several.
		const seat = (seats.find((s) => s.userId === r.userId && s.bodyId === r.bodyId && s.partyId === r.partyId)?.seat ??
			'ledamot') as SignatorySeat;
		const list = out.get(r.draftId) ?? [];
		list.push({ userId: r.userId, name: r.name, partyId: r.partyId, seat, position: r.position });
		out.set(r.draftId, list);
	}
	return out;
}

export async function signatoriesView(db: Db, user: Principal, draftId: string): Promise<SignatoriesView> {
	const d = await loadReadableDraft(db, user, draftId);
	const canEdit = can(user, 'edit', draftThing(d));
	const partyIds = new Set(d.parties.map((p) => p.partyId));
	const stored = ((await storedSignatories(db, [d.draft.id])).get(d.draft.id) ?? []).filter((s) =>
		partyIds.has(s.partyId)
	);
	return {
		signatories: stored.map(({ position: _position, ...s }) => view(s)),
		candidates: canEdit ? (await signatoryCandidates(db, d)).map(view) : [],
		canEdit
	};
}

/**
 * Sets who signs the draft, in order. Only members of the draft's parties, each once. A change lets
 * the co-signing parties' approvals lapse, like a change of the text: they approved other signatures.
 */
export async function setSignatories(ctx: CommandContext, draftId: string, userIds: readonly string[]): Promise<void> {
	const { db, user } = ctx;
	const before = await loadReadableDraft(db, user, draftId);
	const refuse = (d: LoadedDraft) => {
		const thing = draftThing(d);
		if (can(user, 'edit', thing)) return;
		// Its own party learns why; anyone else only that they may not.
		const own = can(user, 'read', { ...thing, status: 'draft' });
		if (own && (d.draft.status === 'submitted' || d.draft.status === 'withdrawn')) {
			throw conflict('Undertecknarna av ett inlämnat eller återtaget utkast kan inte ändras.', 'draft_frozen');
		}
		throw forbidden('Bara sekreterare för partierna bakom utkastet kan ändra undertecknarna.');
	};
	refuse(before);
	await db.transaction(async (tx) => {
		await tx.select({ id: drafts.id }).from(drafts).where(eq(drafts.id, draftId)).for('update');
		const d = await loadDraft(tx, draftId);
		if (!d) throw notFound('Utkastet hittades inte.');
		refuse(d);
		const checked = checkSignatories(userIds, await signatoryCandidates(tx, d));
		if (!checked.ok) throw unprocessable(checked.message, checked.code);

		const current = (await storedSignatories(tx, [draftId])).get(draftId) ?? [];
		const same =
			current.length === checked.signatories.length &&
			current.every(
				(s, i) => s.userId === checked.signatories[i].userId && s.partyId === checked.signatories[i].partyId
			);
		if (same) return;

		await tx.delete(draftSignatories).where(eq(draftSignatories.draftId, draftId));
		if (checked.signatories.length > 0) {
			await tx
				.insert(draftSignatories)
				.values(
					checked.signatories.map((s, position) => ({ draftId, userId: s.userId, partyId: s.partyId, position }))
				);
		}
		await tx
			.update(draftParties)
			.set({ approvedAt: null, approvedBy: null, approvedDigest: null })
			.where(eq(draftParties.draftId, draftId));
		// The document changed: its export is dated by this change.
		await tx.update(drafts).set({ updatedAt: new Date() }).where(eq(drafts.id, draftId));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.signatories',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: {
				before: current.map((s) => s.userId),
				after: checked.signatories.map((s) => s.userId),
				names: checked.signatories.map((s) => `${s.name} (${s.partyId})`)
			},
			ip: ctx.ip
		});
	});
}
