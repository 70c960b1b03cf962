import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db, Tx } from '../../db/client';
import {
	draftSnapshots,
	draftVersions,
	memberships,
	syncClientUsers,
	users,
	type DraftSnapshotKind
} from '../../db/schema';
import { recordAudit } from '../audit';
import { attribute, draftRuns, type Attribution } from '../domain/attribution';
import { projectDraft, type DraftContent } from '../domain/draft-doc';
import { withoutControlChars } from '../domain/plain-text';
import { compareVersions, randomClientId, revertUpdate, type VersionDiff } from '../domain/versions';
import { conflict, forbidden, notFound } from '../errors';
import { newId } from '../ids';
import { can, type Principal } from '../policies';
import { draftDocName } from '../presenters/draft';
import type { CommandContext, DraftDocs } from './drafts';
import { draftThing, loadReadableDraft, type LoadedDraft } from './drafts-access';

/**
 * Named versions of a draft: automatic ones (taken by versions-auto.ts), manual ones with a label,
 * and the versions frozen at submit (draft_versions). Listing, opening, comparing, restoring, and the
 * attribution of the text to its writers.
 *
 * The history is the parties' internal working material: only the parties behind the draft see it,
 * also once the draft is submitted and its final text is public.
 */

export type VersionKind = DraftSnapshotKind | 'submitted';

/** What each kind of version is called in the UI. */
export const versionKindLabels: Record<VersionKind, string> = {
	manual: 'Sparad version',
	idle: 'Automatisk, efter redigering',
	hourly: 'Automatisk, varje timme',
	before_restore: 'Före återställning',
	submitted: 'Inlämnad version'
};

/** The id of a version frozen at submit: draft_versions has no id of its own. */
const SUBMITTED_ID = /^inlamnad-(\d{1,6})$/;
export const submittedVersionId = (n: number) => `inlamnad-${n}`;
/** The live document, as the other side of a comparison. */
export const CURRENT = 'nu';

export interface VersionMeta {
	id: string;
	kind: VersionKind;
	kindLabel: string;
	label: string | null;
	createdAt: Date;
	createdBy: string | null;
	editors: string[];
	restoredFrom: string | null;
}

export interface VersionWithContent extends VersionMeta {
	content: DraftContent;
}

/** JSON with object keys sorted: jsonb hands objects back with its own key order. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/** Digest of a projection: two versions with the same digest read the same, however they were stored. */
export function contentDigest(content: DraftContent): string {
	return createHash('sha256').update(canonical(content)).digest('base64url');
}

/** Whether the user belongs to one of the draft's parties (secretary or member). */
function ownParty(user: Principal, d: LoadedDraft): boolean {
	return d.parties.some((p) => can(user, 'read', { type: 'workspace', bodyId: d.bodyId, partyId: p.partyId }));
}

/**
 * The draft if the user may see its history. A reader from another party (the draft is submitted)
 * learns only that the history is not theirs to see; anyone else gets the same answer as for a
 * draft that does not exist.
 */
export async function loadHistoryDraft(db: Db, user: Principal, draftId: string): Promise<LoadedDraft> {
	const d = await loadReadableDraft(db, user, draftId);
	if (!ownParty(user, d)) {
		throw forbidden('Versionshistoriken är arbetsmaterial för partierna bakom utkastet.');
	}
	return d;
}

function requireWriter(user: Principal, d: LoadedDraft, what: string): void {
	if (d.draft.status === 'submitted' || d.draft.status === 'withdrawn') {
		throw conflict(`Utkastet är ${d.draft.status === 'submitted' ? 'inlämnat' : 'återtaget'}: ${what}`, 'draft_frozen');
	}
	if (!can(user, 'edit', draftThing(d))) throw forbidden(`Bara partiernas sekreterare kan ${what}`);
}

// ---- reading ---------------------------------------------------------------------------------------

