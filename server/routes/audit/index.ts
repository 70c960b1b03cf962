import { Hono } from 'hono';
import { loadReadableDraft } from '../../commands/drafts-access';
import type { AppEnv } from '../../context';
import { forbidden } from '../../errors';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { loadReadableCase } from '../cases/loaders';
import { auditViewer, readAudit } from './query';
import { auditQuery, caseParam, draftParam } from './schema';

const NOT_YOURS = 'Loggen visas för nämndsekreteraren och partiernas sekreterare.';

/**
 * The audit trail: GET /api/cases/:caseId/audit (the case, or with scope=body the whole body) and
 * GET /api/drafts/:draftId/audit. The clerk reads all of the body's entries, a party secretary the
 * party's; anyone else who may read the case is refused with 403, anyone who may not with 404.
 */
export const auditRoutes = new Hono<AppEnv>()
	.get('/cases/:caseId/audit', validate('param', caseParam), validate('query', auditQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const row = await loadReadableCase(db, user, c.req.valid('param').caseId);
		const viewer = auditViewer(user, row.case.bodyId);
		if (!viewer) throw forbidden(NOT_YOURS);
		const q = c.req.valid('query');
		const page = await readAudit(db, c.get('deps').sync, viewer, {
			scope: q.scope === 'body' ? { kind: 'body' } : { kind: 'case', caseId: row.case.id },
			before: q.before,
			limit: q.limit,
			category: q.category
		});
		return c.json({
			...page,
			viewer: { all: viewer.all, parties: viewer.parties },
			case: { id: row.case.id, title: row.case.title, caseNumber: row.case.caseNumber, bodyName: row.bodyName }
		});
	})
	.get('/drafts/:draftId/audit', validate('param', draftParam), validate('query', auditQuery), async (c) => {
		const user = requireUser(c);
		const { db } = c.get('deps');
		const d = await loadReadableDraft(db, user, c.req.valid('param').draftId);
		const viewer = auditViewer(user, d.bodyId);
		if (!viewer) throw forbidden(NOT_YOURS);
		const q = c.req.valid('query');
		const page = await readAudit(db, c.get('deps').sync, viewer, {
			scope: { kind: 'draft', draftId: d.draft.id },
			before: q.before,
			limit: q.limit,
			category: q.category
		});
		return c.json({ ...page, viewer: { all: viewer.all, parties: viewer.parties } });
	});
