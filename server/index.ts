import { loadConfig } from './config';
import { startRuntime } from './runtime';
import { DEMO_PASSWORD } from './seed/demo-data';

const config = loadConfig();
const runtime = await startRuntime(config);

if (runtime.seed) {
	const { logins, seeded } = runtime.seed;
	console.log(`\nYrka kör på ${runtime.url}${seeded ? ' (demodata inlagd)' : ''}`);
	console.log(`Demokonton (lösenord för alla: ${DEMO_PASSWORD}):`);
	for (const l of logins) {
		console.log(`  ${l.role.padEnd(17)} ${(l.partyId ?? '').padEnd(3)} ${l.email}`);
	}
	console.log('');
}

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`[yrka] ${signal}: stänger ner`);
	const timer = setTimeout(() => process.exit(1), 10_000);
	timer.unref();
	try {
		await runtime.close();
		process.exit(0);
	} catch (err) {
		console.error('[yrka] shutdown failed', err);
		process.exit(1);
	}
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