const snapshotMeta = {
	id: draftSnapshots.id,
	kind: draftSnapshots.kind,
	label: draftSnapshots.label,
	createdAt: draftSnapshots.createdAt,
	createdBy: draftSnapshots.createdBy,
	editors: draftSnapshots.editors,
	restoredFrom: draftSnapshots.restoredFrom
};

/** Every version of the draft, newest first, without the stored states. */
export async function listVersions(db: Db, draftId: string): Promise<VersionMeta[]> {
	const [snaps, submitted] = await Promise.all([
		db.select(snapshotMeta).from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId)),
		db
			.select({ version: draftVersions.version, at: draftVersions.submittedAt, by: draftVersions.submittedBy })
			.from(draftVersions)
			.where(eq(draftVersions.draftId, draftId))
	]);
	const all: VersionMeta[] = [
		...snaps.map((s) => ({ ...s, kindLabel: versionKindLabels[s.kind] })),
		...submitted.map((v) => ({
			id: submittedVersionId(v.version),
			kind: 'submitted' as const,
			kindLabel: `${versionKindLabels.submitted} ${v.version}`,
			label: null,
			createdAt: v.at,
			createdBy: v.by,
			editors: [],
			restoredFrom: null
		}))
	];
	return all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

/** One version with its projection (and its Yjs state when asked), or 404. */
export async function loadVersion(
	db: Db,
	draftId: string,
	versionId: string
): Promise<VersionWithContent & { state: Uint8Array }> {
	const m = SUBMITTED_ID.exec(versionId);
	if (m) {
		const [v] = await db
			.select()
			.from(draftVersions)
			.where(and(eq(draftVersions.draftId, draftId), eq(draftVersions.version, Number(m[1]))))
			.limit(1);
		if (!v) throw notFound('Versionen hittades inte.');
		return {
			id: versionId,
			kind: 'submitted',
			kindLabel: `${versionKindLabels.submitted} ${v.version}`,
			label: null,
			createdAt: v.submittedAt,
			createdBy: v.submittedBy,
			editors: [],
			restoredFrom: null,
			content: v.content,
			state: v.state
		};
	}
	const [s] = await db
		.select()
		.from(draftSnapshots)
		.where(and(eq(draftSnapshots.draftId, draftId), eq(draftSnapshots.id, versionId)))
		.limit(1);
	if (!s) throw notFound('Versionen hittades inte.');
	return { ...s, kindLabel: versionKindLabels[s.kind] };
}

/** The live text of the draft as a version-like side of a comparison. */
async function currentContent(docs: Pick<DraftDocs, 'readDoc'>, draftId: string): Promise<DraftContent> {
	const doc = await docs.readDoc(draftDocName(draftId));
	try {
		return withoutControlChars(projectDraft(doc));
	} finally {
		doc.destroy();
	}
}

export interface Comparison {
	from: VersionMeta | null;
	to: VersionMeta | null;
	diff: VersionDiff;
}

/** Compares two versions (either may be "nu", the live text): what `to` has that `from` had not. */
export async function compare(
	db: Db,
	docs: Pick<DraftDocs, 'readDoc'>,
	draftId: string,
	fromId: string,
	toId: string
): Promise<Comparison> {
	const side = async (id: string) => {
		if (id === CURRENT) return { meta: null, content: await currentContent(docs, draftId) };
		const { state: _state, content, ...meta } = await loadVersion(db, draftId, id);
		return { meta, content };
	};
	const [from, to] = await Promise.all([side(fromId), side(toId)]);
	return { from: from.meta, to: to.meta, diff: compareVersions(from.content, to.content) };
}

// ---- writing ---------------------------------------------------------------------------------------

export interface NewSnapshot {
	draftId: string;
	kind: DraftSnapshotKind;
	label?: string | null;
	state: Uint8Array;
	content: DraftContent;
	editors?: string[];
	createdBy?: string | null;
	restoredFrom?: string | null;
}

