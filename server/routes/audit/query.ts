import { and, desc, eq, inArray, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { auditEvents, cases, comments, draftParties, drafts, memberships, parties, users } from '../../../db/schema';
import { can, partiesOf, type DraftStatus, type Principal } from '../../policies';
import { draftDocName } from '../../presenters/draft';
import type { SyncService } from '../../sync';

/**
 * Reading the audit log: who may see which entries, and how much of each.
 *
 * The clerk (nämndsekreteraren) sees every entry of the body; a party secretary sees the entries of
 * the party (and the logins of its people). An entry about another party's internal material (an
 * internal draft, a party comment, a planned position, the drafting history) reaches the clerk
 * without its subject and details: that it happened and who did it, not what it was about.
 */

export type AuditEntryRow = typeof auditEvents.$inferSelect;

/** What the viewer may read of a body's log; null when nothing. */
export interface AuditViewer {
	user: Principal;
	bodyId: string;
	/** the clerk: every entry of the body */
	all: boolean;
	/** the parties whose entries the viewer reads (as their secretary) */
	parties: string[];
}

export function auditViewer(user: Principal, bodyId: string): AuditViewer | null {
	const all = can(user, 'manage', { type: 'body', bodyId });
	const own = partiesOf(user, bodyId).filter((partyId) => can(user, 'edit', { type: 'workspace', bodyId, partyId }));
	if (!all && own.length === 0) return null;
	return { user, bodyId, all, parties: own };
}

/** Logins and other account events (no body of their own) of the people of the body, or of the parties. */
function accountEvents(viewer: AuditViewer): SQL {
	return and(
		isNull(auditEvents.bodyId),
		eq(auditEvents.subjectType, 'user'),
		inArray(auditEvents.subjectId, peopleOf(viewer))
	)!;
}

/** The users of the body, or of the viewer's parties in it. */
function peopleOf(viewer: AuditViewer) {
	return sql`(select ${memberships.userId} from ${memberships} where ${memberships.bodyId} = ${viewer.bodyId}${
		viewer.all
			? sql``
			: sql` and ${memberships.partyId} in (${sql.join(
					viewer.parties.map((p) => sql`${p}`),
					sql`, `
				)})`
	})`;
}

/** The entries of the body the viewer may see at all. */
function visibleTo(viewer: AuditViewer): SQL {
	const inBody = viewer.all
		? eq(auditEvents.bodyId, viewer.bodyId)
		: and(eq(auditEvents.bodyId, viewer.bodyId), inArray(auditEvents.partyId, viewer.parties))!;
	return or(inBody, accountEvents(viewer))!;
}

/** Entries about one case: the case itself, its drafts, positions and comments. */
function aboutCase(caseId: string): SQL {
	return or(
		and(eq(auditEvents.subjectType, 'case'), eq(auditEvents.subjectId, caseId)),
		and(
			eq(auditEvents.subjectType, 'draft'),
			inArray(auditEvents.subjectId, sql`(select ${drafts.id} from ${drafts} where ${drafts.caseId} = ${caseId})`)
		),
		and(eq(auditEvents.subjectType, 'position'), sql`${auditEvents.details}->>'caseId' = ${caseId}`),
		and(
			eq(auditEvents.subjectType, 'comment'),
			inArray(auditEvents.subjectId, sql`(select ${comments.id} from ${comments} where ${comments.caseId} = ${caseId})`)
		)
	)!;
}

/** Entries about one draft: its lifecycle, versions and exports, and the comments on it. */
function aboutDraft(draftId: string): SQL {
	return or(
		and(eq(auditEvents.subjectType, 'draft'), eq(auditEvents.subjectId, draftId)),
		and(eq(auditEvents.subjectType, 'comment'), sql`${auditEvents.details}->>'draftId' = ${draftId}`)
	)!;
}

export type AuditScope = { kind: 'body' } | { kind: 'case'; caseId: string } | { kind: 'draft'; draftId: string };

export interface AuditQuery {
	scope: AuditScope;
	/** entries older than this sequence number (paging backwards) */
	before?: number;
	limit: number;
	/** e.g. "auth", "draft", "membership": the action's first part */
	category?: string;
}

/** Drafts being written are named by their live title (the row's is set at create and submit only). */
type Projections = Pick<SyncService, 'readProjections'>;

export async function readAudit(db: Db, sync: Projections, viewer: AuditViewer, q: AuditQuery) {
	const conditions: SQL[] = [visibleTo(viewer)];
	if (q.scope.kind === 'case') conditions.push(aboutCase(q.scope.caseId));
	if (q.scope.kind === 'draft') conditions.push(aboutDraft(q.scope.draftId));
	if (q.before) conditions.push(lt(auditEvents.seq, q.before));
	if (q.category) conditions.push(like(auditEvents.action, `${q.category}.%`));
	const rows = await db
		.select()
		.from(auditEvents)
		.where(and(...conditions))
		.orderBy(desc(auditEvents.seq))
		.limit(q.limit + 1);
	const more = rows.length > q.limit;
	const page = more ? rows.slice(0, q.limit) : rows;
	return { entries: await present(db, sync, viewer, page), next: more ? page[page.length - 1].seq : null };
}

// ---- presenting ----------------------------------------------------------------------------------

/** What each action is called in the log. */
export const auditActionLabels: Record<string, string> = {
	'auth.login': 'Inloggning',
	'auth.login_failed': 'Misslyckad inloggning',
	'auth.logout_everywhere': 'Utloggning från alla enheter',
	'membership.add': 'Roll tilldelad',
	'membership.change': 'Roll ändrad',
	'membership.remove': 'Roll borttagen',
	'draft.create': 'Utkast skapat',
	'draft.share': 'Utkast delat med parti',
	'draft.unshare': 'Parti borttaget från utkast',
	'draft.signatories': 'Undertecknare ändrade',
	'draft.approve': 'Utkast godkänt',
	'draft.revoke_approval': 'Godkännande återkallat',
	'draft.submit': 'Utkast inlämnat',
	'draft.withdraw': 'Utkast återtaget',
	'version.save': 'Version sparad',
	'version.restore': 'Version återställd',
	'position.record': 'Ställningstagande antecknat',
	'position.announce': 'Planerat ställningstagande anmält vid sammanträdet',
	'position.withdraw': 'Ställningstagande återtaget',
	'position.motivation': 'Motivering till reservation',
	'position.publish': 'Planerade ställningstaganden publicerade',
	'comment.create': 'Kommentar skriven',
	'comment.reply': 'Kommentar besvarad',
	'comment.edit': 'Kommentar ändrad',
	'comment.delete': 'Kommentar borttagen',
	'meeting.open': 'Sammanträdet öppnat',
	'meeting.justering': 'Justeringsdag satt',
	'meeting.attendance': 'Närvaro antecknad',
	'meeting.propositionsordning': 'Propositionsordning',
	'meeting.lock': 'Yrkandena låsta',
	'meeting.acclamation': 'Beslut med acklamation',
	'meeting.votering': 'Votering antecknad',
	'meeting.votering.delete': 'Votering borttagen',
	'meeting.close': 'Sammanträdet avslutat'
};

export function actionLabel(action: string): string {
	if (auditActionLabels[action]) return auditActionLabels[action];
	const exp = /^export\.(package\.)?(\w+)$/.exec(action);
	if (exp) return `${exp[1] ? 'Ärendepaket exporterat' : 'Utkast exporterat'} (${exp[2].toUpperCase()})`;
	return action;
}

const subjectTypeLabels: Record<string, string> = {
	user: 'Konto',
	draft: 'Utkast',
	case: 'Ärende',
	position: 'Ställningstagande',
	comment: 'Kommentar',
	membership: 'Medlemskap'
};

/**
 * Whether the viewer may read what an entry is about. Their own parties' entries and entries of no
 * party always; another party's only when the thing is public now (a submitted draft, a recorded
 * position, a membership), never the drafting history.
 */
function readable(viewer: AuditViewer, e: AuditEntryRow, draftReadable: (draftId: string) => boolean): boolean {
	if (!e.partyId || viewer.parties.includes(e.partyId)) return true;
	if (e.action.startsWith('version.')) return false;
	switch (e.subjectType) {
		case 'draft':
			return !!e.subjectId && draftReadable(e.subjectId);
		case 'position':
			return (e.details as { stage?: unknown } | null)?.stage === 'recorded';
		case 'membership':
		case 'user':
		case 'case':
			return true;
		default:
			return false;
	}
}

async function present(db: Db, sync: Projections, viewer: AuditViewer, rows: AuditEntryRow[]) {
	const draftIds = [...new Set(rows.filter((r) => r.subjectType === 'draft' && r.subjectId).map((r) => r.subjectId!))];
	const draftRows = draftIds.length
		? await db
				.select({
					id: drafts.id,
					title: drafts.title,
					status: drafts.status,
					caseId: drafts.caseId,
					bodyId: cases.bodyId
				})
				.from(drafts)
				.innerJoin(cases, eq(drafts.caseId, cases.id))
				.where(inArray(drafts.id, draftIds))
		: [];
	const partyRows = draftIds.length
		? await db
				.select({ draftId: draftParties.draftId, partyId: draftParties.partyId })
				.from(draftParties)
				.where(inArray(draftParties.draftId, draftIds))
		: [];
	const draftById = new Map(draftRows.map((d) => [d.id, d]));
	const open = draftRows.filter((d) => d.status === 'draft' || d.status === 'shared');
	const live = open.length ? await sync.readProjections(open.map((d) => draftDocName(d.id))) : new Map();
	for (const d of open) {
		const title = (live.get(draftDocName(d.id))?.content as { title?: unknown } | undefined)?.title;
		if (typeof title === 'string' && title.trim()) d.title = title.trim();
	}
	const draftReadable = (id: string) => {
		const d = draftById.get(id);
		if (!d) return false;
		const partyIds = partyRows.filter((p) => p.draftId === id).map((p) => p.partyId);
		return can(viewer.user, 'read', { type: 'draft', bodyId: d.bodyId, partyIds, status: d.status as DraftStatus });
	};

	const userIds = new Set<string>();
	for (const r of rows) {
		if (r.actorId) userIds.add(r.actorId);
		if (r.onBehalfOfId) userIds.add(r.onBehalfOfId);
		if ((r.subjectType === 'user' || r.subjectType === 'membership') && r.subjectId) userIds.add(r.subjectId);
	}
	const names = userIds.size
		? new Map(
				(
					await db
						.select({ id: users.id, name: users.name })
						.from(users)
						.where(inArray(users.id, [...userIds]))
				).map((u) => [u.id, u.name])
			)
		: new Map<string, string>();
	const caseIds = [...new Set(rows.filter((r) => r.subjectType === 'case' && r.subjectId).map((r) => r.subjectId!))];
	const caseTitles = caseIds.length
		? new Map(
				(
					await db
						.select({ id: cases.id, title: cases.title, caseNumber: cases.caseNumber })
						.from(cases)
						.where(inArray(cases.id, caseIds))
				).map((c) => [c.id, `${c.caseNumber} ${c.title}`])
			)
		: new Map<string, string>();
	const partyNames = new Map(
		(await db.select({ id: parties.id, name: parties.name }).from(parties)).map((p) => [p.id, p.name])
	);
	const person = (id: string | null) => (id ? { id, name: names.get(id) ?? 'Borttagen användare' } : null);

	return rows.map((r) => {
		const full = readable(viewer, r, draftReadable);
		const base = {
			seq: r.seq,
			at: r.at.toISOString(),
			action: r.action,
			actionLabel: actionLabel(r.action),
			actor: person(r.actorId),
			party: r.partyId ? { id: r.partyId, name: partyNames.get(r.partyId) ?? r.partyId } : null
		};
		if (!full) {
			return {
				...base,
				onBehalfOf: null,
				subject: {
					type: r.subjectType,
					typeLabel: subjectTypeLabels[r.subjectType ?? ''] ?? null,
					id: null,
					label: null
				},
				details: null,
				redacted: true as const,
				ip: null
			};
		}
		let label: string | null = null;
		let href: string | null = null;
		if (r.subjectType === 'draft' && r.subjectId) {
			// The title as it is now: only for a draft the viewer may still read.
			const d = draftById.get(r.subjectId);
			if (d && draftReadable(d.id)) {
				label = d.title;
				href = `/cases/${d.caseId}/utkast/${d.id}`;
			}
		} else if ((r.subjectType === 'user' || r.subjectType === 'membership') && r.subjectId) {
			label = names.get(r.subjectId) ?? null;
		} else if (r.subjectType === 'case' && r.subjectId) {
			label = caseTitles.get(r.subjectId) ?? null;
			href = `/cases/${r.subjectId}`;
		}
		return {
			...base,
			onBehalfOf: person(r.onBehalfOfId),
			subject: {
				type: r.subjectType,
				typeLabel: subjectTypeLabels[r.subjectType ?? ''] ?? null,
				id: r.subjectId,
				label,
				href
			},
			details: r.details,
			redacted: false as const,
			// The address is for the clerk's investigations, not for the parties.
			ip: viewer.all ? r.ip : null
		};
	});
}
