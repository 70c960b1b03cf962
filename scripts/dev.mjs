// `npm run dev`: the API and sync server with reload (tsx watch) on API_PORT, and Vite's dev server
// with hot module reload on PORT, proxying /api and /sync to it (vite.config.ts).
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const apiPort = process.env.API_PORT ?? '3001';
const env = { ...process.env, API_PORT: apiPort };

const api = spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/index.ts'], {
	stdio: 'inherit',
	env: { ...env, PORT: apiPort, HOST: '127.0.0.1', SERVE_WEB: '0' }
});
const web = spawn('npx', ['vite', 'dev', '--port', port, '--strictPort'], { stdio: 'inherit', env });

const stop = () => {
	api.kill('SIGTERM');
	web.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
api.on('exit', stop);
web.on('exit', stop);
