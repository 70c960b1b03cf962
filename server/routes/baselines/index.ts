import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../../db/client';
import type { baselineVersions } from '../../../db/schema';
import { checkCase } from '../../commands/amendments';
import type { AppEnv } from '../../context';
import { type BaselineItem, checkTableSums, countByKind, walkItems } from '../../domain/baseline';
import { diffVersions } from '../../domain/baseline-diff';
import { badRequest, forbidden, notFound, payloadTooLarge, unprocessable } from '../../errors';
import { ExtractError, extractText } from '../../import/extract';
import { toData } from '../../import/party-documents';
import {
	discardDraft,
	editDraft,
	getBaseline,
	importBaseline,
	listVersions,
	loadTree,
	mergeWithNext,
	patchItem,
	publishDraft,
	splitItem,
	versionWithStatus
} from '../../import/store';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can, type Principal } from '../../policies';
import { loadReadableCase } from '../cases/loaders';
import {
	MAX_UPLOAD_BYTES,
	caseParam,
	diffQuery,
	itemParam,
	itemPatchSchema,
	splitSchema,
	versionParam
} from './schema';

/** Where files are uploaded; the app's 1 MB limit for JSON bodies does not apply there. */
export const BASELINE_UPLOAD_PATH = /^\/api\/cases\/[^/]+\/baseline\/imports\/?$/;

type VersionRow = typeof baselineVersions.$inferSelect;

const statusLabels = { draft: 'Ej publicerad', published: 'Publicerad', superseded: 'Ersatt' } as const;

function presentVersion(v: VersionRow) {
	return {
		id: v.id,
		number: v.number,
		status: v.status,
		statusLabel: statusLabels[v.status],
		sourceName: v.sourceName,
		sourceKind: v.sourceKind,
		createdAt: v.createdAt,
		publishedAt: v.publishedAt,
		meta: v.meta,
		warnings: v.warnings
	};
}

function presentTree(items: BaselineItem[]) {
	const sums = [];
	for (const { item } of walkItems(items)) {
		if (item.kind === 'table') sums.push({ tableId: item.id, checks: checkTableSums(item) });
	}
	return { items, counts: countByKind(items), sums };
}

async function caseFor(db: Db, user: Principal, caseId: string) {
	const row = await loadReadableCase(db, user, caseId);
	return { row, canManage: can(user, 'manage', { type: 'case', bodyId: row.case.bodyId }) };
}

async function managedCase(db: Db, user: Principal, caseId: string) {
	const found = await caseFor(db, user, caseId);
	if (!found.canManage) throw forbidden('Endast nämndsekreteraren kan importera och publicera underlag.');
	return found;
}

/** A version the user may see: drafts only for those who manage the case. */
async function visibleVersion(db: Db, caseId: string, number: number, canManage: boolean) {
	const baseline = await getBaseline(db, caseId);
	const versions = baseline ? await listVersions(db, baseline.id) : [];
	const v = versions.find((x) => x.number === number);
	if (!v || (v.status === 'draft' && !canManage)) throw notFound('Versionen finns inte.');
	return { v, versions };
}

async function draftView(db: Db, caseId: string) {
	const baseline = await getBaseline(db, caseId);
	const draft = baseline ? await versionWithStatus(db, baseline.id, 'draft') : null;
	if (!draft) throw notFound('Det finns ingen opublicerad version.');
	return { version: presentVersion(draft), ...presentTree(await loadTree(db, draft.id)) };
}

