/**
 * Makes the template an embedded database starts from (shared/open-knex.ts): an empty PGlite cluster, created
 * once at install time (`npm ci` → platform/build-server.mjs) with the platform's memory settings, so a first
 * `npm start` copies a folder instead of running initdb (which takes most of a first start and twice the memory
 * of running a database). Kept under node_modules/.cache, tagged with the PGlite version that made it; a new
 * PGlite (the next `npm ci`) makes a new one. Does nothing when the current one is there.
 *
 * Beside the folder, the same cluster as a gzipped tar archive (`pgdata.tar.gz`, PGlite's own dump format): an in-memory
 * PGlite (the test platforms, `PERMIT_DATA_DIR=''`) loads it instead of running initdb, about a quarter of the CPU.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { PGLITE_INITDB_PARAMS, PGLITE_START_PARAMS, PGLITE_TEMPLATE_ARCHIVE, pgliteTemplateDir, pgliteVersion } from '../shared/open-knex.js';

async function main(): Promise<void> {
  const dir = pgliteTemplateDir();
  const version = pgliteVersion();
  const versionFile = join(dir, 'PGLITE_VERSION');
  if (existsSync(versionFile) && readFileSync(versionFile, 'utf8').trim() === version && existsSync(join(dir, PGLITE_TEMPLATE_ARCHIVE))) return;
  const started = Date.now();
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const { PGlite: PGliteClass } = createRequire(import.meta.url)('@electric-sql/pglite') as { PGlite: new (options: PGliteOptions) => PGlite };
  const pglite = new PGliteClass({ dataDir: join(building, 'pgdata'), startParams: [...PGLITE_START_PARAMS], initDbStartParams: [...PGLITE_INITDB_PARAMS] });
  await pglite.waitReady;
  await pglite.query('SELECT 1');
  const archive = await pglite.dumpDataDir('gzip');
  writeFileSync(join(building, PGLITE_TEMPLATE_ARCHIVE), Buffer.from(await archive.arrayBuffer()));
  await pglite.close();
  writeFileSync(join(building, 'PGLITE_VERSION'), `${version}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  console.log(`embedded database template made in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
}

main().catch((error: unknown) => {
  console.error(`Could not make the embedded database template: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
