import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, max } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db, Tx } from '../../db/client';
import { cases, draftParties, drafts, draftVersions, memberships, parties, type DraftKind } from '../../db/schema';
import { recordAudit } from '../audit';
import { decisionLevelHeadings, initDraftDoc, projectDraft, type DraftContent } from '../domain/draft-doc';
import { withoutControlChars } from '../domain/plain-text';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { newId } from '../ids';
import { can, type Principal } from '../policies';
import { draftDocName, draftKindInfo, initialDraftTitle } from '../presenters/draft';
import { draftThing, loadDraft, loadReadableDraft, type LoadedDraft } from './drafts-access';

/** What the lifecycle needs from the sync server (deps.sync). */
export interface DraftDocs {
	/** Applies a change to the stored document and to every connected client. */
	writeDoc(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
	/** The document as it is now, with every edit the server has received. */
	readDoc(docName: string): Promise<Y.Doc>;
	/** Asks the sync server to re-check who may read or write the document. */
	notifyAccessChanged(target: { docName: string }): void | Promise<void>;
}

export interface CommandContext {
	db: Db;
	docs: DraftDocs;
	user: Principal;
	ip?: string | null;
}

/** Digest of a version as approvals record it: the text and the parties that sign it. */
export function draftDigest(content: DraftContent, partyIds: readonly string[]): string {
	return createHash('sha256').update(JSON.stringify({ content, partyIds })).digest('base64url');
}

/** Reads the live document and its digest for the parties now behind the draft. */
async function snapshot(docs: DraftDocs, d: LoadedDraft) {
	const doc = await docs.readDoc(draftDocName(d.draft.id));
	const content = withoutControlChars(projectDraft(doc));
	const partyIds = d.parties.map((p) => p.partyId);
	return { state: Y.encodeStateAsUpdate(doc), content, partyIds, digest: draftDigest(content, partyIds) };
}

function ownerThing(d: LoadedDraft) {
	return { ...draftThing(d), partyIds: [d.draft.ownerPartyId] };
}

/** Only a secretary of the owning party invites, submits and withdraws. */
function requireOwnerSecretary(user: Principal, d: LoadedDraft, message: string) {
	if (!can(user, 'submit', ownerThing(d))) throw forbidden(message);
}

async function lockDraft(tx: Tx, draftId: string): Promise<LoadedDraft> {
	await tx.select({ id: drafts.id }).from(drafts).where(eq(drafts.id, draftId)).for('update');
	const d = await loadDraft(tx, draftId);
	if (!d) throw notFound('Utkastet hittades inte.');
	return d;
}

// ---- create ----------------------------------------------------------------------------------------

export interface CreateDraftInput {
	caseId: string;
	partyId: string;
	kind: DraftKind;
}

/**
 * Starts a draft in a party's workspace, internal to that party. The sync document is written
 * first, so a draft row never points at an empty document; should the insert fail, the document
 * is left without a draft, and without a draft nobody can open it.
 */
export async function createDraft(ctx: CommandContext, input: CreateDraftInput): Promise<string> {
	const { db, docs, user } = ctx;
	const [c] = await db.select().from(cases).where(eq(cases.id, input.caseId)).limit(1);
	if (!c || !can(user, 'read', { type: 'case', bodyId: c.bodyId })) throw notFound('Ärendet hittades inte.');
	const workspace = { type: 'workspace', bodyId: c.bodyId, partyId: input.partyId } as const;
	if (!can(user, 'read', workspace)) throw notFound('Arbetsytan hittades inte.');
	if (!can(user, 'edit', workspace)) throw forbidden('Endast partiets sekreterare kan skapa utkast.');

	const id = newId();
	const title = initialDraftTitle(input.kind, c.title);
	// Not inside the transaction: the sync server commits through the same database, and the
	// embedded one has a single connection.
	await docs.writeDoc(draftDocName(id), (doc) => initDraftDoc(doc, { kind: input.kind, title }));
	await db.transaction(async (tx) => {
		await tx.insert(drafts).values({
			id,
			caseId: c.id,
			kind: input.kind,
			title,
			ownerPartyId: input.partyId,
			createdBy: user.id
		});
		await tx.insert(draftParties).values({ draftId: id, partyId: input.partyId, role: 'owner', position: 0 });
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.create',
			bodyId: c.bodyId,
			partyId: input.partyId,
			subjectType: 'draft',
			subjectId: id,
			details: { kind: input.kind },
			ip: ctx.ip
		});
	});
	return id;
}

// ---- co-signers ------------------------------------------------------------------------------------

