/**
 * Lints every diagram in `bpmn/` with bpmnlint and the project's `bpmn/.bpmnlintrc` (bpmnlint:recommended,
 * camunda-compat for Camunda 8.8 and the project's own rules, bpmnlint-plugin-spe), the same check `npm run lint`
 * runs on the command line. Errors fail the test
 * and name the file, the element and the rule; warnings are printed so they are seen without failing the gate.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BPMN_DIR = join(REPO_ROOT, 'bpmn');
const CONFIG_PATH = join(BPMN_DIR, '.bpmnlintrc');

/** bpmnlint is CommonJS without typings for its entry points; these are the parts used here. */
interface LintReport {
  id?: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'off' | 'rule-error';
}
interface BpmnLinter {
  lint(definitions: unknown): Promise<Record<string, LintReport[]>>;
}
interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, unknown>;
  /** Used by the CLI to parse diagrams with moddle extensions (here: zeebe); not a linter option. */
  moddleExtensions?: Record<string, string>;
}

// Resolve bpmnlint, its rules and the moddle extensions from the repository root, as the CLI does.
const requireFromRoot = createRequire(join(REPO_ROOT, 'package.json'));
const { Linter } = requireFromRoot('bpmnlint') as { Linter: new (options: { config: LintConfig; resolver: unknown }) => BpmnLinter };
const NodeResolver = requireFromRoot('bpmnlint/lib/resolver/node-resolver') as new (options?: { require?: NodeJS.Require }) => unknown;

const config = JSON.parse(readFileSync(CONFIG_PATH, 'utf8')) as LintConfig;
const { moddleExtensions = {}, ...linterConfig } = config;
const extensions = Object.fromEntries(Object.entries(moddleExtensions).map(([prefix, path]) => [prefix, requireFromRoot(path) as unknown]));
const linter = new Linter({ config: linterConfig, resolver: new NodeResolver({ require: requireFromRoot }) });

export interface Finding {
  file: string;
  elementId: string;
  rule: string;
  message: string;
  category: LintReport['category'];
}

/** Lints one BPMN document; moddle import warnings (unknown elements, broken references) count as errors, as in the CLI. */
async function lintXml(file: string, xml: string): Promise<Finding[]> {
  const { rootElement, warnings } = await new BpmnModdle(extensions).fromXML(xml, 'bpmn:Definitions');
  const findings: Finding[] = warnings.map((warning) => ({
    file,
    elementId: warning.element?.id ?? '',
    rule: 'import',
    message: warning.message.split('\n')[0] ?? warning.message,
    category: 'error',
  }));
  const results = await linter.lint(rootElement);
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      findings.push({ file, elementId: report.id ?? '', rule, message: report.message, category: report.category });
    }
  }
  return findings;
}

const describeFinding = (f: Finding) => `${f.file} ${f.elementId || '(document)'} [${f.rule}] ${f.message}`;
const isError = (f: Finding) => f.category === 'error' || f.category === 'rule-error';

const diagrams = readdirSync(BPMN_DIR).filter((name) => name.endsWith('.bpmn')).sort();

describe('bpmnlint configuration (bpmn/.bpmnlintrc)', () => {
  it('extends bpmnlint:recommended, camunda-compat for Camunda 8.8 and spe/recommended and parses with the zeebe extension', () => {
    expect(config.extends).toEqual(expect.arrayContaining(['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8', 'plugin:spe/recommended']));
    expect(Object.keys(moddleExtensions)).toContain('zeebe');
  });

  it('reports a service task without a job type as an error naming the element and the rule', async () => {
    const findings = await lintXml('inline.bpmn', SERVICE_TASK_WITHOUT_TYPE);
    expect(findings.filter(isError).map(describeFinding)).toContainEqual(
      expect.stringMatching(/^inline\.bpmn Activity_NoType \[camunda-compat\/implementation\] /),
    );
  });
});

// ------------------------------------------------------------------------------- bpmnlint-plugin-spe
const PLUGIN_DIR = join(REPO_ROOT, 'bpmnlint-plugin-spe');
const plugin = requireFromRoot('bpmnlint-plugin-spe') as { configs: { recommended: { rules: Record<string, string> } }; rules: Record<string, string> };
const ruleFiles = readdirSync(join(PLUGIN_DIR, 'rules')).filter((name) => name.endsWith('.js')).map((name) => name.slice(0, -'.js'.length)).sort();

describe('bpmnlint-plugin-spe', () => {
  it('switches every rule of rules/ on as an error in spe/recommended', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(ruleFiles);
    expect(plugin.configs.recommended.rules).toEqual(Object.fromEntries(ruleFiles.map((rule) => [`spe/${rule}`, 'error'])));
  });

  it.each(ruleFiles)('%s has a doc, valid and invalid fixtures and a test', (rule) => {
    const missing = [
      join(PLUGIN_DIR, 'docs', 'rules', `${rule}.md`),
      join(PLUGIN_DIR, 'test', 'fixtures', rule, 'valid.bpmn'),
      join(PLUGIN_DIR, 'test', 'fixtures', rule, 'invalid.bpmn'),
      join(REPO_ROOT, 'test', 'process', 'diagram-lint-rules', `${rule}.process.test.ts`),
    ].filter((path) => !existsSync(path));
    expect(missing).toEqual([]);
  });

  it.each(ruleFiles)('%s: the project configuration reports its invalid fixture and not its valid one', async (rule) => {
    const fixture = (name: string) => join(PLUGIN_DIR, 'test', 'fixtures', rule, `${name}.bpmn`);
    const ofRule = (findings: Finding[]) => findings.filter((f) => f.rule === `spe/${rule}` && isError(f));
    expect(ofRule(await lintXml(`${rule}/invalid.bpmn`, readFileSync(fixture('invalid'), 'utf8'))).length).toBeGreaterThan(0);
    expect(ofRule(await lintXml(`${rule}/valid.bpmn`, readFileSync(fixture('valid'), 'utf8'))).map(describeFinding)).toEqual([]);
  });
});

describe.runIf(diagrams.length > 0)('every diagram in bpmn/ passes bpmnlint', () => {
  it.each(diagrams)('%s has no lint errors', async (file) => {
    const findings = await lintXml(file, readFileSync(join(BPMN_DIR, file), 'utf8'));
    const warnings = findings.filter((f) => f.category === 'warn');
    if (warnings.length > 0) console.warn(`bpmnlint warnings:\n${warnings.map(describeFinding).join('\n')}`);
    expect(findings.filter(isError).map(describeFinding), `bpmnlint errors in ${file}`).toEqual([]);
  });
});

/** A minimal executable process whose one service task lacks `zeebe:taskDefinition`. */
const SERVICE_TASK_WITHOUT_TYPE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Inline" targetNamespace="http://spe-platform.org/bpmn">
  <bpmn:process id="inline" name="Inline" isExecutable="true">
    <bpmn:startEvent id="Event_Start" name="Started"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Activity_NoType" name="Do something"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="Event_End" name="Done"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Event_Start" targetRef="Activity_NoType" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_NoType" targetRef="Event_End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_Inline">
    <bpmndi:BPMNPlane id="Plane_Inline" bpmnElement="inline">
      <bpmndi:BPMNShape id="Event_Start_di" bpmnElement="Event_Start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_NoType_di" bpmnElement="Activity_NoType"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_End_di" bpmnElement="Event_End"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
