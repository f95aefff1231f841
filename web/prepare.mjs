// `npm ci` runs this (the `prepare` script): build the web app into dist/web so `npm start` serves it on a fresh
// clone, then the server (platform/build-server.mjs: its TypeScript compiled into dist/server, so `npm start` runs
// JavaScript, and the embedded database's template). An install without development dependencies (the Docker
// image's `npm ci --omit=dev`) has no Vite: say so and leave the build to a stage that has them; the platform then
// answers `/` with how to build the app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let status = 0;
let vite;
try {
  vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  console.log('web app: Vite is not installed (development dependencies omitted); skipping `npm run build:web`.');
}
if (vite) status = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' }).status ?? 1;
// Only the web stage of the Docker build runs this without the sources: nothing to build there.
if (existsSync('platform/build-server.mjs')) {
  const server = spawnSync(process.execPath, ['platform/build-server.mjs'], { stdio: 'inherit' });
  if (status === 0) status = server.status ?? 1;
}
process.exit(status);