/**
 * Invites co-signing parties. Inviting is sharing: from this moment the parties' secretaries may
 * edit and their members read, and the draft is "delat". Approvals given so far lapse, since
 * they were given for another set of signatories.
 */
export async function inviteCosigners(ctx: CommandContext, draftId: string, partyIds: string[]): Promise<void> {
	const { db, docs, user } = ctx;
	const before = await loadReadableDraft(db, user, draftId);
	requireOwnerSecretary(user, before, 'Endast det ägande partiets sekreterare kan bjuda in partier.');

	const wanted = [...new Set(partyIds)];
	await db.transaction(async (tx) => {
		const d = await lockDraft(tx, draftId);
		if (d.draft.status !== 'draft' && d.draft.status !== 'shared') {
			throw conflict('Ett inlämnat eller återtaget utkast kan inte delas med fler partier.', 'draft_frozen');
		}
		if (wanted.includes(d.draft.ownerPartyId)) throw unprocessable('Det egna partiet står redan bakom utkastet.');
		const have = new Set(d.parties.map((p) => p.partyId));
		const fresh = wanted.filter((p) => !have.has(p));
		if (fresh.length === 0) return;
		// Only parties that sit in the body can sign: anything else would share the text outside it.
		const inBody = await tx
			.selectDistinct({ partyId: memberships.partyId })
			.from(memberships)
			.where(and(eq(memberships.bodyId, d.bodyId), inArray(memberships.partyId, fresh)));
		const known = new Set(inBody.map((r) => r.partyId));
		const unknown = fresh.filter((p) => !known.has(p));
		if (unknown.length) throw unprocessable(`Partiet finns inte i nämnden: ${unknown.join(', ')}.`);

		const next = Math.max(0, ...d.parties.map((p) => p.position)) + 1;
		await tx
			.insert(draftParties)
			.values(fresh.map((partyId, i) => ({ draftId, partyId, role: 'cosigner' as const, position: next + i })));
		await clearApprovals(tx, draftId);
		await tx.update(drafts).set({ status: 'shared', updatedAt: new Date() }).where(eq(drafts.id, draftId));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.share',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: { added: fresh },
			ip: ctx.ip
		});
	});
	await docs.notifyAccessChanged({ docName: draftDocName(draftId) });
}

/**
 * Takes a co-signing party off the draft: the owner's secretary may, and so may the party's own
 * secretary (leaving). The party loses access at once; with no co-signer left the draft is
 * internal to the owner again.
 */
export async function removeCosigner(ctx: CommandContext, draftId: string, partyId: string): Promise<void> {
	const { db, docs, user } = ctx;
	const before = await loadReadableDraft(db, user, draftId);
	const ownSecretary = can(user, 'submit', { ...draftThing(before), partyIds: [partyId] });
	if (!ownSecretary) {
		requireOwnerSecretary(user, before, 'Endast det ägande partiets sekreterare kan ta bort partier.');
	}
	await db.transaction(async (tx) => {
		const d = await lockDraft(tx, draftId);
		if (d.draft.status !== 'draft' && d.draft.status !== 'shared') {
			throw conflict('Partierna bakom ett inlämnat utkast kan inte ändras.', 'draft_frozen');
		}
		const row = d.parties.find((p) => p.partyId === partyId);
		if (!row || row.role !== 'cosigner') throw notFound('Partiet står inte bakom utkastet.');
		await tx.delete(draftParties).where(and(eq(draftParties.draftId, draftId), eq(draftParties.partyId, partyId)));
		await clearApprovals(tx, draftId);
		const left = d.parties.filter((p) => p.role === 'cosigner' && p.partyId !== partyId).length;
		await tx
			.update(drafts)
			.set({ status: left ? 'shared' : 'draft', updatedAt: new Date() })
			.where(eq(drafts.id, draftId));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.unshare',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: { removed: partyId },
			ip: ctx.ip
		});
	});
	await docs.notifyAccessChanged({ docName: draftDocName(draftId) });
}

async function clearApprovals(tx: Tx, draftId: string) {
	await tx
		.update(draftParties)
		.set({ approvedAt: null, approvedBy: null, approvedDigest: null })
		.where(eq(draftParties.draftId, draftId));
}

// ---- approval --------------------------------------------------------------------------------------

/**
 * A co-signing party's secretary approves submitting the joint draft as it reads now. The approval
 * is bound to the text and the parties: any later edit asks for a new approval.
 */