async function insertSnapshot(db: Db | Tx, s: NewSnapshot): Promise<string> {
	const id = newId();
	await db.insert(draftSnapshots).values({
		id,
		draftId: s.draftId,
		kind: s.kind,
		label: s.label ?? null,
		state: s.state,
		content: s.content,
		digest: contentDigest(s.content),
		editors: s.editors ?? [],
		restoredFrom: s.restoredFrom ?? null,
		createdBy: s.createdBy ?? null
	});
	return id;
}

/** The digest of the newest version of any kind, to tell whether the text changed since. */
async function latestDigest(db: Db, draftId: string): Promise<{ digest: string; at: Date } | null> {
	const [[snap], [sub]] = await Promise.all([
		db
			.select({ digest: draftSnapshots.digest, at: draftSnapshots.createdAt })
			.from(draftSnapshots)
			.where(eq(draftSnapshots.draftId, draftId))
			.orderBy(desc(draftSnapshots.createdAt))
			.limit(1),
		db
			.select({ content: draftVersions.content, at: draftVersions.submittedAt })
			.from(draftVersions)
			.where(eq(draftVersions.draftId, draftId))
			.orderBy(desc(draftVersions.version))
			.limit(1)
	]);
	const subDigest = sub ? { digest: contentDigest(sub.content), at: sub.at } : null;
	if (!snap) return subDigest;
	if (!subDigest) return snap;
	return snap.at >= subDigest.at ? snap : subDigest;
}

/**
 * An automatic version of the live text, unless it reads exactly like the newest version already
 * (another process may have taken it, or the edits were undone). Returns the new id or null.
 */
export async function takeAutomaticVersion(
	db: Db,
	docs: Pick<DraftDocs, 'readDoc'>,
	draftId: string,
	kind: 'idle' | 'hourly',
	editors: string[]
): Promise<string | null> {
	const doc = await docs.readDoc(draftDocName(draftId));
	let state: Uint8Array;
	let content: DraftContent;
	try {
		state = Y.encodeStateAsUpdate(doc);
		content = withoutControlChars(projectDraft(doc));
	} finally {
		doc.destroy();
	}
	const latest = await latestDigest(db, draftId);
	if (latest?.digest === contentDigest(content)) return null;
	return insertSnapshot(db, { draftId, kind, state, content, editors });
}

/** A version the writer names, of the text as it is now. */
export async function saveVersion(ctx: CommandContext, draftId: string, label: string): Promise<string> {
	const { db, docs, user } = ctx;
	const d = await loadHistoryDraft(db, user, draftId);
	requireWriter(user, d, 'spara versioner medan utkastet skrivs.');
	const doc = await docs.readDoc(draftDocName(draftId));
	let state: Uint8Array;
	let content: DraftContent;
	try {
		state = Y.encodeStateAsUpdate(doc);
		content = withoutControlChars(projectDraft(doc));
	} finally {
		doc.destroy();
	}
	return db.transaction(async (tx) => {
		const id = newId();
		await tx.insert(draftSnapshots).values({
			id,
			draftId,
			kind: 'manual',
			label,
			state,
			content,
			digest: contentDigest(content),
			createdBy: user.id
		});
		await recordAudit(tx, {
			actorId: user.id,
			action: 'version.save',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: { versionId: id, label },
			ip: ctx.ip
		});
		return id;
	});
}

/**
 * Restores a version as a new change: the live document is made to read like the version through the
 * sync server, so connected editors see it happen, and the text just before is kept as a version of
 * its own. The restored text is attributed to the user who restored it; unchanged text keeps its authors.
 */
