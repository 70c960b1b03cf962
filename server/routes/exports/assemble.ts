import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import {
	bodies,
	cases,
	draftParties,
	drafts,
	draftVersions,
	syncDocs,
	type BaselineVersionStatus
} from '../../../db/schema';
import { targetText } from '../../domain/amendment-targets';
import { findItem, type BaselineItem } from '../../domain/baseline';
import { projectDraft, type AmendmentContent, type DraftContent } from '../../domain/draft-doc';
import { swedishDate } from '../../domain/positions/rules';
import { conflict, notFound } from '../../errors';
import type {
	CasePackage,
	DecisionMatrix,
	ExportAmendment,
	ExportDocument,
	ExportParty,
	ExportSignatory
} from '../../export/model';
import { loadMeeting, loadPositionsCase, type ProjectionReader } from '../../commands/positions-context';
import { visiblePositionRows } from '../../commands/positions';
import { presentMatrix } from '../../presenters/positions';
import { presentMeeting } from '../../presenters/positions-meeting';
import { getBaseline, listVersions, loadTree } from '../../import/store';
import { draftThing, loadReadableDraft } from '../../commands/drafts-access';
import { latestVersion, partyInfos, type DraftDocs } from '../../commands/drafts';
import { can, type Principal } from '../../policies';
import { draftDocName } from '../../presenters/draft';
import { storedSignatories } from '../drafts/signatories';

/**
 * Turns stored drafts into the export model. A submitted draft is exported from its frozen version,
 * never from the live document; an unsubmitted one only to its own parties and marked UTKAST; a
 * withdrawn one not at all. Everything read here has passed `can()` first.
 */

export interface ExportDeps {
	db: Db;
	sync: Pick<DraftDocs, 'readDoc'> & ProjectionReader;
}

type CaseRow = typeof cases.$inferSelect;

async function partyNames(db: Db): Promise<(id: string) => ExportParty> {
	const rows = await partyInfos(db);
	const byId = new Map(rows.map((p) => [p.id, p.name]));
	return (id) => ({ id, name: byId.get(id) ?? id });
}

/** "Stadsledningskontoret" → "stadsledningskontorets förslag" */
function sourceOf(issuer: string | undefined): string {
	if (!issuer?.trim()) return 'förslaget';
	const name = issuer.trim();
	const lower = /^\p{Lu}\p{Ll}/u.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
	return `${lower}${/s$/i.test(lower) ? '' : 's'} förslag`;
}

const nouns: Partial<Record<BaselineItem['kind'], string>> = {
	section: 'Avsnittet',
	goal: 'Målet',
	direction: 'Inriktningen',
	assignment: 'Uppdraget',
	table: 'Tabellen',
	table_row: 'Raden',
	risk: 'Riskområdet',
	control: 'Kontrollområdet',
	timeplan_row: 'Raden i tidplanen',
	paragraph: 'Stycket',
	list_item: 'Listpunkten'
};

function shortQuote(text: string, words = 12): string {
	const all = text.replace(/\s+/g, ' ').trim().split(' ');
	return `”${all.slice(0, words).join(' ')}${all.length > words ? ' …' : ''}”`;
}

/** How the document names the item an amendment changes, e.g. "Punkt 1 i stadsledningskontorets förslag till beslut". */
export function itemReference(item: BaselineItem | undefined, issuer?: string): string {
	const source = sourceOf(issuer);
	if (!item) return `En del av ${source} som inte längre finns i underlaget`;
	if (item.kind === 'decision_point') return `Punkt ${item.label ?? '?'} i ${source} till beslut`;
	const noun = nouns[item.kind] ?? 'Texten';
	const name = item.title || item.text;
	return `${noun}${item.label ? ` ${item.label}` : ''}${name ? ` ${shortQuote(name)}` : ''} i ${source}`;
}

/**
 * Finds the baseline item each amendment was written against: in the version it names when that
 * version was published, otherwise in the version in force now.
 */
