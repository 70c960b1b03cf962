import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: false }),
		files: {
			src: 'web/src',
			assets: 'web/static',
			lib: 'web/src/lib',
			routes: 'web/src/routes',
			appTemplate: 'web/src/app.html',
			errorTemplate: 'web/src/error.html',
			hooks: { client: 'web/src/hooks.client', server: 'web/src/hooks.server', universal: 'web/src/hooks' },
			params: 'web/src/params',
			serviceWorker: 'web/src/service-worker'
		},
		alias: {
			$domain: 'server/domain',
			'$domain/*': 'server/domain/*'
		}
	}
};

export default config;