export async function restoreVersion(
	ctx: CommandContext,
	draftId: string,
	versionId: string
): Promise<{ backupId: string }> {
	const { db, docs, user } = ctx;
	const d = await loadHistoryDraft(db, user, draftId);
	requireWriter(user, d, 'återställa en version medan utkastet skrivs.');
	const version = await loadVersion(db, draftId, versionId);
	const docName = draftDocName(draftId);
	// The restorer is recorded as the writer of the re-created text before it exists.
	const clientId = randomClientId();
	await db.insert(syncClientUsers).values({ docName, clientId, userId: user.id }).onConflictDoNothing();
	let before: { state: Uint8Array; content: DraftContent } | null = null;
	await docs.writeDoc(docName, (doc) => {
		// Read in the same synchronous step as the change: no edit can fall between the two.
		before = { state: Y.encodeStateAsUpdate(doc), content: withoutControlChars(projectDraft(doc)) };
		Y.applyUpdate(doc, revertUpdate(doc, version.state, clientId));
	});
	const prior = before as { state: Uint8Array; content: DraftContent } | null;
	if (!prior) throw new Error('the restore did not run');
	return db.transaction(async (tx) => {
		const backupId = await insertSnapshot(tx, {
			draftId,
			kind: 'before_restore',
			state: prior.state,
			content: prior.content,
			createdBy: user.id,
			restoredFrom: versionId
		});
		await recordAudit(tx, {
			actorId: user.id,
			action: 'version.restore',
			bodyId: d.bodyId,
			partyId: d.draft.ownerPartyId,
			subjectType: 'draft',
			subjectId: draftId,
			details: { versionId, kind: version.kind, label: version.label, backupId },
			ip: ctx.ip
		});
		return { backupId };
	});
}

// ---- attribution -----------------------------------------------------------------------------------

export interface DraftAttribution extends Attribution {
	/** every Yjs client recorded for the document → index into authors, for the live editor */
	clients: Record<string, number>;
	/** clients claimed by more than one user: their author is not certain */
	uncertainClients: string[];
}

/** Who wrote which part of the live text, from the clients recorded when the sync server accepted updates. */
export async function draftAttribution(
	db: Db,
	docs: Pick<DraftDocs, 'readDoc'>,
	d: LoadedDraft
): Promise<DraftAttribution> {
	const docName = draftDocName(d.draft.id);
	const doc = await docs.readDoc(docName);
	let parts;
	try {
		parts = draftRuns(doc);
	} finally {
		doc.destroy();
	}
	const rows = await db
		.select({ clientId: syncClientUsers.clientId, userId: syncClientUsers.userId })
		.from(syncClientUsers)
		.where(eq(syncClientUsers.docName, docName))
		.orderBy(syncClientUsers.firstSeenAt);
	const owners = new Map<number, string[]>();
	for (const r of rows) owners.set(r.clientId, [...(owners.get(r.clientId) ?? []), r.userId]);
	const userIds = [...new Set(rows.map((r) => r.userId))];
	const names = userIds.length
		? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))
		: [];
	const partyRows = userIds.length
		? await db
				.select({ userId: memberships.userId, partyId: memberships.partyId })
				.from(memberships)
				.where(
					and(eq(memberships.bodyId, d.bodyId), inArray(memberships.userId, userIds), isNotNull(memberships.partyId))
				)
		: [];
	const nameOf = new Map(names.map((n) => [n.id, n.name]));
	const partyOf = new Map(partyRows.map((p) => [p.userId, p.partyId]));
	const people = new Map(
		userIds.map((id) => [id, { name: nameOf.get(id) ?? 'Okänd användare', partyId: partyOf.get(id) ?? null }])
	);
	const result = attribute(parts, owners, people);
	const index = new Map(result.authors.map((a, i) => [a.userId, i]));
	const clients: Record<string, number> = {};
	const uncertainClients: string[] = [];
	for (const [client, ids] of owners) {
		const i = index.get([...ids].sort()[0]);
		if (i === undefined) continue;
		clients[String(client)] = i;
		if (ids.length > 1) uncertainClients.push(String(client));
	}
	return { ...result, clients, uncertainClients };
}
