// Runs the integration suite on the embedded PGlite, and again on Postgres when DATABASE_URL is set:
// the same tests on both drivers.
import { spawnSync } from 'node:child_process';

const args = ['vitest', 'run', '--project', 'integration', ...process.argv.slice(2)];
const runs = [{ label: 'PGlite', env: { ...process.env, DATABASE_URL: '' } }];
if (process.env.DATABASE_URL) runs.push({ label: 'Postgres', env: process.env });

for (const run of runs) {
	console.log(`\n=== integration tests on ${run.label} ===`);
	const r = spawnSync('npx', args, { stdio: 'inherit', env: run.env });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
