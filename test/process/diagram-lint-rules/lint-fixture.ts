/**
 * Lints the fixtures of one bpmnlint-plugin-spe rule with that rule alone, resolved through the installed plugin
 * as `npm run lint` resolves it (bpmnlint's NodeResolver from the repository root), parsed with the zeebe
 * extension. A rule's test says which fixture passes and what each invalid one reports.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PLUGIN_DIR = join(REPO_ROOT, 'bpmnlint-plugin-spe');
const requireFromRoot = createRequire(join(REPO_ROOT, 'package.json'));

interface LintReport {
  id?: string;
  message: string;
  category: string;
}
interface BpmnLinter {
  lint(definitions: unknown): Promise<Record<string, LintReport[]>>;
}
const { Linter } = requireFromRoot('bpmnlint') as { Linter: new (options: { config: unknown; resolver: unknown }) => BpmnLinter };
const NodeResolver = requireFromRoot('bpmnlint/lib/resolver/node-resolver') as new (options?: { require?: NodeJS.Require }) => unknown;
const zeebe = requireFromRoot('zeebe-bpmn-moddle/resources/zeebe.json') as object;

/** One finding: the element it is reported on and its message. */
export interface Finding {
  id: string;
  message: string;
}

/** Lints BPMN XML with only `spe/<rule>` switched on; moddle import warnings fail (a fixture must parse cleanly). */
export async function lintWithRule(rule: string, xml: string): Promise<Finding[]> {
  const { rootElement, warnings } = await new BpmnModdle({ zeebe }).fromXML(xml, 'bpmn:Definitions');
  if (warnings.length > 0) throw new Error(`does not parse cleanly: ${warnings.map((w) => w.message).join('; ')}`);
  const linter = new Linter({ config: { rules: { [`spe/${rule}`]: 'error' } }, resolver: new NodeResolver({ require: requireFromRoot }) });
  const results = await linter.lint(rootElement);
  const reports = results[`spe/${rule}`] ?? [];
  const unexpected = Object.keys(results).filter((name) => name !== `spe/${rule}`);
  if (unexpected.length > 0) throw new Error(`reports from other rules: ${unexpected.join(', ')}`);
  for (const report of reports) if (report.category !== 'error') throw new Error(`${rule}: ${report.category}: ${report.message}`);
  return reports.map((report) => ({ id: report.id ?? '', message: report.message }));
}

/** The fixture `bpmnlint-plugin-spe/test/fixtures/<rule>/<name>.bpmn`. */
export function fixture(rule: string, name: string): string {
  return readFileSync(join(PLUGIN_DIR, 'test', 'fixtures', rule, `${name}.bpmn`), 'utf8');
}

/** Lints a rule's own fixture with the rule. */
export function lintFixture(rule: string, name: string): Promise<Finding[]> {
  return lintWithRule(rule, fixture(rule, name));
}
