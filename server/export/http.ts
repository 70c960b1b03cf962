import { documentTypeLabels, joinSwedish, type CasePackage, type ExportDocument } from './model';

/** File names, content types and Content-Disposition for downloads. */

export const exportFormats = ['docx', 'pdf', 'md', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const contentTypes: Record<ExportFormat, string> = {
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	pdf: 'application/pdf',
	md: 'text/markdown; charset=utf-8',
	html: 'text/html; charset=utf-8'
};

/** Longest name before the extension; file systems allow 255 bytes, and å is two of them in UTF-8. */
const MAX_NAME = 120;

/**
 * A name any file system accepts: no path separators, no characters Windows refuses, no control
 * characters, no leading or trailing dots or spaces; cut on a whole character.
 */
export function safeFileName(name: string): string {
	const cleaned = name
		.normalize('NFC')
		.replace(/[\p{Cc}\p{Cf}]/gu, '')
		.replace(/[\\/:*?"<>|]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^[.\s]+|[.\s]+$/g, '');
	const chars = Array.from(cleaned);
	if (chars.length <= MAX_NAME) return cleaned || 'Dokument';
	// Cut at a word boundary when there is one near the end, so the name does not end mid-word.
	const head = chars.slice(0, MAX_NAME + 1).join('');
	const space = head.lastIndexOf(' ');
	const cut = space > head.length - 30 ? head.slice(0, space) : Array.from(head).slice(0, MAX_NAME).join('');
	return cut.replace(/[.\s–-]+$/, '') || 'Dokument';
}

/** "Yrkande SD – Budget 2025 för kommunstyrelsen.docx"; a draft says so in its name too. */
export function documentFileName(doc: ExportDocument, format: ExportFormat): string {
	const type = documentTypeLabels[doc.kind];
	const parties = joinSwedish(doc.parties.map((p) => p.id));
	const name = `${type} ${parties} – ${doc.caseTitle}${doc.draft ? ' (utkast)' : ''}`;
	return `${safeFileName(name)}.${format}`;
}

/** "Ärendepaket – Budget 2025 för kommunstyrelsen.pdf", or by meeting when it holds several items. */
export function packageFileName(pkg: CasePackage, format: ExportFormat): string {
	const name =
		pkg.items.length === 1
			? `Ärendepaket – ${pkg.items[0].title}`
			: `Ärendepaket ${pkg.body}${pkg.meetingDate ? ` ${pkg.meetingDate}` : ''}`;
	return `${safeFileName(name)}.${format}`;
}

/** For clients that ignore filename*: å ä ö lose their marks, dashes become hyphens, the rest "_". */
export function asciiFileName(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/[\u2010-\u2015\u2212]/g, '-')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\%;]/g, '_');
}

/** RFC 5987 ext-value: UTF-8, percent-encoded, attr-chars left as they are. */
export function encodeRfc5987(value: string): string {
	return encodeURIComponent(value).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
	);
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the Swedish name, with an ASCII fallback. */
export function contentDisposition(fileName: string): string {
	return `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
