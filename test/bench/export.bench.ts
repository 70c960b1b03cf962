/**
 * Export timings: the case package of one meeting item with nine parties' documents, in DOCX and
 * PDF, and single documents in all four formats.
 * `npx tsx test/bench/export.bench.ts [--quick]` alone, or through `npm run bench`.
 *
 * Target from issue 9: the case package with nine parties' drafts built in under 2 s. The first
 * render of a process is reported apart: it reads and parses the fonts once.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { exportCasePackage, exportDocument, type ExportFormat } from '../../server/export';
import type { CasePackage, ExportDocument } from '../../server/export/model';
import { andringsyrkande, parties, sdYrkande, yttrande } from '../unit/export/samples';

/**
 * Every party's yrkande (the SD yrkande's size: four points, about 400 words of motivation) with two
 * amendments, and every party's yttrande: 18 documents on one item, with the decision matrix.
 */
function meetingPackage(): CasePackage {
	const all = Object.values(parties);
	const amendments = andringsyrkande().amendments.slice(0, 2);
	const documents: ExportDocument[] = all.flatMap((party) => [
		sdYrkande({
			id: `y-${party.id}`,
			parties: [party],
			signatories: [{ name: `Gruppledare ${party.id}`, partyId: party.id }],
			amendments: amendments.map((a) => ({ ...a, id: `${a.id}-${party.id}`, parties: [party] }))
		}),
		yttrande(party)
	]);
	return {
		id: 'bench-package',
		body: 'Kommunstyrelsen',
		date: '2024-12-09',
		meetingDate: '2024-12-11',
		items: [
			{
				caseId: 'case-budget',
				caseNumber: 'SLK-2024-00738',
				title: 'Budget 2025 för kommunstyrelsen',
				agendaNumber: '4.',
				documents,
				matrix: {
					parties: all,
					rows: [
						...[1, 2, 3, 4].map((n) => ({ id: `slk-${n}`, label: `SLK punkt ${n}`, cells: {} })),
						...all.map((p) => ({ id: `y-${p.id}`, label: `${p.id}:s yrkande`, cells: { [p.id]: 'Bifall' } }))
					].map((row, i) => ({
						...row,
						cells: Object.fromEntries(all.map((p, j) => [p.id, (i + j) % 3 === 0 ? 'Avslag' : 'Bifall']))
					}))
				},
				protocol: 'Kommunstyrelsen beslutade enligt stadsledningskontorets förslag.'
			}
		]
	};
}

async function time(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
	const ms: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t0 = performance.now();
		await fn();
		ms.push(performance.now() - t0);
	}
	return ms.sort((a, b) => a - b);
}

const stats = (ms: number[]) => ({
	medianMs: ms[ms.length >> 1],
	maxMs: ms[ms.length - 1]
});

export async function run({ quick }: { quick: boolean }) {
	const reps = quick ? 3 : 10;
	const pkg = meetingPackage();

	const t0 = performance.now();
	const firstPdf = await exportCasePackage(pkg, 'pdf');
	const coldPdfMs = performance.now() - t0;

	const casePackage: Record<string, unknown> = {
		documents: pkg.items[0].documents.length,
		parties: Object.keys(parties).length,
		firstRenderPdfMs: coldPdfMs,
		targetMs: 2000
	};
	for (const format of ['pdf', 'docx'] as const) {
		let bytes = format === 'pdf' ? firstPdf.bytes.length : 0;
		const cpu0 = process.cpuUsage();
		const ms = await time(reps, async () => {
			bytes = (await exportCasePackage(pkg, format)).bytes.length;
		});
		const cpu = process.cpuUsage(cpu0);
		casePackage[format] = {
			...stats(ms),
			cpuMsPerRun: (cpu.user + cpu.system) / 1000 / reps,
			kib: Math.round(bytes / 1024),
			underTarget: ms[ms.length - 1] < 2000
		};
	}

	const single: Record<string, unknown> = {};
	const doc = andringsyrkande();
	for (const format of ['docx', 'pdf', 'md', 'html'] as ExportFormat[]) {
		single[format] = stats(await time(reps * 2, () => exportDocument(doc, format)));
	}
	return { casePackage, singleAndringsyrkande: single };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = await run({ quick: process.argv.includes('--quick') });
	console.log(JSON.stringify(figures, null, 2));
}
