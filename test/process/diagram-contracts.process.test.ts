/**
 * The contracts between the diagrams in `bpmn/` and the rest of the platform that span more than one diagram, so
 * cannot be bpmnlint rules (a rule sees one diagram at a time, in Modeler as on the command line): the files of
 * the series, decision tasks and forms that no diagram uses, and messages no diagram catches. Everything a single
 * diagram must satisfy (job types with handlers, headers, forms, assignments, decision guards, message keys,
 * error codes, FEEL variables) is a rule of bpmnlint-plugin-spe, run over bpmn/ by diagram-lint.process.test.ts
 * and `npm run lint`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_DECISION_TASK_IDS, MESSAGES, PROCESS_FILES, TASK_TYPES, decisionTaskId, type MessageName } from '../../shared/index.js';
import { TASK_HANDLER_REGISTRY } from '../../job-workers/registry.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BPMN_DIR = join(REPO_ROOT, 'bpmn');
const FORMS_DIR = join(REPO_ROOT, 'forms');

/** A parsed moddle element: `$type` plus its properties. */
interface El {
  readonly $type: string;
  readonly [property: string]: unknown;
}
const isEl = (value: unknown): value is El => typeof value === 'object' && value !== null && typeof (value as El).$type === 'string';
const str = (el: El | undefined, property: string): string | undefined => (typeof el?.[property] === 'string' ? (el[property] as string) : undefined);
const list = (el: El | undefined, property: string): El[] => (Array.isArray(el?.[property]) ? (el[property] as unknown[]).filter(isEl) : []);
const extension = (el: El, type: string): El | undefined => {
  const holder = el.extensionElements;
  return isEl(holder) ? list(holder, 'values').find((value) => value.$type === type) : undefined;
};
const idOf = (el: El) => str(el, 'id') ?? '(no id)';
const processOf = (el: El): string => {
  for (let at: unknown = el; isEl(at); at = at.$parent) if (at.$type === 'bpmn:Process') return idOf(at);
  return '(no process)';
};

const zeebeSchema = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json') as Record<string, unknown>;

interface Diagram {
  file: string;
  definitions: El;
  /** Every element of the document reachable from the definitions, except diagram interchange. */
  elements: El[];
}

async function readDiagram(file: string): Promise<Diagram> {
  const { rootElement, warnings } = await new BpmnModdle({ zeebe: zeebeSchema }).fromXML(readFileSync(join(BPMN_DIR, file), 'utf8'), 'bpmn:Definitions');
  if (warnings.length > 0) throw new Error(`${file} does not parse cleanly: ${warnings.map((w) => w.message).join('; ')}`);
  const definitions = rootElement as El;
  const elements: El[] = [];
  const seen = new Set<El>();
  const visit = (el: El) => {
    if (seen.has(el) || el.$type.startsWith('bpmndi:')) return;
    seen.add(el);
    elements.push(el);
    for (const [property, value] of Object.entries(el)) {
      if (property.startsWith('$') || property === 'diagrams') continue;
      for (const child of Array.isArray(value) ? value : [value]) if (isEl(child)) visit(child);
    }
  };
  visit(definitions);
  return { file, definitions, elements };
}

const formFiles = existsSync(FORMS_DIR) ? readdirSync(FORMS_DIR).filter((f) => f.endsWith('.form')).sort() : [];
const forms = formFiles.map((file) => ({ file, ...(JSON.parse(readFileSync(join(FORMS_DIR, file), 'utf8')) as { id: string }) }));
const diagramFiles = existsSync(BPMN_DIR) ? readdirSync(BPMN_DIR).filter((f) => f.endsWith('.bpmn')).sort() : [];
let diagrams: Diagram[] = [];

/** All elements of a type across the diagrams, with the file they are in. */
const all = (type: string) => diagrams.flatMap((d) => d.elements.filter((el) => el.$type === type).map((el) => ({ file: d.file, el })));

describe('the BPMN series in bpmn/, across its diagrams', () => {
  beforeAll(async () => {
    diagrams = await Promise.all(diagramFiles.map(readDiagram));
  });

  it('holds exactly the files of PROCESS_FILES, each with the one executable process of its id', () => {
    expect(diagramFiles).toEqual(Object.values(PROCESS_FILES).sort());
    for (const d of diagrams) {
      const executable = list(d.definitions, 'rootElements').filter((root) => root.$type === 'bpmn:Process' && root.isExecutable === true);
      const expected = Object.entries(PROCESS_FILES).find(([, file]) => file === d.file)?.[0];
      expect(executable.map(idOf), d.file).toEqual([expected]);
    }
  });

  it('has a user task for every entry of DECISION_TASKS, and the decision listener a handler', () => {
    expect(Object.keys(TASK_HANDLER_REGISTRY)).toContain(TASK_TYPES.reviewCheckDecision);
    const found = new Set(all('bpmn:UserTask').map(({ el }) => decisionTaskId(processOf(el), idOf(el))));
    expect(
      ALL_DECISION_TASK_IDS.filter((id) => !found.has(id)),
      'DECISION_TASKS entries that are no user task of bpmn/ (shared/decision-tasks.ts)',
    ).toEqual([]);
  });

  it('links every form in forms/ from some user task', () => {
    const linked = new Set(all('bpmn:UserTask').map(({ el }) => str(extension(el, 'zeebe:FormDefinition'), 'formId')));
    expect(forms.filter((form) => !linked.has(form.id)).map((form) => form.file), 'forms no user task uses').toEqual([]);
  });

  it('catches every message of MESSAGES in some diagram', () => {
    const caught = new Set(all('bpmn:Message').map(({ el }) => str(el, 'name')));
    expect((Object.values(MESSAGES) as MessageName[]).filter((name) => !caught.has(name)), 'messages no diagram catches').toEqual([]);
  });
});
