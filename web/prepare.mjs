// `npm ci` runs this (the `prepare` script): build the web app into dist/web so `npm start` serves it on a fresh
// clone. An install without development dependencies (the Docker image's `npm ci --omit=dev`) has no Vite: say so
// and leave the build to a stage that has them; the platform then answers `/` with how to build the app.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let vite;
try {
  vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  console.log('web app: Vite is not installed (development dependencies omitted); skipping `npm run build:web`.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
