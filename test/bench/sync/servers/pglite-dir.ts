import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const migrations = fileURLToPath(new URL('../../../../db/migrations', import.meta.url));

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Directories of servers that were killed, and templates of older migrations (40 MB each). */
function removeLeftovers(root: string, template: string): void {
	for (const name of readdirSync(root)) {
		const path = join(root, name);
		const run = /^run-(\d+)-/.exec(name);
		const stale =
			(run && !alive(Number(run[1]))) ||
			(name.startsWith('pglite-') && path !== template && Date.now() - statSync(path).mtimeMs > 3_600_000);
		if (stale) rmSync(path, { recursive: true, force: true });
	}
}

/**
 * A migrated PGlite data directory for one server, copied from a template made once per set of
 * migrations: creating one from scratch costs seconds of initdb that have nothing to do with what
 * is measured. On disk, as the product runs by default (DATA_DIR).
 */
export async function pgliteDir(): Promise<string> {
	const journal = readFileSync(join(migrations, 'meta/_journal.json'));
	const root = join(tmpdir(), 'yrka-bench');
	mkdirSync(root, { recursive: true });
	const template = join(root, `pglite-${createHash('sha256').update(journal).digest('hex').slice(0, 12)}`);
	removeLeftovers(root, template);
	if (!existsSync(template)) {
		const { createDb } = await import('../../../../db/client');
		const building = `${template}.${process.pid}`;
		const h = await createDb({ dataDir: building });
		await h.migrate();
		await h.close();
		try {
			renameSync(building, template);
		} catch (err) {
			// Another server built it at the same time: use theirs.
			rmSync(building, { recursive: true, force: true });
			if (!existsSync(template)) throw err;
		}
	}
	const dir = join(root, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
	cpSync(template, dir, { recursive: true });
	return dir;
}
