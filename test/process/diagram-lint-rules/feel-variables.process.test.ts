import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR, lintFixture } from './lint-fixture.js';

const { variablesRead } = createRequire(join(PLUGIN_DIR, 'index.js'))('./lib/feel-variables.js') as { variablesRead: (expression: string) => string[] };

describe('spe/feel-variables', () => {
  it('passes variables produced by forms, messages, documented start variables, scripts, mappings and multi-instance elements; ignores headers', async () => {
    expect(await lintFixture('feel-variables', 'valid')).toEqual([]);
  });

  it('reports a condition and a mapping that read variables nothing produces', async () => {
    expect(await lintFixture('feel-variables', 'invalid')).toEqual([
      { id: 'Flow_Next', message: expect.stringMatching(/^Reads "setupDecison" in "=setupDecison = "APPROVED"" \(bpmn:FormalExpression\.body\), which nothing produces/) },
      { id: 'Task_Notify', message: expect.stringMatching(/^Reads "permitTitel" in "=permitTitel" \(zeebe:Input\.source\)/) },
    ]);
  });
});

describe('variablesRead (FEEL)', () => {
  it.each([
    ['setupDecision = "APPROVED"', ['setupDecision']],
    ['permitId + "/" + dataHolder', ['permitId', 'dataHolder']],
    ['date and time(validUntil) - duration("P30D")', ['validUntil']],
    ['if deletionGracePeriod = null then duration("P30D") else duration(deletionGracePeriod)', ['deletionGracePeriod']],
    ['now() + duration("P5D")', []],
    ['amendment.validUntil', ['amendment']],
    ['for h in dataHolders return h + suffix', ['dataHolders', 'suffix']],
    ['{ a: 1, b: a + c }', ['c']],
    ['{ dataHolder: dataHolder, manifest: uploadManifest }', ['dataHolder', 'uploadManifest']],
    ['some h in dataHolders satisfies h = dataHolder', ['dataHolders', 'dataHolder']],
    ['count(files[checked = false]) = 0', ['files']],
  ])('%s reads %j', (expression, expected) => {
    expect(variablesRead(expression).sort()).toEqual([...expected].sort());
  });
});
