/**
 * `npm run import -- <file> [--json]`: reads an ärende (PDF, DOCX or text) the way the upload does
 * and prints what it found. With --json the tree goes to stdout as JSON (schema in the README) and
 * a count per kind to stderr; without it, an outline. Nothing is stored.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { countByKind, walkItems } from '../domain/baseline';
import { AppError } from '../errors';
import { ExtractError, extractText } from './extract';
import { parseBaselineText } from './parse';
import { partyDocumentData } from './party-documents';
import { assertSomethingFound } from './store';

async function main(argv: string[]): Promise<number> {
	const json = argv.includes('--json');
	const files = argv.filter((a) => !a.startsWith('--'));
	if (files.length !== 1) {
		process.stderr.write('Användning: npm run import -- <fil.pdf|fil.docx|fil.txt> [--json]\n');
		return 2;
	}
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await readFile(files[0]));
	} catch {
		process.stderr.write(`Kunde inte läsa filen ${files[0]}.\n`);
		return 1;
	}
	const started = performance.now();
	const { kind, text } = await extractText(bytes);
	const result = parseBaselineText(text);
	const ms = performance.now() - started;
	assertSomethingFound(result);

	if (json) {
		const out = {
			source: { name: basename(files[0]), kind },
			meta: result.meta,
			items: result.items,
			partyDocuments: partyDocumentData(result),
			warnings: result.warnings
		};
		process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
	} else {
		for (const list of [result.partyDocuments, result.items]) {
			for (const { item, depth } of walkItems(list)) {
				const head = [item.label, item.title].filter(Boolean).join(' ');
				const text = item.text ? ` ${item.text.slice(0, 80)}${item.text.length > 80 ? '…' : ''}` : '';
				process.stdout.write(`${'  '.repeat(depth)}[${item.kind}] ${head}${text}\n`);
			}
		}
	}
	const byKind = { ...countByKind(result.items), party_document: result.partyDocuments.length };
	const counts = Object.entries(byKind)
		.filter(([, n]) => n > 0)
		.map(([k, n]) => `${k}: ${n}`);
	process.stderr.write(`${counts.join('\n')}\n(${kind}, ${result.lineCount} rader, ${ms.toFixed(0)} ms)\n`);
	for (const w of result.warnings) process.stderr.write(`Varning: ${w}\n`);
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(err) => {
		if (err instanceof ExtractError || err instanceof AppError) {
			process.stderr.write(`${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}
);
