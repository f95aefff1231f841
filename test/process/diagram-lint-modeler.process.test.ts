/**
 * The spe rules as Camunda Desktop Modeler loads them: bpmnlint-plugin-spe/modeler/build.mts bundles them for the
 * browser; the bundle, run in a fresh JavaScript context with only a `window` (no require, no files), registers a
 * `lintRules.cloud-bpmn` plugin whose config and resolver lint a diagram with the same findings as `npm run lint`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { BpmnModdle } from 'bpmn-moddle';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModelerClient } from '../../bpmnlint-plugin-spe/modeler/build.mjs';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromRoot = createRequire(join(REPO_ROOT, 'package.json'));
const { Linter } = requireFromRoot('bpmnlint') as { Linter: new (options: { config: unknown; resolver: unknown }) => { lint(definitions: unknown): Promise<Record<string, { id?: string; message: string }[]>> } };
const zeebe = requireFromRoot('zeebe-bpmn-moddle/resources/zeebe.json') as object;

const workDir = mkdtempSync(join(tmpdir(), 'spe-modeler-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Registered {
  type: string;
  plugin: { config: { rules: Record<string, string> }; resolver: unknown };
}

async function lint(plugin: Registered['plugin'], file: string) {
  const { rootElement } = await new BpmnModdle({ zeebe }).fromXML(readFileSync(file, 'utf8'), 'bpmn:Definitions');
  return new Linter({ config: plugin.config, resolver: plugin.resolver }).lint(rootElement);
}

describe('bpmnlint-plugin-spe in Camunda Modeler', () => {
  it('bundles to a browser script that registers every spe rule and reports what npm run lint reports', async () => {
    const client = await buildModelerClient(join(workDir, 'client.js'));
    const window: { plugins?: Registered[] } = {};
    runInNewContext(readFileSync(client, 'utf8'), { window });

    expect(window.plugins?.map((p) => p.type)).toEqual(['lintRules.cloud-bpmn']);
    const { plugin } = (window.plugins ?? [])[0] as Registered;
    const recommended = (requireFromRoot('bpmnlint-plugin-spe') as { configs: { recommended: { rules: Record<string, string> } } }).configs.recommended;
    expect(plugin.config.rules).toEqual(recommended.rules);

    const invalid = await lint(plugin, join(REPO_ROOT, 'bpmnlint-plugin-spe', 'test', 'fixtures', 'decision-task-guard', 'invalid.bpmn'));
    expect(invalid['spe/decision-task-guard']?.map((r) => r.id)).toEqual(['Task_AssessApplication', 'Task_AssessApplication', 'Task_AssessApplication', 'Task_NotATableEntry', 'Task_NotATableEntry']);
    const feel = await lint(plugin, join(REPO_ROOT, 'bpmnlint-plugin-spe', 'test', 'fixtures', 'feel-variables', 'invalid.bpmn'));
    expect(feel['spe/feel-variables']?.map((r) => r.id)).toEqual(['Flow_Next', 'Task_Notify']);
    for (const file of ['1-permit-application.bpmn', '5-output-review-release.bpmn']) {
      expect(await lint(plugin, join(REPO_ROOT, 'bpmn', file)), file).toEqual({});
    }
  });
});
