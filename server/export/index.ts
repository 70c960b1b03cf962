import { renderDocx } from './docx';
import { renderHtml } from './html';
import { contentTypes, documentFileName, packageFileName, type ExportFormat } from './http';
import { casePackageLayout, documentLayout, type Layout } from './layout';
import { renderMarkdown } from './markdown';
import type { CasePackage, ExportDocument } from './model';
import { renderPdf } from './pdf';

export { contentDisposition, exportFormats, type ExportFormat } from './http';
export type * from './model';

/** A rendered file, ready to be sent. */
export interface ExportFile {
	bytes: Uint8Array;
	contentType: string;
	fileName: string;
}

const utf8 = new TextEncoder();

/** Pure from the layout: the same layout gives the same bytes. */
export async function renderLayout(layout: Layout, format: ExportFormat): Promise<Uint8Array> {
	switch (format) {
		case 'docx':
			return renderDocx(layout);
		case 'pdf':
			return renderPdf(layout);
		case 'md':
			return utf8.encode(renderMarkdown(layout));
		case 'html':
			return utf8.encode(renderHtml(layout));
	}
}

export async function exportDocument(doc: ExportDocument, format: ExportFormat): Promise<ExportFile> {
	return {
		bytes: await renderLayout(documentLayout(doc), format),
		contentType: contentTypes[format],
		fileName: documentFileName(doc, format)
	};
}

/** Refuses (throws) when a document in the package is not submitted: see casePackageLayout. */
export async function exportCasePackage(pkg: CasePackage, format: ExportFormat): Promise<ExportFile> {
	return {
		bytes: await renderLayout(casePackageLayout(pkg), format),
		contentType: contentTypes[format],
		fileName: packageFileName(pkg, format)
	};
}
