import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { cases, drafts } from '../../../db/schema';
import { recordAudit } from '../../audit';
import type { AppEnv } from '../../context';
import { contentDisposition, exportCasePackage, exportDocument, type ExportFile } from '../../export';
import { requireUser } from '../../middlewares/session';
import { validate } from '../../middlewares/validate';
import { casePackageModel, draftExportModel } from './assemble';
import { casePackageParams, draftExportParams } from './schema';

/** The file as a download with its Swedish name; never cached, as the app's other answers. */
function download(c: Context<AppEnv>, file: ExportFile) {
	return c.body(new Uint8Array(file.bytes), 200, {
		'Content-Type': file.contentType,
		'Content-Disposition': contentDisposition(file.fileName),
		'Content-Length': String(file.bytes.length)
	});
}

/**
 * Downloads: one draft as DOCX, PDF, Markdown or HTML, and the case package of submitted documents.
 * Mounted at /api, beside the drafts and cases routes whose paths these extend.
 */
export const exportRoutes = new Hono<AppEnv>()
	.get('/drafts/:draftId/export/:format', validate('param', draftExportParams), async (c) => {
		const { draftId, format } = c.req.valid('param');
		const user = requireUser(c);
		const { db } = c.get('deps');
		const doc = await draftExportModel(c.get('deps'), user, draftId);
		const file = await exportDocument(doc, format);
		const [row] = await db
			.select({ bodyId: cases.bodyId, partyId: drafts.ownerPartyId })
			.from(drafts)
			.innerJoin(cases, eq(drafts.caseId, cases.id))
			.where(eq(drafts.id, draftId));
		await recordAudit(db, {
			actorId: user.id,
			action: `export.${format}`,
			bodyId: row?.bodyId,
			partyId: row?.partyId,
			subjectType: 'draft',
			subjectId: draftId,
			ip: c.get('clientIp')
		});
		return download(c, file);
	})
	.get('/cases/:caseId/package/:format', validate('param', casePackageParams), async (c) => {
		const { caseId, format } = c.req.valid('param');
		const user = requireUser(c);
		const pkg = await casePackageModel(c.get('deps'), user, caseId);
		const file = await exportCasePackage(pkg, format);
		const [row] = await c.get('deps').db.select({ bodyId: cases.bodyId }).from(cases).where(eq(cases.id, caseId));
		await recordAudit(c.get('deps').db, {
			actorId: user.id,
			action: `export.package.${format}`,
			bodyId: row?.bodyId,
			subjectType: 'case',
			subjectId: caseId,
			ip: c.get('clientIp')
		});
		return download(c, file);
	});
