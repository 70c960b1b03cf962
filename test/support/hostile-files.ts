import { Deflate, strToU8, Zip, ZipDeflate, zipSync } from 'fflate';

/**
 * Files a hostile or careless uploader could send to the baseline import: a DOCX that inflates to
 * hundreds of megabytes, PDFs broken in the ways real tools break them, and sizes far past the limit.
 * Built in memory from a few kilobytes of source; nothing here needs a fixture on disk.
 */

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const docHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`;
const docTail = `</w:body></w:document>`;
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/** A well-formed DOCX with these paragraphs (a control: the importer reads it). */
export function smallDocx(paragraphs: string[]): Uint8Array {
	return zipSync({
		'[Content_Types].xml': strToU8(contentTypes),
		'_rels/.rels': strToU8(rels),
		'word/document.xml': strToU8(docHead + paragraphs.map(paragraph).join('') + docTail)
	});
}

/**
 * A zip bomb in DOCX clothing: word/document.xml inflates to `megabytes` MB of paragraphs while the
 * file itself stays a few hundred kilobytes. Built by streaming, so the test never holds the
 * inflated text either.
 */
export function zipBombDocx(megabytes: number): Uint8Array {
	const out: Uint8Array[] = [];
	const zip = new Zip((err, data) => {
		if (err) throw err;
		out.push(data);
	});
	for (const [name, text] of [
		['[Content_Types].xml', contentTypes],
		['_rels/.rels', rels]
	] as const) {
		const f = new ZipDeflate(name, { level: 9 });
		zip.add(f);
		f.push(strToU8(text), true);
	}
	const doc = new ZipDeflate('word/document.xml', { level: 9 });
	zip.add(doc);
	doc.push(strToU8(docHead));
	const chunk = strToU8(paragraph('Kommunstyrelsen får i uppdrag att ').repeat(Math.ceil((1024 * 1024) / 60)));
	for (let written = 0; written < megabytes * 1024 * 1024; written += chunk.length) doc.push(chunk);
	doc.push(strToU8(docTail), true);
	zip.end();
	return new Uint8Array(Buffer.concat(out));
}

const pdf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** PDFs broken the ways real files are: truncated, garbage, lying about lengths, looping page trees. */
export function malformedPdfs(): Record<string, Uint8Array> {
	const valid = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj
4 0 obj << /Length 44 >> stream
BT /F1 12 Tf 72 712 Td (Kommunstyrelsen) Tj ET
endstream endobj
trailer << /Root 1 0 R >>
%%EOF`;
	return {
		'only the header': pdf('%PDF-1.7\n'),
		'header and garbage': pdf('%PDF-1.4\n' + '\u00ff\u00fe\u0000garbage'.repeat(2000)),
		truncated: pdf(valid.slice(0, Math.floor(valid.length / 2))),
		'stream length far past the end': pdf(valid.replace('/Length 44', '/Length 999999999')),
		'page tree that contains itself': pdf(
			valid.replace('/Kids [3 0 R] /Count 1', '/Kids [2 0 R 3 0 R] /Count 1000000000')
		),
		'object that refers to itself': pdf(valid.replace('/Contents 4 0 R', '/Contents 5 0 R') + '\n5 0 obj 5 0 R endobj'),
		'compressed stream that is not deflate': pdf(valid.replace('/Length 44 >>', '/Length 44 /Filter /FlateDecode >>')),
		'xref pointing nowhere': pdf(valid.replace('trailer', 'xref\n0 5\n9999999999 00000 n \ntrailer'))
	};
}

/**
 * A PDF whose one page's content stream is a Flate bomb: `megabytes` MB of text operators from a few
 * hundred kilobytes of file.
 */
export function pdfBomb(megabytes: number): Uint8Array {
	const parts: Uint8Array[] = [];
	const deflate = new Deflate({ level: 9 }, (data) => parts.push(data));
	const chunk = strToU8('BT /F1 12 Tf 72 712 Td (Kommunstyrelsen) Tj ET\n'.repeat(20_000));
	for (let written = 0; written < megabytes * 1024 * 1024; written += chunk.length) deflate.push(chunk);
	deflate.push(new Uint8Array(), true);
	const stream = Buffer.concat(parts);
	const head = Buffer.from(
		`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj
4 0 obj << /Length ${stream.length} /Filter /FlateDecode >> stream
`,
		'latin1'
	);
	const tail = Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF', 'latin1');
	return new Uint8Array(Buffer.concat([head, stream, tail]));
}
