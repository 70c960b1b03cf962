/**
 * Import speed: parsing the fixture (target under 1 s), a ten times larger synthetic document
 * (target: linear growth), giving ids against a previous version (the re-import), and reading the
 * fixture from a PDF. `npx tsx test/bench/import.bench.ts [--quick]` runs it alone.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { countByKind, walkItems } from '../../server/domain/baseline';
import { assignStableIds } from '../../server/domain/baseline-match';
import { extractText } from '../../server/import/extract';
import { parseBaselineText } from '../../server/import/parse';
import { pdfFromText } from '../unit/import/make-files';

const fixture = readFileSync(new URL('../fixtures/goteborg-ks-budget-2025.txt', import.meta.url), 'utf8');

/** The fixture with its bilagor repeated until the text is `times` as long. */
export function synthetic(times: number): string {
	const start = fixture.indexOf('\n 1. Inledning');
	const bilagor = fixture.slice(start);
	let out = fixture;
	while (out.length < fixture.length * times) out += bilagor;
	return out;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
	fn(); // warm-up: the first run pays for compiling the regular expressions
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		fn();
		ms.push(performance.now() - t);
	}
	return median(ms);
}

function itemCount(items: Parameters<typeof walkItems>[0]): number {
	let n = 0;
	for (const _ of walkItems(items)) n++;
	return n;
}

let counter = 0;
const makeId = () => `id${++counter}`;

export async function run({ quick }: { quick: boolean }) {
	const runs = quick ? 3 : 15;
	const big = synthetic(10);

	const parsed = parseBaselineText(fixture);
	const parsedBig = parseBaselineText(big);
	const fixtureMs = time(() => parseBaselineText(fixture), runs);
	const bigMs = time(() => parseBaselineText(big), Math.max(3, Math.floor(runs / 3)));

	const first = assignStableIds(null, parsed.items, makeId);
	const reimportMs = time(() => assignStableIds(first, parseBaselineText(fixture).items, makeId), runs);
	const firstBig = assignStableIds(null, parsedBig.items, makeId);
	const reimportBigMs = time(
		() => assignStableIds(firstBig, parsedBig.items, makeId),
		Math.max(3, Math.floor(runs / 3))
	);

	const pdf = new Uint8Array(await pdfFromText(fixture));
	const pdfRuns: number[] = [];
	for (let i = 0; i < (quick ? 1 : 3); i++) {
		const t = performance.now();
		parseBaselineText((await extractText(pdf)).text);
		pdfRuns.push(performance.now() - t);
	}

	const counts = countByKind(parsed.items);
	return {
		fixture: {
			bytes: fixture.length,
			items: itemCount(parsed.items),
			assignments: counts.assignment,
			parseMs: fixtureMs,
			reimportMs,
			pdfBytes: pdf.length,
			pdfExtractAndParseMs: median(pdfRuns)
		},
		tenTimes: {
			bytes: big.length,
			items: itemCount(parsedBig.items),
			parseMs: bigMs,
			reimportMs: reimportBigMs
		},
		/** time per byte of the large document over that of the fixture: 1 is linear */
		growthPerByte: bigMs / big.length / (fixtureMs / fixture.length),
		underOneSecond: fixtureMs < 1000
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	run({ quick: process.argv.includes('--quick') }).then((figures) => console.log(JSON.stringify(figures, null, 2)));
}
