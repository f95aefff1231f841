/**
 * Writes bpmnlint-plugin-spe/known-names.json from shared/, the job-worker registry, forms/ and docs/processes.md.
 * Run it after changing any of them: `npx tsx bpmnlint-plugin-spe/generate-known-names.mts`. With `--check` it
 * writes nothing and exits 1 when the committed file is stale (`npm run lint` runs it so, before bpmnlint).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKnownNames, knownNamesJson } from './known-names-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, 'known-names.json');
const current = knownNamesJson(buildKnownNames(join(here, '..')));

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  if (committed !== current) {
    console.error(`${target} is stale: shared/, the job-worker registry, forms/ or docs/processes.md changed since it was generated. Run \`npx tsx bpmnlint-plugin-spe/generate-known-names.mts\` and commit the file.`);
    process.exit(1);
  }
} else {
  writeFileSync(target, current);
  console.log(`wrote ${target}`);
}
