/**
 * The contract between the diagrams in `bpmn/` and the rest of the platform, checked on the real files parsed
 * with bpmn-moddle and the zeebe extension: job types and headers (shared TASK_TYPES/TASK_HEADERS and the
 * job-worker registry), forms, messages and their correlation keys, errors and escalations, user-task
 * assignment, process ids and files, and every variable a FEEL expression reads having a known producer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import { parseExpression } from 'feelin';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_DECISION_TASK_IDS,
  ALL_FORM_IDS,
  ALL_TASK_TYPES,
  BPMN_ERRORS,
  CANDIDATE_GROUPS,
  ESCALATIONS,
  MESSAGE_CONTRACTS,
  MESSAGES,
  NOTIFICATION_AUDIENCES,
  PROCESS_FILES,
  PROCESS_IDS,
  REVIEW_STAGES,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  WORKSPACE_PHASES,
  WORKSPACE_VOLUMES,
  decisionTask,
  decisionTaskId,
  isEgressStatus,
  isEventName,
  isPermitStatus,
  type MessageName,
} from '../../shared/index.js';
import { TASK_HANDLER_REGISTRY } from '../../job-workers/registry.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BPMN_DIR = join(REPO_ROOT, 'bpmn');
const FORMS_DIR = join(REPO_ROOT, 'forms');
const PROCESSES_DOC = join(REPO_ROOT, 'docs', 'processes.md');

// ---------------------------------------------------------------------------------------------- reading
/** A parsed moddle element: `$type` plus its properties. */
interface El {
  readonly $type: string;
  readonly [property: string]: unknown;
}
const isEl = (value: unknown): value is El => typeof value === 'object' && value !== null && typeof (value as El).$type === 'string';
const str = (el: El | undefined, property: string): string | undefined => (typeof el?.[property] === 'string' ? (el[property] as string) : undefined);
const list = (el: El | undefined, property: string): El[] => (Array.isArray(el?.[property]) ? (el[property] as unknown[]).filter(isEl) : []);
const extensions = (el: El, type: string): El[] => {
  const holder = el.extensionElements;
  return isEl(holder) ? list(holder, 'values').filter((value) => value.$type === type) : [];
};
const extension = (el: El, type: string): El | undefined => extensions(el, type)[0];
const idOf = (el: El) => str(el, 'id') ?? '(no id)';
/** The id of the process an element belongs to. */
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

/** Every string a FEEL engine evaluates: values starting with `=` (headers and documentation are plain text). */
function feelExpressions(diagram: Diagram): { where: string; expression: string }[] {
  const found: { where: string; expression: string }[] = [];
  for (const el of diagram.elements) {
    if (el.$type === 'zeebe:Header' || el.$type === 'bpmn:Documentation') continue;
    for (const [property, value] of Object.entries(el)) {
      if (property.startsWith('$') || property === 'id' || property === 'name' || typeof value !== 'string') continue;
      if (value.trim().startsWith('=')) found.push({ where: `${diagram.file} ${owningId(el)} ${el.$type}.${property}`, expression: value.trim().slice(1) });
    }
  }
  return found;
}

/** The id of the element itself or of its nearest ancestor that has one (extension elements have none). */
function owningId(el: El): string {
  for (let at: unknown = el; isEl(at); at = at.$parent) {
    const id = str(at, 'id');
    if (id) return id;
  }
  return el.$type;
}

/**
 * The variables a FEEL expression reads: root names of variable references, without function names, names the
 * expression binds itself (for/some/every iterators, function parameters, earlier entries of a context) and
 * filter conditions (whose names are the properties of the list's items).
 */
