import { Hono, type Context } from 'hono';
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
		const doc = await draftExportModel(c.get('deps'), requireUser(c), draftId);
		return download(c, await exportDocument(doc, format));
	})
	.get('/cases/:caseId/package/:format', validate('param', casePackageParams), async (c) => {
		const { caseId, format } = c.req.valid('param');
		const pkg = await casePackageModel(c.get('deps'), requireUser(c), caseId);
		return download(c, await exportCasePackage(pkg, format));
	});
