import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);

/**
 * Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here) against
 * the real one-process server, started on a fresh embedded database for every run.
 */
export default defineConfig({
	testDir: 'test/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'sv-SE',
		trace: 'off',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: 'node scripts/e2e-server.mjs',
		url: `http://localhost:${port}/api/health`,
		reuseExistingServer: false,
		timeout: 120_000,
		env: { PORT: String(port), E2E_PORT: String(port) },
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