export function variablesRead(expression: string): string[] {
  const read = new Set<string>();
  const text = (node: SyntaxNode) => expression.slice(node.from, node.to);
  const childrenOf = (node: SyntaxNode): SyntaxNode[] => {
    const nodes: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) nodes.push(child);
    return nodes;
  };
  const descendants = (node: SyntaxNode): SyntaxNode[] => childrenOf(node).flatMap((child) => [child, ...descendants(child)]);
  const walk = (node: SyntaxNode, bound: ReadonlySet<string>): void => {
    switch (node.name) {
      case 'VariableName': {
        const isCallee = node.parent?.name === 'FunctionInvocation' && node.prevSibling === null;
        if (!isCallee && !bound.has(text(node))) read.add(text(node));
        return;
      }
      case 'FilterExpression':
        if (node.firstChild) walk(node.firstChild, bound);
        return;
      case 'Context': {
        const scope = new Set(bound);
        for (const entry of childrenOf(node).filter((child) => child.name === 'ContextEntry')) {
          const [key, ...value] = childrenOf(entry);
          for (const part of value) walk(part, scope);
          if (key) scope.add(text(key).replace(/^"|"$/g, ''));
        }
        return;
      }
      case 'ForExpression':
      case 'QuantifiedExpression':
      case 'FunctionDefinition': {
        const scope = new Set(bound);
        for (const name of descendants(node)) {
          if (name.name === 'Name' && ['InExpression', 'FormalParameter'].includes(name.parent?.name ?? '')) scope.add(text(name));
        }
        for (const child of childrenOf(node)) walk(child, scope);
        return;
      }
      default:
        for (const child of childrenOf(node)) walk(child, bound);
    }
  };
  walk(parseExpression(expression, {}, undefined).topNode, new Set());
  return [...read];
}
type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

// ----------------------------------------------------------------------------------- known producers
/** Backticked names in the first column of the markdown table under `### <heading>` in docs/processes.md. */
function documentedVariables(heading: string): string[] {
  if (!existsSync(PROCESSES_DOC)) return [];
  const lines = readFileSync(PROCESSES_DOC, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === `### ${heading}`);
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const cell = /^\|\s*`([A-Za-z_][A-Za-z0-9_]*)`/.exec(line);
    if (cell?.[1]) names.push(cell[1]);
  }
  return names;
}

interface FormComponent {
  type: string;
  key?: string;
  path?: string;
  components?: FormComponent[];
}

/** Top-level variables a form submits: field keys and container paths (dynamic list items live under their path). */
function formOutputs(components: FormComponent[] = []): string[] {
  return components.flatMap((component) => {
    if (component.path) return [component.path.split('.')[0] ?? component.path];
    if (component.key) return [component.key.split('.')[0] ?? component.key];
    return formOutputs(component.components);
  });
}

const formFiles = existsSync(FORMS_DIR) ? readdirSync(FORMS_DIR).filter((f) => f.endsWith('.form')).sort() : [];
const forms = formFiles.map((file) => ({ file, ...(JSON.parse(readFileSync(join(FORMS_DIR, file), 'utf8')) as { id: string; components: FormComponent[] }) }));

// --------------------------------------------------------------------------------------------- tests
const diagramFiles = existsSync(BPMN_DIR) ? readdirSync(BPMN_DIR).filter((f) => f.endsWith('.bpmn')).sort() : [];
let diagrams: Diagram[] = [];

/** All elements of a type across the diagrams, with the file they are in. */
const all = (type: string) => diagrams.flatMap((d) => d.elements.filter((el) => el.$type === type).map((el) => ({ file: d.file, el })));
const where = (file: string, el: El) => `${file} ${owningId(el)}`;

interface Job {
  where: string;
  type: string;
  headers: Record<string, string>;
}
function jobs(): Job[] {
  return diagrams.flatMap((d) =>
    d.elements.flatMap((el) => {
      const definition = extension(el, 'zeebe:TaskDefinition');
      if (!definition) return [];
      const headers = Object.fromEntries(
        extensions(el, 'zeebe:TaskHeaders').flatMap((group) => list(group, 'values').map((h) => [str(h, 'key') ?? '', str(h, 'value') ?? ''])),
      );
      return [{ where: where(d.file, el), type: str(definition, 'type') ?? '', headers }];
    }),
  );
}

