import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const apiPort = Number(process.env.API_PORT ?? 3001);

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		// `npm run dev`: the Hono process runs on API_PORT, Vite proxies the API and the sync socket to it.
		proxy: {
			'/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
			'/sync': { target: `ws://127.0.0.1:${apiPort}`, ws: true }
		}
	},
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// One file at a time per worker keeps PGlite instances and sockets from crowding two cores.
					fileParallelism: false
				}
			}
		]
	}
});