async function amendmentResolver(db: Db, caseId: string) {
	const baseline = await getBaseline(db, caseId);
	const shown: BaselineVersionStatus[] = ['published', 'superseded'];
	const versions = baseline ? (await listVersions(db, baseline.id)).filter((v) => shown.includes(v.status)) : [];
	const current = versions.find((v) => v.status === 'published');
	const trees = new Map<string, Promise<BaselineItem[]>>();
	const tree = (id: string) => {
		if (!trees.has(id)) trees.set(id, loadTree(db, id));
		return trees.get(id) as Promise<BaselineItem[]>;
	};
	return async (a: AmendmentContent, parties: ExportParty[]): Promise<ExportAmendment> => {
		const named = versions.find((v) => v.number === a.baselineVersion);
		let version = named ?? current;
		let item = version ? findItem(await tree(version.id), a.baselineItemId) : undefined;
		if (!item && current && version !== current) {
			version = current;
			item = findItem(await tree(current.id), a.baselineItemId);
		}
		const values = item?.values ?? {};
		const columns = item?.columns ?? Object.keys(values);
		return {
			id: a.id,
			op: a.op,
			target: {
				itemId: a.baselineItemId,
				reference: `${itemReference(item, version?.meta.issuer)}${a.field ? `, avsnittet ”${a.field}”` : ''}`
			},
			// An amendment of a named part (a goal's planning text) is measured against that part.
			baselineText: a.op === 'insert_after' || !item ? '' : targetText(item, a.field),
			newText: a.op === 'strike' ? '' : a.text,
			...(a.op === 'amounts'
				? {
						baselineText: item?.title ?? '',
						amounts: [...new Set([...columns, ...Object.keys(a.values)])]
							.filter((column) => column in a.values)
							.map((column) => ({ column, from: values[column] ?? null, to: a.values[column] }))
					}
				: {}),
			parties
		};
	};
}

/** What one exported document is made of. */
interface DocumentParts {
	c: CaseRow;
	bodyName: string;
	d: { id: string; kind: ExportDocument['kind'] };
	content: DraftContent;
	partyIds: readonly string[];
	/** when it was submitted, or (a draft) when it last changed */
	date: Date;
	/** an unsubmitted draft, marked UTKAST */
	draft: boolean;
	party: (id: string) => ExportParty;
	resolve: Awaited<ReturnType<typeof amendmentResolver>>;
	signed: readonly { name: string; partyId: string }[];
}

async function documentOf({
	c,
	bodyName,
	d,
	content,
	partyIds,
	date,
	draft,
	party,
	resolve,
	signed
}: DocumentParts): Promise<ExportDocument> {
	const parties = partyIds.map(party);
	// Only signatories of the parties behind this text: a party that left took its members with it.
	const signatories: ExportSignatory[] = signed
		.filter((s) => partyIds.includes(s.partyId))
		.map((s) => ({ name: s.name, partyId: s.partyId }));
	return {
		id: d.id,
		kind: d.kind,
		draft,
		date: swedishDate(date),
		body: bodyName,
		parties,
		caseNumber: c.caseNumber,
		caseTitle: c.title,
		...(c.meetingDate ? { meetingDate: c.meetingDate } : {}),
		...(c.agendaNumber ? { agendaNumber: c.agendaNumber } : {}),
		title: content.title.trim() || c.title,
		points: content.points.filter((p) => p.text.trim()),
		motivation: content.body,
		signatories,
		amendments: await Promise.all(content.amendments.map((a) => resolve(a, parties)))
	};
}

async function caseRow(db: Db, caseId: string): Promise<CaseRow> {
	const [c] = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
	if (!c) throw notFound('Ärendet hittades inte.');
	return c;
}

/**
 * When an unsubmitted draft last changed: its text (the sync log's last append to its document) or
 * its parties (the row). Never the time of the export: the same draft gives the same file on any day.
 */
async function lastChange(db: Db, row: { id: string; updatedAt: Date }): Promise<Date> {
	const [doc] = await db
		.select({ updatedAt: syncDocs.updatedAt })
		.from(syncDocs)
		.where(eq(syncDocs.name, draftDocName(row.id)))
		.limit(1);
	return doc && doc.updatedAt > row.updatedAt ? doc.updatedAt : row.updatedAt;
}

/** One draft as its reader may export it. */
export async function draftExportModel(deps: ExportDeps, user: Principal, draftId: string): Promise<ExportDocument> {
	const { db } = deps;
	const d = await loadReadableDraft(db, user, draftId);
	if (d.draft.status === 'withdrawn') {
		throw conflict('Ett återtaget dokument kan inte exporteras.', 'draft_withdrawn');
	}
	const c = await caseRow(db, d.draft.caseId);
	const party = await partyNames(db);
	const resolve = await amendmentResolver(db, c.id);
	const signed = (await storedSignatories(db, [d.draft.id])).get(d.draft.id) ?? [];
	if (d.draft.status === 'submitted') {
		const version = await latestVersion(db, d.draft.id);
		if (!version) throw notFound('Den inlämnade versionen hittades inte.');
		return documentOf({
			c,
			bodyName: d.bodyName,
			d: d.draft,
			content: version.content,
			partyIds: version.partyIds,
			date: version.submittedAt,
			draft: false,
			party,
			resolve,
			signed
		});
	}
	const content = projectDraft(await deps.sync.readDoc(draftDocName(d.draft.id)));
	return documentOf({
		c,
		bodyName: d.bodyName,
		d: d.draft,
		content,
		partyIds: d.parties.map((p) => p.partyId),
		date: await lastChange(db, d.draft),
		draft: true,
		party,
		resolve,
		signed
	});
}