/** Collects every violation of a check, so that one run lists them all with file and element. */
function violations() {
  const found: string[] = [];
  return {
    found,
    check(ok: boolean, message: string) {
      if (!ok) found.push(message);
    },
  };
}

describe('the BPMN series in bpmn/', () => {
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

  it('calls only processes of the series', () => {
    const v = violations();
    for (const { file, el } of all('bpmn:CallActivity')) {
      const processId = str(extension(el, 'zeebe:CalledElement'), 'processId') ?? '';
      v.check((Object.values(PROCESS_IDS) as string[]).includes(processId), `${where(file, el)} calls "${processId}", not a process of PROCESS_IDS`);
    }
    expect(v.found).toEqual([]);
  });

  it('uses only job types of TASK_TYPES, each with a handler in the job-worker registry', () => {
    const v = violations();
    const handled = new Set<string>(Object.keys(TASK_HANDLER_REGISTRY));
    for (const job of jobs()) {
      v.check((ALL_TASK_TYPES as readonly string[]).includes(job.type), `${job.where}: job type "${job.type}" is not in TASK_TYPES`);
      v.check(handled.has(job.type), `${job.where}: no handler for "${job.type}" in job-workers/registry.ts`);
    }
    expect(v.found).toEqual([]);
  });

  it('gives task headers only names of TASK_HEADERS and values the workers accept', () => {
    const v = violations();
    const headerNames = Object.values(TASK_HEADERS) as string[];
    const oneOf = (values: readonly string[], value: string | undefined) => value !== undefined && values.includes(value);
    for (const { where: at, type, headers } of jobs()) {
      for (const name of Object.keys(headers)) v.check(headerNames.includes(name), `${at}: header "${name}" is not in TASK_HEADERS`);
      const { status, event, audience, phase, volume, stage, template, action } = headers;
      if (type === TASK_TYPES.permitSetStatus) v.check(isPermitStatus(status), `${at}: status "${status}" is not a PermitStatus`);
      else if (type === TASK_TYPES.permitSetEgressStatus) v.check(isEgressStatus(status), `${at}: status "${status}" is not an EgressStatus`);
      else v.check(status === undefined, `${at}: a status header on ${type}, which takes none`);
      if (event !== undefined) v.check(isEventName(event), `${at}: event "${event}" is not an EventName`);
      if (type === TASK_TYPES.notificationSend) {
        v.check(/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(template ?? ''), `${at}: notification template "${template}" is missing or not kebab-case`);
        v.check(oneOf(NOTIFICATION_AUDIENCES, audience), `${at}: audience "${audience}" is not in NOTIFICATION_AUDIENCES`);
      }
      if (type === TASK_TYPES.auditRecord) {
        v.check(/^[a-z-]+(?:\.[a-z_-]+)+$/.test(action ?? ''), `${at}: audit action "${action}" is missing or not like "setup.reviewed"`);
        if (stage !== undefined) v.check(oneOf([...REVIEW_STAGES, ...WORKSPACE_PHASES], stage), `${at}: audit stage "${stage}" is neither a review stage nor a workspace phase`);
      }
      const needsPhase = type === TASK_TYPES.workspaceProvision || type === TASK_TYPES.workspaceTeardown;
      if (needsPhase || phase !== undefined) v.check(oneOf(WORKSPACE_PHASES, phase), `${at}: phase "${phase}" is not in WORKSPACE_PHASES`);
      if (type === TASK_TYPES.workspaceMountData || volume !== undefined) v.check(oneOf(WORKSPACE_VOLUMES, volume), `${at}: volume "${volume}" is not in WORKSPACE_VOLUMES`);
      for (const flag of ['critical', 'permanent', 'readOnly'] as const) {
        if (headers[flag] !== undefined) v.check(oneOf(['true', 'false'], headers[flag]), `${at}: ${flag} must be "true" or "false"`);
      }
    }
    expect(v.found).toEqual([]);
  });

  it('gives every user task a Camunda user task, a form of forms/, candidate groups of CANDIDATE_GROUPS and a due date', () => {
    const v = violations();
    const groups = Object.values(CANDIDATE_GROUPS) as string[];
    const deployedForms = forms.map((f) => f.id);
    for (const { file, el } of all('bpmn:UserTask')) {
      const at = where(file, el);
      v.check(extension(el, 'zeebe:UserTask') !== undefined, `${at} is not a Camunda user task (zeebe:userTask)`);
      const formId = str(extension(el, 'zeebe:FormDefinition'), 'formId') ?? '';
      v.check((ALL_FORM_IDS as readonly string[]).includes(formId), `${at}: formId "${formId}" is not in FORM_IDS`);
      v.check(deployedForms.includes(formId), `${at}: form "${formId}" is not in forms/`);
      const candidateGroups = str(extension(el, 'zeebe:AssignmentDefinition'), 'candidateGroups')?.split(',').map((g) => g.trim()) ?? [];
      v.check(candidateGroups.length > 0, `${at} has no candidate groups`);
      for (const group of candidateGroups) v.check(groups.includes(group), `${at}: candidate group "${group}" is not in CANDIDATE_GROUPS`);
      v.check(/\S/.test(str(extension(el, 'zeebe:TaskSchedule'), 'dueDate') ?? ''), `${at} has no due date (zeebe:taskSchedule dueDate)`);
    }
    expect(v.found).toEqual([]);
  });

  it('gives every user task the completing decision listener and an entry of DECISION_TASKS, and DECISION_TASKS nothing else', () => {
    const v = violations();
    const handled = new Set<string>(Object.keys(TASK_HANDLER_REGISTRY));
    v.check(handled.has(TASK_TYPES.reviewCheckDecision), `no handler for "${TASK_TYPES.reviewCheckDecision}" in job-workers/registry.ts`);
    const found = new Set<string>();
    for (const { file, el } of all('bpmn:UserTask')) {
      const at = where(file, el);
      const processId = processOf(el);
      const id = decisionTaskId(processId, idOf(el));
      v.check(id !== undefined, `${at}: ${processId}/${idOf(el)} is not in DECISION_TASKS (shared/decision-tasks.ts)`);
      if (id) {
        found.add(id);
        const entry = decisionTask(id);
        v.check(entry.formId === str(extension(el, 'zeebe:FormDefinition'), 'formId'), `${at}: DECISION_TASKS says form "${entry.formId}"`);
        v.check(entry.candidateGroup === str(extension(el, 'zeebe:AssignmentDefinition'), 'candidateGroups'), `${at}: DECISION_TASKS says candidate group "${entry.candidateGroup}"`);
      }
      const listeners = extensions(el, 'zeebe:TaskListeners').flatMap((group) => list(group, 'listeners'));
      const completing = listeners.filter((l) => str(l, 'eventType') === 'completing' && str(l, 'type') === TASK_TYPES.reviewCheckDecision);
      v.check(completing.length === 1, `${at} needs exactly one <zeebe:taskListener eventType="completing" type="${TASK_TYPES.reviewCheckDecision}">`);
      for (const listener of listeners) {
        const type = str(listener, 'type') ?? '';
        v.check(handled.has(type), `${at}: task listener type "${type}" has no handler in job-workers/registry.ts`);
      }
    }
    for (const id of ALL_DECISION_TASK_IDS) v.check(found.has(id), `DECISION_TASKS has ${id}, which is no user task of bpmn/`);
    expect(v.found).toEqual([]);
  });

  it('links every form in forms/ from some user task', () => {
    const linked = new Set(all('bpmn:UserTask').map(({ el }) => str(extension(el, 'zeebe:FormDefinition'), 'formId')));
    expect(forms.filter((form) => !linked.has(form.id)).map((form) => form.file), 'forms no user task uses').toEqual([]);
  });

  it('names messages as MESSAGES with the correlation keys of MESSAGE_CONTRACTS, and catches every message', () => {
    const v = violations();
    const contracts = MESSAGE_CONTRACTS as Record<string, { correlationKey: string }>;
    const definitions = all('bpmn:MessageEventDefinition');
    const caught = new Set<string>();
    for (const { file, el } of all('bpmn:Message')) {
      const name = str(el, 'name') ?? '';
      const at = `${where(file, el)} (${name})`;
      v.check(name in contracts, `${at} is not a message of MESSAGES`);
      const correlationKey = str(extension(el, 'zeebe:Subscription'), 'correlationKey');
      // A message that only starts a process needs no subscription; every other use needs the contract's key.
      const onlyStartsProcess = definitions
        .filter((d) => d.file === file && d.el.messageRef === el)
        .every(({ el: definition }) => {
          const event = definition.$parent as El | undefined;
          return event?.$type === 'bpmn:StartEvent' && (event.$parent as El | undefined)?.$type === 'bpmn:Process';
        });
      if (!onlyStartsProcess || correlationKey !== undefined) {
        v.check(correlationKey === contracts[name]?.correlationKey, `${at}: correlation key "${correlationKey}", the contract says "${contracts[name]?.correlationKey}"`);
      }
      caught.add(name);
    }
    for (const { file, el } of definitions) v.check(isEl(el.messageRef), `${where(file, el)} references no message`);
    for (const name of Object.values(MESSAGES) as MessageName[]) v.check(caught.has(name), `no diagram catches message "${name}"`);
    expect(v.found).toEqual([]);
  });

  it('uses only the error codes of BPMN_ERRORS and the escalation codes of ESCALATIONS', () => {
    const v = violations();
    for (const { file, el } of all('bpmn:Error')) {
      v.check((Object.values(BPMN_ERRORS) as string[]).includes(str(el, 'errorCode') ?? ''), `${where(file, el)}: errorCode "${str(el, 'errorCode')}" is not in BPMN_ERRORS`);
    }
    for (const { file, el } of all('bpmn:Escalation')) {
      v.check((Object.values(ESCALATIONS) as string[]).includes(str(el, 'escalationCode') ?? ''), `${where(file, el)}: escalationCode "${str(el, 'escalationCode')}" is not in ESCALATIONS`);
    }
    expect(v.found).toEqual([]);
  });

  it('reads only variables that a form, a review, a message, a script, a mapping, a start variable or a worker produces', () => {
    const produced = new Set<string>([
      ...forms.flatMap((form) => formOutputs(form.components)),
      ...Object.values(MESSAGE_CONTRACTS).flatMap((contract) => contract.variables),
      // Set by the REST API together with the form's variables when it completes a review task.
      ...Object.values(REVIEW_VARIABLES).map((names) => names.reviewer),
      ...documentedVariables('Start variables'),
      ...documentedVariables('Worker outputs'),
    ]);
    for (const d of diagrams) {
      for (const el of d.elements) {
        if (el.$type === 'zeebe:Script') produced.add(str(el, 'resultVariable') ?? '');
        if (el.$type === 'zeebe:Input' || el.$type === 'zeebe:Output') produced.add((str(el, 'target') ?? '').split('.')[0] ?? '');
        if (el.$type === 'zeebe:LoopCharacteristics') for (const p of ['inputElement', 'outputCollection']) produced.add(str(el, p) ?? '');
      }
    }
    expect(documentedVariables('Start variables'), 'docs/processes.md documents the start variables').toContain('permitId');
    const unknown = diagrams.flatMap((d) =>
      feelExpressions(d).flatMap(({ where: at, expression }) =>
        variablesRead(expression).filter((name) => !produced.has(name)).map((name) => `${at} reads ${name} in "=${expression}"`),
      ),
    );
    expect(unknown, 'variables with no known producer (add them to docs/processes.md "Start variables" or "Worker outputs" if they are real)').toEqual([]);
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
