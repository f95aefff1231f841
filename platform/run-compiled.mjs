// Runs a TypeScript entry file of the platform (`npm start`, `npm run engine`, `npm run demo`) from its compiled
// JavaScript in dist/server (built by `npm ci` through the `prepare` script, or `npm run build:server`), so a start
// does not spend seconds and memory transpiling TypeScript. When there is no build, or a source file changed after
// it, the TypeScript runs as it is (through tsx, in this same process) and a line says how to build: a stale build
// is never run.
//
//   node platform/run-compiled.mjs platform/main.ts [arguments for it]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node platform/run-compiled.mjs <entry.ts> [arguments]');
  process.exit(2);
}
const SOURCE_FOLDERS = ['platform', 'engine', 'rest-api', 'job-workers', 'db', 'shared', 'airlock', 'demo'];
const BUILD_DIR = join(root, 'dist', 'server');
const STAMP = join(BUILD_DIR, '.build-stamp');

/** The first source file changed after `since` (ms), or undefined. */
function changedSince(since) {
  const pending = SOURCE_FOLDERS.map((folder) => join(root, folder)).filter((dir) => existsSync(dir));
  while (pending.length > 0) {
    const dir = pending.pop();
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) {
        if (!['node_modules', 'testing', 'fixtures'].includes(item.name)) pending.push(path);
      } else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts') && statSync(path).mtimeMs > since) {
        return path;
      }
    }
  }
  return undefined;
}

const compiled = join(BUILD_DIR, entry.replace(/\.ts$/, '.js'));
let reason;
if (!existsSync(compiled) || !existsSync(STAMP)) reason = 'there is no build of the server (dist/server)';
else {
  const changed = changedSince(statSync(STAMP).mtimeMs);
  if (changed) reason = `${relative(root, changed)} changed after the build`;
}

// The entry sees its own arguments, as if it had been started itself.
process.argv.splice(1, 2, reason ? join(root, entry) : compiled);
if (reason) {
  process.stderr.write(`Running the TypeScript sources directly (slower start): ${reason}. Build with: npm run build:server\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, entry)).href);
} else {
  await import(pathToFileURL(compiled).href);
}