/**
 * The case package: every submitted document of the case, from its frozen version, in the order
 * they were submitted. Drafts, shared drafts and withdrawn documents are not read at all.
 */
export async function casePackageModel(deps: ExportDeps, user: Principal, caseId: string): Promise<CasePackage> {
	const { db } = deps;
	const c = await caseRow(db, caseId);
	// A case in another body answers exactly like a missing one.
	if (!can(user, 'read', { type: 'case', bodyId: c.bodyId })) throw notFound('Ärendet hittades inte.');
	const [body] = await db.select({ name: bodies.name }).from(bodies).where(eq(bodies.id, c.bodyId)).limit(1);
	const bodyName = body?.name ?? 'Kommunstyrelsen';

	const rows = await db
		.select()
		.from(drafts)
		.where(and(eq(drafts.caseId, c.id), eq(drafts.status, 'submitted')))
		.orderBy(asc(drafts.submittedAt), asc(drafts.id));
	const ids = rows.map((r) => r.id);
	const partyRows = ids.length
		? await db.select().from(draftParties).where(inArray(draftParties.draftId, ids)).orderBy(asc(draftParties.position))
		: [];
	const versionRows = ids.length
		? await db.select().from(draftVersions).where(inArray(draftVersions.draftId, ids))
		: [];
	const party = await partyNames(db);
	const resolve = await amendmentResolver(db, c.id);
	const signedBy = await storedSignatories(db, ids);

	const documents: ExportDocument[] = [];
	for (const row of rows) {
		const thing = draftThing({
			draft: row,
			parties: partyRows.filter((p) => p.draftId === row.id),
			bodyId: c.bodyId,
			bodyName,
			caseTitle: c.title,
			caseNumber: c.caseNumber,
			meetingDate: c.meetingDate,
			agendaNumber: c.agendaNumber
		});
		// Asked although every submitted draft is public in the body: exports decide through can() like the rest.
		if (thing.status !== 'submitted' || !can(user, 'read', thing)) continue;
		const version = versionRows
			.filter((v) => v.draftId === row.id)
			.reduce<(typeof versionRows)[number] | null>((a, v) => (!a || v.version > a.version ? v : a), null);
		if (!version) continue;
		documents.push(
			await documentOf({
				c,
				bodyName,
				d: row,
				content: version.content,
				partyIds: version.partyIds,
				date: version.submittedAt,
				draft: false,
				party,
				resolve,
				signed: signedBy.get(row.id) ?? []
			})
		);
	}
	const last = rows.reduce((at, r) => (r.submittedAt && r.submittedAt > at ? r.submittedAt : at), c.createdAt);
	return {
		id: `package-${c.id}`,
		body: bodyName,
		// The latest submission dates the package: the same documents give the same file on any day.
		date: swedishDate(last),
		...(c.meetingDate ? { meetingDate: c.meetingDate } : {}),
		items: [
			{
				caseId: c.id,
				caseNumber: c.caseNumber,
				title: c.title,
				...(c.agendaNumber ? { agendaNumber: c.agendaNumber } : {}),
				documents,
				...(await positionsForPackage(deps, user, c.id))
			}
		]
	};
}

/**
 * The decision matrix and, once the meeting is closed, the protocol summary. Only what is public
 * goes into the package: positions recorded at the meeting or published by their party — a party's
 * planned positions never, whoever asks for the package.
 */
async function positionsForPackage(
	deps: ExportDeps,
	user: Principal,
	caseId: string
): Promise<{ matrix?: DecisionMatrix; protocol?: string }> {
	const snap = await loadPositionsCase(deps.db, deps.sync, user, caseId);
	const [visible, meeting] = await Promise.all([
		visiblePositionRows(deps.db, user, snap),
		loadMeeting(deps.db, caseId)
	]);
	const publicRows = visible.filter((r) => r.stage === 'recorded' || r.publishedAt);
	const out: { matrix?: DecisionMatrix; protocol?: string } = {};
	if (publicRows.length > 0) {
		const m = presentMatrix(snap, publicRows, meeting.record, {});
		out.matrix = {
			parties: snap.parties.filter((p) => m.parties.includes(p.id)).map((p) => ({ id: p.id, name: p.name })),
			rows: m.rows.map((r) => ({
				id: r.key,
				label: r.label,
				cells: Object.fromEntries(Object.entries(r.cells).map(([party, cell]) => [party, cell.label]))
			}))
		};
	}
	if (meeting.record.closedAt) {
		out.protocol = presentMeeting(snap, meeting, publicRows, new Map(), false).summary;
	}
	return out;
}
