import { inArray } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { users } from '../../../db/schema';
import type { Db } from '../../../db/client';
import type { CommandContext } from '../../commands/drafts';
import { draftThing } from '../../commands/drafts-access';
import {
	compare,
	draftAttribution,
	listVersions,
	loadHistoryDraft,
	loadVersion,
	restoreVersion,
	saveVersion,
	type VersionMeta
} from '../../commands/versions';
import type { AppEnv } from '../../context';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { can } from '../../policies';
import { compareQuery, draftParam, saveVersionSchema, versionParam } from './schema';

function commandContext(c: Context<AppEnv>): CommandContext {
	const deps = c.get('deps');
	return { db: deps.db, docs: deps.sync, user: requireUser(c), ip: c.get('clientIp') };
}

async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
	const wanted = [...new Set(ids.filter((x): x is string => !!x))];
	if (wanted.length === 0) return new Map();
	const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Exactly what leaves the server about a version; the stored Yjs state never does. */
function presentMeta(v: VersionMeta, names: Map<string, string>) {
	return {
		id: v.id,
		kind: v.kind,
		kindLabel: v.kindLabel,
		label: v.label,
		createdAt: v.createdAt.toISOString(),
		createdBy: v.createdBy ? (names.get(v.createdBy) ?? 'Okänd användare') : null,
		editors: v.editors.map((e) => names.get(e) ?? 'Okänd användare'),
		restoredFrom: v.restoredFrom
	};
}

/**
 * A draft's history: its named versions, each open read-only, any two compared, one restored as a
 * new change; and who wrote which part. Mounted at /api/drafts/:draftId.
 */
export const versionRoutes = new Hono<AppEnv>()
	.get('/versions', validate('param', draftParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const d = await loadHistoryDraft(db, user, c.req.valid('param').draftId);
		const versions = await listVersions(db, d.draft.id);
		const names = await userNames(
			db,
			versions.flatMap((v) => [v.createdBy, ...v.editors])
		);
		const writer = can(user, 'edit', draftThing(d));
		return c.json({
			versions: versions.map((v) => presentMeta(v, names)),
			viewer: { canSave: writer, canRestore: writer }
		});
	})
	.post('/versions', validate('param', draftParam), validate('json', saveVersionSchema), async (c) => {
		const { draftId } = c.req.valid('param');
		const id = await saveVersion(commandContext(c), draftId, c.req.valid('json').label);
		const { db } = c.get('deps');
		const { state: _state, content: _content, ...meta } = await loadVersion(db, draftId, id);
		return c.json({ version: presentMeta(meta, await userNames(db, [meta.createdBy])) }, 201);
	})
	.get('/versions/compare', validate('param', draftParam), validate('query', compareQuery), async (c) => {
		const user = requireUser(c);
		const { db, sync } = c.get('deps');
		const d = await loadHistoryDraft(db, user, c.req.valid('param').draftId);
		const { from, to } = c.req.valid('query');
		const result = await compare(db, sync, d.draft.id, from, to);
		const names = await userNames(db, [result.from?.createdBy ?? null, result.to?.createdBy ?? null]);
		return c.json({
			from: result.from ? presentMeta(result.from, names) : null,
			to: result.to ? presentMeta(result.to, names) : null,
			diff: result.diff
		});
	})
	.get('/versions/:versionId', validate('param', versionParam), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const { draftId, versionId } = c.req.valid('param');
		const d = await loadHistoryDraft(db, user, draftId);
		const { state: _state, content, ...meta } = await loadVersion(db, d.draft.id, versionId);
		const names = await userNames(db, [meta.createdBy, ...meta.editors]);
		return c.json({ version: presentMeta(meta, names), content });
	})
	.post('/versions/:versionId/restore', validate('param', versionParam), async (c) => {
		const { draftId, versionId } = c.req.valid('param');
		const { backupId } = await restoreVersion(commandContext(c), draftId, versionId);
		return c.json({ restored: versionId, backupId });
	})
	.get('/authors', validate('param', draftParam), async (c) => {
		const user = requireUser(c);
		const { db, sync } = c.get('deps');
		const d = await loadHistoryDraft(db, user, c.req.valid('param').draftId);
		const a = await draftAttribution(db, sync, d);
		return c.json({
			authors: a.authors.map((x) => ({
				userId: x.userId,
				name: x.name,
				partyId: x.partyId,
				characters: x.characters
			})),
			parts: a.parts,
			unattributed: a.unattributed,
			clients: a.clients,
			uncertainClients: a.uncertainClients
		});
	});
