// `npm ci` runs this (the `prepare` script): build the web app into dist/web so `npm start` serves it on a fresh
// clone, and, at the same time, the server (platform/build-server.mjs: its TypeScript transpiled into dist/server,
// so `npm start` runs JavaScript, and the embedded database's template). The two are independent, and the web
// build (Vite) waits on its own work part of the time, so side by side they take about as long as the longer one.
// An install without development dependencies (the Docker image's `npm ci --omit=dev`) has no Vite: say so and
// leave the build to a stage that has them; the platform then answers `/` with how to build the app.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Runs `node <args>` with this process's output; resolves with its exit status. */
function node(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`could not start node ${args.join(' ')}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

let vite;
try {
  vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  console.log('web app: Vite is not installed (development dependencies omitted); skipping `npm run build:web`.');
}
const [web, server] = await Promise.all([
  vite ? node([vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']) : Promise.resolve(0),
  // Only the web stage of the Docker build runs this without the sources: nothing to build there.
  existsSync('platform/build-server.mjs') ? node(['platform/build-server.mjs']) : Promise.resolve(0),
]);
process.exit(web !== 0 ? web : server);
