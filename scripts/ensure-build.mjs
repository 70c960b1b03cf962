// Builds the SvelteKit app when the build is missing or older than its sources, so `npm start` on a
// fresh clone builds once and later starts are immediate.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'build/handler.js';
const sources = ['web', 'server/domain', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newest(path) {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
	return max;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (built === 0 || changed > built) {
	console.log('[yrka] bygger webbappen (vite build)…');
	execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