export const baselineRoutes = new Hono<AppEnv>()
	.use('*', async (c, next) => {
		try {
			await next();
		} finally {
			// @hono/node-server ends a keep-alive socket whose request body was left unread (a refused
			// upload, a POST without body), and the client's next request on it fails. Read what is left,
			// unless it is an upload too large to read at all.
			const length = Number(c.req.header('content-length') ?? 0);
			if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !c.req.raw.bodyUsed && length <= MAX_UPLOAD_BYTES) {
				await c.req.raw.arrayBuffer().catch(() => undefined);
			}
		}
	})
	.get('/', validate('param', caseParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		const { canManage } = await caseFor(db, user, caseId);
		const baseline = await getBaseline(db, caseId);
		const versions = baseline ? await listVersions(db, baseline.id) : [];
		const published = versions.find((v) => v.status === 'published') ?? null;
		const draft = canManage ? (versions.find((v) => v.status === 'draft') ?? null) : null;
		return c.json({
			published: published
				? { version: presentVersion(published), ...presentTree(await loadTree(db, published.id)) }
				: null,
			draft: draft ? presentVersion(draft) : null,
			versions: versions.filter((v) => canManage || v.status !== 'draft').map(presentVersion),
			viewer: { canManage }
		});
	})
	.get('/draft', validate('param', caseParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		return c.json(await draftView(db, caseId));
	})
	.get('/versions/:number', validate('param', versionParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, number } = c.req.valid('param');
		const { canManage } = await caseFor(db, user, caseId);
		const { v } = await visibleVersion(db, caseId, number, canManage);
		return c.json({ version: presentVersion(v), ...presentTree(await loadTree(db, v.id)), sourceText: v.sourceText });
	})
	.get('/versions/:number/diff', validate('param', versionParam), validate('query', diffQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, number } = c.req.valid('param');
		const { against } = c.req.valid('query');
		const { canManage } = await caseFor(db, user, caseId);
		const { v, versions } = await visibleVersion(db, caseId, number, canManage);
		const other = against
			? versions.find((x) => x.number === against && (canManage || x.status !== 'draft'))
			: versions.find((x) => x.number < number && x.status !== 'draft');
		if (!other) throw notFound('Det finns ingen version att jämföra med.');
		const diff = diffVersions(await loadTree(db, other.id), await loadTree(db, v.id));
		return c.json({ from: presentVersion(other), to: presentVersion(v), ...diff });
	})
	.get('/party-documents', validate('param', caseParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await caseFor(db, user, caseId);
		const baseline = await getBaseline(db, caseId);
		const published = baseline ? await versionWithStatus(db, baseline.id, 'published') : null;
		return c.json({ documents: (published?.partyDocuments ?? []).map(toData) });
	})
	.post(
		'/imports',
		validate('param', caseParam),
		bodyLimit({
			maxSize: MAX_UPLOAD_BYTES,
			onError: () => {
				throw payloadTooLarge(
					`Filen är för stor (högst ${MAX_UPLOAD_BYTES / 1024 / 1024} MB). Ett tjänsteutlåtande med bilagor är sällan över några MB.`
				);
			}
		}),
		async (c) => {
			const user = requireUser(c);
			const { db } = c.get('deps');
			const { caseId } = c.req.valid('param');
			await managedCase(db, user, caseId);
			const rawName = c.req.header('x-file-name') ?? c.req.query('name') ?? 'underlag';
			let sourceName: string;
			try {
				sourceName = decodeURIComponent(rawName).slice(0, 200);
			} catch {
				throw badRequest('x-file-name: ogiltigt filnamn');
			}
			const bytes = new Uint8Array(await c.req.arrayBuffer());
			let extracted;
			try {
				extracted = await extractText(bytes);
			} catch (err) {
				if (err instanceof ExtractError) throw unprocessable(err.message, err.code);
				throw err;
			}
			const outcome = await importBaseline(db, caseId, {
				sourceName,
				sourceKind: extracted.kind,
				text: extracted.text,
				userId: user.id
			});
			const body = {
				outcome: outcome.status,
				version: presentVersion(outcome.version),
				counts: countByKind(outcome.parsed.items),
				partyDocuments: outcome.parsed.partyDocuments.length,
				warnings: outcome.parsed.warnings,
				changes: outcome.status === 'created' && outcome.diff ? outcome.diff.summary : null
			};
			return c.json(body, outcome.status === 'created' ? 201 : 200);
		}
	)
	.patch('/draft/items/:itemId', validate('param', itemParam), validate('json', itemPatchSchema), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, itemId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		const patch = c.req.valid('json');
		await editDraft(db, caseId, (items) => patchItem(items, itemId, patch));
		return c.json(await draftView(db, caseId));
	})
	.post('/draft/items/:itemId/split', validate('param', itemParam), validate('json', splitSchema), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, itemId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		const { at } = c.req.valid('json');
		await editDraft(db, caseId, (items) => splitItem(items, itemId, at));
		return c.json(await draftView(db, caseId));
	})
	.post('/draft/items/:itemId/merge', validate('param', itemParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId, itemId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		await editDraft(db, caseId, (items) => mergeWithNext(items, itemId));
		return c.json(await draftView(db, caseId));
	})
	.post('/draft/publish', validate('param', caseParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		const version = await publishDraft(db, caseId, user.id);
		// Every amendment is checked against the new wording now; the views check again should this fail.
		const { sync, live, log } = c.get('deps');
		await checkCase({ db, sync, live }, caseId).catch((err) => log('amendment check after publish failed', err));
		return c.json({ version: presentVersion(version) });
	})
	.delete('/draft', validate('param', caseParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { caseId } = c.req.valid('param');
		await managedCase(db, user, caseId);
		await discardDraft(db, caseId);
		return c.body(null, 204);
	});