export async function approveDraft(ctx: CommandContext, draftId: string, partyId: string): Promise<void> {
	const { db, docs, user } = ctx;
	const d = await loadReadableDraft(db, user, draftId);
	const row = d.parties.find((p) => p.partyId === partyId);
	if (!row || row.role !== 'cosigner') throw notFound('Partiet står inte bakom utkastet som medundertecknare.');
	if (!can(user, 'submit', { ...draftThing(d), partyIds: [partyId] })) {
		throw forbidden(`Endast ${partyId}s sekreterare kan godkänna för ${partyId}.`);
	}
	if (d.draft.status !== 'shared') throw conflict('Bara ett delat utkast kan godkännas.', 'draft_not_shared');
	const snap = await snapshot(docs, d);
	await db.transaction(async (tx) => {
		const locked = await lockDraft(tx, draftId);
		// The parties may have changed while the document was read; the digest would then be wrong.
		if (locked.draft.status !== 'shared' || locked.parties.map((p) => p.partyId).join() !== snap.partyIds.join()) {
			throw conflict('Utkastet ändrades samtidigt. Försök igen.', 'draft_changed');
		}
		await tx
			.update(draftParties)
			.set({ approvedAt: new Date(), approvedBy: user.id, approvedDigest: snap.digest })
			.where(and(eq(draftParties.draftId, draftId), eq(draftParties.partyId, partyId)));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.approve',
			bodyId: d.bodyId,
			partyId,
			subjectType: 'draft',
			subjectId: draftId,
			ip: ctx.ip
		});
	});
}

export async function revokeApproval(ctx: CommandContext, draftId: string, partyId: string): Promise<void> {
	const { db, user } = ctx;
	const d = await loadReadableDraft(db, user, draftId);
	if (!can(user, 'submit', { ...draftThing(d), partyIds: [partyId] })) {
		throw forbidden(`Endast ${partyId}s sekreterare kan återkalla ${partyId}s godkännande.`);
	}
	if (d.draft.status !== 'shared') throw conflict('Bara ett delat utkast har godkännanden.', 'draft_not_shared');
	await db.transaction(async (tx) => {
		await tx
			.update(draftParties)
			.set({ approvedAt: null, approvedBy: null, approvedDigest: null })
			.where(and(eq(draftParties.draftId, draftId), eq(draftParties.partyId, partyId)));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.revoke_approval',
			bodyId: d.bodyId,
			partyId,
			subjectType: 'draft',
			subjectId: draftId,
			ip: ctx.ip
		});
	});
}

/** The digest of the live text, to tell current approvals from those of an earlier text. */
export async function currentDigest(docs: DraftDocs, d: LoadedDraft): Promise<string> {
	return (await snapshot(docs, d)).digest;
}

// ---- submit and withdraw ---------------------------------------------------------------------------

/** Why a text cannot be submitted as it is, in words for the secretary; null when it can. */
export function contentProblem(kind: DraftKind, content: DraftContent): string | null {
	if (!content.title.trim()) return 'Rubriken är tom.';
	if (draftKindInfo[kind].hasPoints) {
		if (content.points.length === 0) return 'Förslaget till beslut har inga punkter.';
		for (const level of ['ks', 'ks_kf'] as const) {
			const pts = content.points.filter((p) => p.level === level);
			const empty = pts.findIndex((p) => !p.text.trim());
			if (empty >= 0) return `Punkt ${empty + 1} under "${decisionLevelHeadings[level]}" är tom.`;
		}
		return null;
	}
	return content.body.some((b) => /\S/.test(blockText(b))) ? null : `${draftKindInfo[kind].bodyLabel} saknar text.`;
}

function blockText(b: DraftContent['body'][number]): string {
	switch (b.type) {
		case 'paragraph':
		case 'heading':
			return b.runs.map((r) => r.text).join('');
		case 'list':
			return b.items.map((item) => item.map(blockText).join(' ')).join(' ');
		case 'blockquote':
			return b.children.map(blockText).join(' ');
	}
}

/**
 * Submits (lämnar in) the draft: freezes the text as a new version and opens it, read-only, to
 * everyone in the body. A joint draft needs every co-signer's approval of exactly this text.
 */
