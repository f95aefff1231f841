/**
 * Writes bpmnlint-plugin-spe/known-names.json from shared/, the job-worker registry, forms/ and docs/processes.md.
 * Run it after changing any of them: `npx tsx bpmnlint-plugin-spe/generate-known-names.mts` (the lint test says so
 * when the committed file is stale).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKnownNames, knownNamesJson } from './known-names-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, 'known-names.json');
writeFileSync(target, knownNamesJson(buildKnownNames(join(here, '..'))));
console.log(`wrote ${target}`);
