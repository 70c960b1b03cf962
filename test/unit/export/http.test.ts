import { describe, expect, it } from 'vitest';
import {
	asciiFileName,
	contentDisposition,
	contentTypes,
	documentFileName,
	encodeRfc5987,
	packageFileName,
	safeFileName
} from '../../../server/export/http';
import { exportCasePackage, exportDocument } from '../../../server/export';
import { andringsyrkande, ninePartyPackage, sdYrkande } from './samples';

/** Reads filename*=UTF-8''… back as a browser does. */
function extFileName(header: string): string {
	const m = /filename\*=UTF-8''([^;]+)/.exec(header);
	if (!m) throw new Error(`no filename* in ${header}`);
	return decodeURIComponent(m[1]);
}

describe('export file names', () => {
	it('names a document by type, parties and case title', () => {
		expect(documentFileName(sdYrkande(), 'docx')).toBe('Yrkande SD – Budget 2025 för kommunstyrelsen.docx');
		expect(documentFileName(andringsyrkande(), 'pdf')).toBe(
			'Ändringsyrkande M, L och KD – Budget 2025 för kommunstyrelsen.pdf'
		);
		expect(documentFileName(sdYrkande({ draft: true, kind: 'sarskilt_yttrande' }), 'md')).toBe(
			'Särskilt yttrande SD – Budget 2025 för kommunstyrelsen (utkast).md'
		);
	});

	it('names the case package by its item, or by the meeting when it holds several', () => {
		const pkg = ninePartyPackage();
		expect(packageFileName(pkg, 'pdf')).toBe('Ärendepaket Kommunstyrelsen 2024-12-11.pdf');
		expect(packageFileName({ ...pkg, items: [pkg.items[1]] }, 'docx')).toBe(
			'Ärendepaket – Budget 2025 för kommunstyrelsen.docx'
		);
	});

	it('makes any title a safe file name', () => {
		expect(safeFileName('Budget/2025: "nya" <mål>? a|b\\c*')).toBe('Budget 2025 nya mål a b c');
		expect(safeFileName('..\u0000\u202e\ttext . ')).toBe('text');
		expect(safeFileName('...')).toBe('Dokument');
		const long = documentFileName(sdYrkande({ caseTitle: 'Åtgärd '.repeat(60) }), 'docx');
		expect(Array.from(long.replace(/\.docx$/, '')).length).toBeLessThanOrEqual(120);
		expect(long.endsWith('Åtgärd.docx')).toBe(true);
		// NFD input (as some Mac clipboards give it) becomes NFC, one code point per letter
		expect(safeFileName('Go\u0308teborg')).toBe('Göteborg');
	});
});

describe('Content-Disposition', () => {
	it('gives the Swedish name as RFC 5987 filename* and an ASCII fallback', () => {
		const name = 'Yrkande SD – Budget 2025 för kommunstyrelsen.docx';
		expect(contentDisposition(name)).toBe(
			`attachment; filename="Yrkande SD - Budget 2025 for kommunstyrelsen.docx"; ` +
				`filename*=UTF-8''Yrkande%20SD%20%E2%80%93%20Budget%202025%20f%C3%B6r%20kommunstyrelsen.docx`
		);
		expect(extFileName(contentDisposition(name))).toBe(name);
	});

	it('round-trips any name and keeps the fallback plain ASCII without quotes', () => {
		for (const name of [
			'Ändringsyrkande M, L och KD – Budget (2025) för *alla* 100 % "nya" Åre\'s.pdf',
			'Särskilt yttrande V; MP – Ärende\\1.md',
			'Протокол 議事録 😀.html'
		]) {
			const header = contentDisposition(name);
			expect(extFileName(header)).toBe(name);
			const fallback = /filename="([^"]*)"/.exec(header)?.[1] ?? '';
			expect(fallback).toMatch(/^[\x20-\x7e]+$/);
			expect(fallback).not.toMatch(/["\\%;]/);
			expect(header).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
		}
		expect(asciiFileName('Åsa Öberg – Ärende')).toBe('Asa Oberg - Arende');
		expect(encodeRfc5987("a'b(c)*")).toBe('a%27b%28c%29%2A');
	});

	it('goes with the right content type for each format', async () => {
		expect(contentTypes).toEqual({
			docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			pdf: 'application/pdf',
			md: 'text/markdown; charset=utf-8',
			html: 'text/html; charset=utf-8'
		});
		const md = await exportDocument(sdYrkande(), 'md');
		expect(md).toMatchObject({
			contentType: 'text/markdown; charset=utf-8',
			fileName: 'Yrkande SD – Budget 2025 för kommunstyrelsen.md'
		});
		expect(new TextDecoder('utf-8', { fatal: true }).decode(md.bytes)).toContain('Förslag till beslut');
		const docx = await exportDocument(sdYrkande(), 'docx');
		expect(Buffer.from(docx.bytes.subarray(0, 4)).toString('latin1')).toBe('PK\x03\x04');
		const pdf = await exportCasePackage(ninePartyPackage(), 'pdf');
		expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		expect(pdf.contentType).toBe('application/pdf');
	});
});