export async function submitDraft(ctx: CommandContext, draftId: string): Promise<number> {
	const { db, docs, user } = ctx;
	const d = await loadReadableDraft(db, user, draftId);
	requireOwnerSecretary(user, d, 'Endast det ägande partiets sekreterare kan lämna in utkastet.');
	if (d.draft.status === 'submitted') throw conflict('Utkastet är redan inlämnat.', 'draft_submitted');
	if (d.draft.status === 'withdrawn') throw conflict('Ett återtaget utkast kan inte lämnas in.', 'draft_withdrawn');

	const snap = await snapshot(docs, d);
	const problem = contentProblem(d.draft.kind, snap.content);
	if (problem) throw unprocessable(`Utkastet kan inte lämnas in: ${problem}`, 'draft_incomplete');

	const version = await db.transaction(async (tx) => {
		const locked = await lockDraft(tx, draftId);
		if (
			locked.draft.status !== d.draft.status ||
			locked.parties.map((p) => p.partyId).join() !== snap.partyIds.join()
		) {
			throw conflict('Utkastet ändrades samtidigt. Försök igen.', 'draft_changed');
		}
		const missing = locked.parties.filter((p) => p.role === 'cosigner' && p.approvedDigest !== snap.digest);
		if (missing.length) {
			const names = missing.map((p) => p.partyId).join(', ');
			throw conflict(
				`Alla medundertecknande partier måste godkänna texten som den är nu. Godkännande saknas från ${names}.`,
				'approval_missing'
			);
		}
		const [{ last }] = await tx
			.select({ last: max(draftVersions.version) })
			.from(draftVersions)
			.where(eq(draftVersions.draftId, draftId));
		const n = (last ?? 0) + 1;
		const now = new Date();
		await tx.insert(draftVersions).values({
			draftId,
			version: n,
			state: snap.state,
			content: snap.content,
			digest: snap.digest,
			partyIds: snap.partyIds,
			submittedAt: now,
			submittedBy: user.id
		});
		await tx
			.update(drafts)
			.set({ status: 'submitted', title: snap.content.title.trim(), submittedAt: now, updatedAt: now })
			.where(eq(drafts.id, draftId));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.submit',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: { version: n, digest: snap.digest, partyIds: snap.partyIds },
			ip: ctx.ip
		});
		return n;
	});
	await docs.notifyAccessChanged({ docName: draftDocName(draftId) });
	return version;
}

/**
 * Withdraws (återtar) a submitted draft: it leaves summaries and exports and the other parties'
 * view, and stays in its own parties' history.
 */
export async function withdrawDraft(ctx: CommandContext, draftId: string): Promise<void> {
	const { db, docs, user } = ctx;
	const d = await loadReadableDraft(db, user, draftId);
	requireOwnerSecretary(user, d, 'Endast det ägande partiets sekreterare kan återta utkastet.');
	await db.transaction(async (tx) => {
		const locked = await lockDraft(tx, draftId);
		if (locked.draft.status !== 'submitted')
			throw conflict('Bara ett inlämnat utkast kan återtas.', 'draft_not_submitted');
		const now = new Date();
		await tx
			.update(drafts)
			.set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now })
			.where(eq(drafts.id, draftId));
		await recordAudit(tx, {
			actorId: user.id,
			action: 'draft.withdraw',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			ip: ctx.ip
		});
	});
	await docs.notifyAccessChanged({ docName: draftDocName(draftId) });
}

// ---- reading ---------------------------------------------------------------------------------------

export interface ListDraftsFilter {
	caseId: string;
	/** only drafts this party stands behind */
	partyId?: string;
	status?: 'submitted';
}

/** The drafts of a case the user may read, each with its parties. */
export async function listReadableDrafts(db: Db, user: Principal, filter: ListDraftsFilter) {
	const [c] = await db.select().from(cases).where(eq(cases.id, filter.caseId)).limit(1);
	if (!c || !can(user, 'read', { type: 'case', bodyId: c.bodyId })) throw notFound('Ärendet hittades inte.');
	const where = filter.status
		? and(eq(drafts.caseId, c.id), eq(drafts.status, filter.status))
		: eq(drafts.caseId, c.id);
	const rows = await db.select().from(drafts).where(where).orderBy(desc(drafts.updatedAt));
	if (rows.length === 0) return [];
	const partyRows = await db
		.select()
		.from(draftParties)
		.where(
			inArray(
				draftParties.draftId,
				rows.map((r) => r.id)
			)
		)
		.orderBy(asc(draftParties.position));
	return rows
		.map((draft) => ({ draft, parties: partyRows.filter((p) => p.draftId === draft.id) }))
		.filter(({ draft, parties: ps }) =>
			can(user, 'read', {
				type: 'draft',
				bodyId: c.bodyId,
				partyIds: ps.map((p) => p.partyId),
				status: draft.status
			})
		)
		.filter(({ parties: ps }) => !filter.partyId || ps.some((p) => p.partyId === filter.partyId));
}

export async function partyInfos(db: Db) {
	return db
		.select({ id: parties.id, name: parties.name, color: parties.color })
		.from(parties)
		.orderBy(asc(parties.sortOrder));
}

export async function latestVersion(db: Db, draftId: string) {
	const [v] = await db
		.select()
		.from(draftVersions)
		.where(eq(draftVersions.draftId, draftId))
		.orderBy(desc(draftVersions.version))
		.limit(1);
	return v ?? null;
}
