// `npm run build:server`, and part of `npm ci` (the `prepare` script, web/prepare.mjs): compiles the server's
// TypeScript into dist/server for platform/run-compiled.mjs, then makes the template an embedded database starts
// from (platform/make-pglite-template.ts).
//
// The compiling is esbuild transpiling file by file (no bundle, the same folders and files tsconfig.build.json
// names, its compiler options), as tsx does at run time: about 2 s where `tsc -p tsconfig.build.json` took about
// 25 s of CPU, because tsc also type-checks everything, which `npm run typecheck` does anyway (type errors never
// stopped this build). The sources can be transpiled one by one because tsconfig.json has isolatedModules. A
// syntax error stops it (npm start then runs the sources through tsx, saying so); a missing esbuild (an install
// without development dependencies) skips it, and the platform runs its TypeScript through tsx.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
/** tsconfig.build.json's include; its exclude is the test files and the testing and fixtures folders. */
const SOURCE_FOLDERS = ['platform', 'engine', 'rest-api', 'job-workers', 'db', 'shared', 'airlock', 'demo'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'testing', 'fixtures']);
const OUT_DIR = join(root, 'dist', 'server');

/** Every server source file: `.ts`, not a test, not a declaration, outside testing/ and fixtures/ folders. */
function serverSources() {
  const files = [];
  const pending = SOURCE_FOLDERS.map((folder) => join(root, folder));
  while (pending.length > 0) {
    const dir = pending.pop();
    let items;
    try {
      items = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const item of items) {
      const path = join(dir, item.name);
      if (item.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(item.name)) pending.push(path);
      } else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts') && !item.name.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  }
  return files.sort();
}

function makeTemplate(command) {
  const template = spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' });
  if (template.status !== 0) console.warn('server: no embedded database template (above); a first start creates its database itself, more slowly.');
}

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.log('server: esbuild is not installed (development dependencies omitted); npm start runs the sources through tsx.');
  makeTemplate(['--import', 'tsx', join(root, 'platform', 'make-pglite-template.ts')]);
  process.exit(0);
}

const started = new Date();
try {
  await esbuild.build({
    entryPoints: serverSources(),
    outdir: OUT_DIR,
    outbase: root,
    tsconfig: join(root, 'tsconfig.build.json'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    bundle: false,
    logLevel: 'warning',
  });
} catch {
  // esbuild printed the errors.
  console.error('server: the build failed (above); npm start runs the sources through tsx until it is fixed.');
  process.exit(0);
}
// The stamp carries the time the build started: a source saved during the build counts as changed after it.
mkdirSync(OUT_DIR, { recursive: true });
const stamp = join(OUT_DIR, '.build-stamp');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);

makeTemplate([join(OUT_DIR, 'platform', 'make-pglite-template.js')]);
