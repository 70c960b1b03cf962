import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { bodies, cases, draftParties, drafts } from '../../db/schema';
import { notFound } from '../errors';
import { can, type Principal, type Thing } from '../policies';
import { orderedParties } from '../presenters/draft';

export type DraftRow = typeof drafts.$inferSelect;
export type DraftPartyRow = typeof draftParties.$inferSelect;

export interface LoadedDraft {
	draft: DraftRow;
	/** owner first, then co-signers in invitation order */
	parties: DraftPartyRow[];
	bodyId: string;
	bodyName: string;
	caseTitle: string;
	caseNumber: string;
	meetingDate: string | null;
	agendaNumber: string | null;
}

/**
 * The draft as `can()` sees it. Every party in draft_parties is behind the draft: a party is only
 * added there when the owner shares with it, so this list is exactly who may see the text.
 */
export function draftThing(d: LoadedDraft): Extract<Thing, { type: 'draft' }> {
	return { type: 'draft', bodyId: d.bodyId, partyIds: d.parties.map((p) => p.partyId), status: d.draft.status };
}

/** The draft with its parties and body, or null when there is none. */
export async function loadDraft(db: Db | Tx, draftId: string): Promise<LoadedDraft | null> {
	const [row] = await db
		.select({
			draft: drafts,
			bodyId: cases.bodyId,
			bodyName: bodies.name,
			caseTitle: cases.title,
			caseNumber: cases.caseNumber,
			meetingDate: cases.meetingDate,
			agendaNumber: cases.agendaNumber
		})
		.from(drafts)
		.innerJoin(cases, eq(drafts.caseId, cases.id))
		.innerJoin(bodies, eq(cases.bodyId, bodies.id))
		.where(eq(drafts.id, draftId))
		.limit(1);
	if (!row) return null;
	const parties = await db.select().from(draftParties).where(eq(draftParties.draftId, draftId));
	return { ...row, parties: orderedParties(parties) };
}

/**
 * The draft if the user may read it. A draft the user may not read answers exactly like a missing
 * one, so another party cannot even learn that it exists.
 */
export async function loadReadableDraft(db: Db | Tx, user: Principal, draftId: string): Promise<LoadedDraft> {
	const d = await loadDraft(db, draftId);
	if (!d || !can(user, 'read', draftThing(d))) throw notFound('Utkastet hittades inte.');
	return d;
}
