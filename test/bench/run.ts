/**
 * `npm run bench [-- --quick] [-- name…]`: runs every test/bench/*.bench.ts (each exports
 * `run({ quick })` returning its figures), prints one table and writes bench-results/latest.json.
 * Figures are measured here, never asserted in tests.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Figures = Record<string, unknown>;
interface BenchModule {
	run(opts: { quick: boolean }): Promise<Figures>;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));

function flatten(prefix: string, value: unknown, out: [string, string][]): void {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
	} else {
		const text =
			typeof value === 'number'
				? Number.isInteger(value)
					? String(value)
					: value.toFixed(value < 10 ? 3 : 1)
				: String(value);
		out.push([prefix, text]);
	}
}

const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();

const results: Record<string, Figures | { error: string }> = {};
/** wall time of each benchmark, s */
const timings: Record<string, number> = {};
const started = Date.now();
for (const file of files) {
	const name = basename(file, '.bench.ts');
	process.stderr.write(`[bench] ${name}${quick ? ' (quick)' : ''}…\n`);
	const t = Date.now();
	try {
		const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
		results[name] = await mod.run({ quick });
	} catch (err) {
		results[name] = { error: err instanceof Error ? err.message : String(err) };
	}
	timings[name] = Math.round((Date.now() - t) / 100) / 10;
	process.stderr.write(`[bench] ${name} took ${timings[name]} s\n`);
}

const rows: [string, string][] = [];
for (const [name, figures] of Object.entries(results)) flatten(name, figures, rows);
const width = Math.max(10, ...rows.map(([k]) => k.length));
console.log(`\n${'figure'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(20)}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

const outDir = join(here, '../../bench-results');
mkdirSync(outDir, { recursive: true });
const report = {
	at: new Date().toISOString(),
	quick,
	machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
	node: process.version,
	seconds: Math.round((Date.now() - started) / 1000),
	loadAverage: loadavg()
		.map((l) => l.toFixed(2))
		.join(' '),
	timings,
	results
};
const outFile = join(outDir, quick ? 'latest-quick.json' : 'latest.json');
writeFileSync(outFile, JSON.stringify(report, null, 2));
console.log(
	`\n${Object.entries(timings)
		.map(([k, v]) => `${k} ${v} s`)
		.join(', ')}`
);
console.log(
	`${files.length} benchmarks${quick ? ' (quick)' : ''} in ${report.seconds} s wall time (${(report.seconds / 60).toFixed(1)} min, load average ${report.loadAverage} at the end); results in ${outFile}`
);
process.exit(Object.values(results).some((r) => 'error' in r) ? 1 : 0);
