/**
 * The CI-only tier (`npm run test:load`, run by .ci/run after `npm test`): the long tests that the
 * normal integration run keeps short. First the crash storm with 20 kills on the embedded PGlite and
 * on Postgres, then 200 editors over 20 drafts for 5 minutes on Postgres. Needs DATABASE_URL.
 */
import { spawnSync } from 'node:child_process';

const pg = process.env.DATABASE_URL;
if (!pg) {
	console.error('npm run test:load: DATABASE_URL must name a Postgres server (the CI tier runs on Postgres).');
	process.exit(2);
}

const steps: { label: string; cmd: string[]; env: NodeJS.ProcessEnv }[] = [
	{
		label: 'crash storm, 20 × kill -9, PGlite',
		cmd: ['npx', 'vitest', 'run', '--project', 'integration', 'test/integration/reliability/crash.test.ts'],
		env: { ...process.env, DATABASE_URL: '', CRASH_KILLS: process.env.CRASH_KILLS ?? '20' }
	},
	{
		label: 'crash storm, 20 × kill -9, Postgres',
		cmd: ['npx', 'vitest', 'run', '--project', 'integration', 'test/integration/reliability/crash.test.ts'],
		env: { ...process.env, CRASH_KILLS: process.env.CRASH_KILLS ?? '20' }
	},
	{
		label: '200 editors over 20 drafts for 5 minutes, Postgres',
		cmd: [process.execPath, '--import', 'tsx', 'test/load/editors.ts'],
		env: process.env
	}
];

for (const step of steps) {
	console.log(`\n=== ${step.label} ===`);
	const t0 = Date.now();
	const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: step.env });
	console.log(
		`=== ${step.label}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s ===`
	);
	if (r.status !== 0) process.exit(r.status ?? 1);
}
