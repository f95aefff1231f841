/**
 * bpmnlint-plugin-spe/known-names.json is what the diagram rules check against (in `npm run lint` and in Camunda
 * Modeler); it is generated from shared/, the job-worker registry, forms/ and docs/processes.md. This fails when
 * the committed file is not what the generator writes today.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildKnownNames, documentedVariables, formOutputs, knownNamesJson } from '../../bpmnlint-plugin-spe/known-names-source.mjs';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bpmnlint-plugin-spe/known-names.json', () => {
  it('is current: regenerate it with `npx tsx bpmnlint-plugin-spe/generate-known-names.mts` after changing shared/, the registry, forms/ or docs/processes.md', () => {
    const committed = readFileSync(join(REPO_ROOT, 'bpmnlint-plugin-spe', 'known-names.json'), 'utf8');
    expect(committed).toBe(knownNamesJson(buildKnownNames(REPO_ROOT)));
  });

  it('knows every task type, a handler for each, the deployed forms and the documented start variables', () => {
    const names = buildKnownNames(REPO_ROOT);
    expect(names.handledTaskTypes).toEqual(names.taskTypes);
    expect(names.deployedFormIds).toEqual(names.formIds);
    expect(names.externalVariables).toEqual(expect.arrayContaining(['permitId', 'assessedBy', 'submittedBy']));
  });
});

describe('reading the producers of variables', () => {
  it('takes the backticked first column of the table under the heading, up to the next heading', () => {
    const markdown = ['### Start variables', '', '| name | meaning |', '| --- | --- |', '| `permitId` | the permit |', '| `validUntil` | end |', '### Worker outputs', '| `provisioned` | x |'].join('\n');
    expect(documentedVariables(markdown, 'Start variables')).toEqual(['permitId', 'validUntil']);
    expect(documentedVariables(markdown, 'Worker outputs')).toEqual(['provisioned']);
    expect(documentedVariables(markdown, 'Nothing here')).toEqual([]);
  });

  it('takes a form’s field keys and container paths, not the fields inside a path', () => {
    const components = [{ key: 'decision' }, { components: [{ key: 'comment.text' }] }, { path: 'files', components: [{ key: 'name' }] }];
    expect(formOutputs(components)).toEqual(['decision', 'comment', 'files']);
  });
});
