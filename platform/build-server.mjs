// `npm run build:server`, and part of `npm ci` (the `prepare` script, web/prepare.mjs): compiles the server's
// TypeScript into dist/server (tsconfig.build.json) for platform/run-compiled.mjs, then makes the template an
// embedded database starts from (platform/make-pglite-template.ts). Type errors do not stop the build (`npm run
// typecheck` reports them); a missing TypeScript (an install without development dependencies) skips it, and the
// platform then runs its TypeScript through tsx.
import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  console.log('server: TypeScript is not installed (development dependencies omitted); npm start runs the sources through tsx.');
  const template = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'platform', 'make-pglite-template.ts')], { cwd: root, stdio: 'inherit' });
  if (template.status !== 0) console.warn("server: no embedded database template (above); a first start creates its database itself, more slowly.");
  process.exit(0);
}
const started = new Date();
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const problems = (build.stdout + build.stderr).split('\n').filter((line) => /error TS\d+/.test(line));
if (build.status !== 0 && problems.length === 0) {
  process.stderr.write(build.stdout + build.stderr);
  console.error('server: the TypeScript build failed (above); npm start runs the sources through tsx until it is fixed.');
  process.exit(0);
}
if (problems.length > 0) console.warn(`server: built with ${problems.length} type error(s) (npm run typecheck shows them)`);
// The stamp carries the time the build started: a source saved during the build counts as changed after it.
mkdirSync(join(root, 'dist', 'server'), { recursive: true });
const stamp = join(root, 'dist', 'server', '.build-stamp');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);

const template = spawnSync(process.execPath, [join(root, 'dist', 'server', 'platform', 'make-pglite-template.js')], { cwd: root, stdio: 'inherit' });
if (template.status !== 0) console.warn('server: no embedded database template (above); a first start creates its database itself, more slowly.');
