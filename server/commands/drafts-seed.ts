import * as Y from 'yjs';
import type { Db, Tx } from '../../db/client';
import { draftParties, drafts, draftVersions, type DraftKind } from '../../db/schema';
import { initDraftDoc, paragraphs, projectDraft } from '../domain/draft-doc';
import { newId } from '../ids';
import type { PartyDocumentData } from '../import/party-documents';
import { draftDocName } from '../presenters/draft';
import { projectDoc } from '../sync/projection';
import { SyncStore } from '../sync/store';
import { draftDigest } from './drafts';

export interface SubmittedDraftInput {
	caseId: string;
	document: PartyDocumentData;
	/** who submitted, per party id: the secretaries of the parties (approvals and submit) */
	secretaryOf: (partyId: string) => string | null;
	submittedAt?: Date;
}

/**
 * Records a party document that was submitted outside Yrka (e.g. the documents printed with the
 * demo case) as a submitted draft: the rows, the co-signers' approvals, the sync document and the
 * frozen version, exactly as submitting through the app would leave them. Runs inside the caller's
 * transaction; the sync document is written through the sync server's own store, so the server
 * finds it like any other.
 */
export async function recordSubmittedDraft(tx: Tx | Db, input: SubmittedDraftInput): Promise<string> {
	const { document: d } = input;
	const [owner, ...cosigners] = d.parties;
	if (!owner) throw new Error(`party document "${d.title}" names no party`);
	const id = newId();
	const at = input.submittedAt ?? new Date();
	const kind: DraftKind = d.kind;

	const doc = new Y.Doc();
	initDraftDoc(doc, {
		kind,
		title: d.title,
		points: d.points.map((p, i) => ({ id: `p${i + 1}`, level: p.level, text: p.text })),
		body: d.paragraphs.flatMap((p) => paragraphs(p))
	});
	const content = projectDraft(doc);
	const state = Y.encodeStateAsUpdate(doc);
	const digest = draftDigest(content, d.parties);

	await tx.insert(drafts).values({
		id,
		caseId: input.caseId,
		kind,
		title: d.title,
		status: 'submitted',
		ownerPartyId: owner,
		createdBy: input.secretaryOf(owner),
		createdAt: at,
		updatedAt: at,
		submittedAt: at
	});
	await tx.insert(draftParties).values([
		{ draftId: id, partyId: owner, role: 'owner' as const, position: 0 },
		...cosigners.map((partyId, i) => ({
			draftId: id,
			partyId,
			role: 'cosigner' as const,
			position: i + 1,
			approvedAt: at,
			approvedBy: input.secretaryOf(partyId),
			approvedDigest: digest
		}))
	]);
	await tx.insert(draftVersions).values({
		draftId: id,
		version: 1,
		state,
		content,
		digest,
		partyIds: d.parties,
		submittedAt: at,
		submittedBy: input.secretaryOf(owner)
	});
	const store = new SyncStore(tx as Db);
	const name = draftDocName(id);
	const seqs = await store.append([{ name, data: state }]);
	const projection = projectDoc({ name, kind: 'draft', id }, doc);
	await store.saveProjection(name, seqs.get(name) ?? 1, projection.content, projection.text);
	return id;
}
