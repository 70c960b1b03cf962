import { Document, Packer, Paragraph, Table, TableCell, TableRow, WidthType } from 'docx';
import PDFDocument from 'pdfkit';

/**
 * Real PDF and DOCX files for the import tests, written with the same libraries the export uses.
 * The PDF sets each line of a pdftotext-style text as a line on the page; a line starting with a
 * space starts a new page, as pdftotext marks them.
 */
export function pdfFromText(text: string, opts: { userPassword?: string } = {}): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({
			size: 'A4',
			margin: 50,
			...(opts.userPassword ? { userPassword: opts.userPassword } : {})
		});
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		doc.fontSize(8);
		let first = true;
		for (const raw of text.split('\n')) {
			if (/^ \S/.test(raw) && !first) doc.addPage();
			first = false;
			const line = raw.trim().replace(/\u202f/g, ' ');
			if (!line) doc.moveDown(0.8);
			else doc.text(line, { width: 520 });
		}
		doc.end();
	});
}

const p = (text: string) => new Paragraph({ text });
const cell = (...texts: string[]) => new TableCell({ children: texts.map(p) });
const row = (...cells: TableCell[]) => new TableRow({ children: cells });

/** A short ärende as a clerk would write it in Word: points, a mål, an uppdrag table, an economic table. */
export function docxArende(): Promise<Buffer> {
	const doc = new Document({
		sections: [
			{
				children: [
					p('Budget 2025 för kommunstyrelsen'),
					p('Förslag till beslut'),
					p('I kommunstyrelsen'),
					p('1. Stadsledningskontorets förslag till budget 2025 för kommunstyrelsen fastställs.'),
					p('2. Stadsledningskontorets förslag till tidplan fastställs.'),
					p('Sammanfattning'),
					p(
						'Stadsledningskontoret har tagit fram förslag till budget 2025 för kommunstyrelsen som nämnd utifrån kommunfullmäktiges budget och ramar.'
					),
					p('Mål: Segregationen i Göteborg ska brytas'),
					p('Nuläge:'),
					p(
						'Segregationen i Göteborg är fortsatt betydande och livsvillkoren skiljer sig stort mellan olika områden i staden.'
					),
					p('Uppdrag i kommunstyrelsens genomförandeplan  Plan för rapportering'),
					new Table({
						width: { size: 100, type: WidthType.PERCENTAGE },
						rows: [
							row(
								cell(
									'Kommunstyrelsen får i uppdrag att utreda hur Göteborgs Stad kan bli en bättre arbetsgivare för personer med neuropsykiatriska diagnoser.'
								),
								cell('KS Q4 2025')
							),
							row(
								cell(
									'Kommunstyrelsen får i uppdrag att samordna och följa upp Göteborgs stads arbete för att motverka segregation.'
								),
								cell('Löpande rapportering i uppföljningsrapporter')
							)
						]
					}),
					p('Kommunledningen (belopp i mnkr)'),
					new Table({
						rows: [
							row(cell(''), cell('Budget 2024'), cell('Budget 2025')),
							row(cell('Intäkter'), cell('124,0'), cell('124,0')),
							row(cell('Kostnader'), cell('-580,6'), cell('-602,0')),
							row(cell('Kommunbidrag'), cell('395,4'), cell('397,8')),
							row(cell('Kommuninterna bidrag'), cell('61,2'), cell('80,2')),
							row(cell('Resultat'), cell('0,0'), cell('0,0'))
						]
					})
				]
			}
		]
	});
	return Packer.toBuffer(doc);
}

/** A DOCX that is a letter, not an ärende. */
export function docxLetter(): Promise<Buffer> {
	const doc = new Document({
		sections: [{ children: [p('Hej Anna!'), p('Tack för senast. Vi ses på fredag vid fikat.'), p('Hälsningar, Per')] }]
	});
	return Packer.toBuffer(doc);
}
