/**
 * What the rules of bpmnlint-plugin-spe need to know about the rest of the platform, read from where it lives
 * once: `shared/` (task types, headers, statuses, messages, forms, decision tasks, errors), the job-worker
 * registry, the deployed forms in `forms/` and the variable tables of `docs/processes.md`. The rules run in Node
 * (`npm run lint`) and in Camunda Modeler (bundled for the browser), where they can import neither TypeScript nor
 * files, so `generate-known-names.mts` writes this to `known-names.json` (committed), and
 * `test/process/diagram-lint-known-names.process.test.ts` fails when the committed file is not current.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_DECISION_TASK_IDS,
  ALL_EVENTS,
  ALL_FORM_IDS,
  ALL_TASK_TYPES,
  BPMN_ERRORS,
  CANDIDATE_GROUPS,
  EGRESS_STATUSES,
  ESCALATIONS,
  MESSAGE_CONTRACTS,
  NOTIFICATION_AUDIENCES,
  PERMIT_STATUSES,
  PROCESS_IDS,
  REVIEW_STAGES,
  REVIEW_VARIABLES,
  TASK_HEADERS,
  TASK_TYPES,
  WORKSPACE_PHASES,
  WORKSPACE_VOLUMES,
  decisionTask,
} from '../shared/index.js';
import { TASK_HANDLER_REGISTRY } from '../job-workers/registry.js';

/** The shape of `known-names.json`; the rules read it as plain JSON. */
export interface KnownNames {
  /** Process ids of the series (`PROCESS_IDS`). */
  processIds: string[];
  /** Job types of `TASK_TYPES`, and the ones the job-worker registry has a handler for. */
  taskTypes: string[];
  handledTaskTypes: string[];
  /** Task types whose headers the workers read in a particular way (see rules/task-headers.js). */
  roles: {
    setStatus: string;
    setEgressStatus: string;
    notificationSend: string;
    auditRecord: string;
    workspaceProvision: string;
    workspaceTeardown: string;
    workspaceMountData: string;
    decisionListener: string;
  };
  taskHeaders: string[];
  permitStatuses: string[];
  egressStatuses: string[];
  eventNames: string[];
  notificationAudiences: string[];
  reviewStages: string[];
  workspacePhases: string[];
  workspaceVolumes: string[];
  /** `FORM_IDS`, and the ids of the forms in `forms/` (what `npm start` and `npm run deploy` deploy). */
  formIds: string[];
  deployedFormIds: string[];
  candidateGroups: string[];
  /** `DECISION_TASKS`: every decision user task, by process id and element id. */
  decisionTasks: { processId: string; elementId: string; formId: string; candidateGroup: string }[];
  /** `MESSAGE_CONTRACTS`: message name → correlation key. */
  messages: Record<string, string>;
  errorCodes: string[];
  escalationCodes: string[];
  /**
   * Variables produced outside the diagrams: form fields, message variables, the reviewer the REST API sets,
   * and the start variables and worker outputs documented in docs/processes.md. Mappings, scripts and
   * multi-instance elements inside the diagram being linted add to these.
   */
  externalVariables: string[];
}

interface FormComponent {
  key?: string;
  path?: string;
  components?: FormComponent[];
}

/** Top-level variables a form submits: field keys and container paths (dynamic list items live under their path). */
export function formOutputs(components: FormComponent[] = []): string[] {
  return components.flatMap((component) => {
    if (component.path) return [component.path.split('.')[0] ?? component.path];
    if (component.key) return [component.key.split('.')[0] ?? component.key];
    return formOutputs(component.components);
  });
}

/** Backticked names in the first column of the markdown table under `### <heading>`. */
export function documentedVariables(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
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

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Builds the known names from the repository at `repoRoot`; fails when a file it needs is missing. */
export function buildKnownNames(repoRoot: string): KnownNames {
  const formsDir = join(repoRoot, 'forms');
  const forms = readdirSync(formsDir)
    .filter((file) => file.endsWith('.form'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(formsDir, file), 'utf8')) as { id: string; components?: FormComponent[] });
  const processesDoc = join(repoRoot, 'docs', 'processes.md');
  if (!existsSync(processesDoc)) throw new Error(`${processesDoc} is missing: it documents the start variables and worker outputs`);
  const markdown = readFileSync(processesDoc, 'utf8');
  const startVariables = documentedVariables(markdown, 'Start variables');
  if (!startVariables.includes('permitId')) throw new Error('docs/processes.md "### Start variables" does not list permitId: is the table still there?');
  return {
    processIds: unique(Object.values(PROCESS_IDS)),
    taskTypes: unique(ALL_TASK_TYPES),
    handledTaskTypes: unique(Object.keys(TASK_HANDLER_REGISTRY)),
    roles: {
      setStatus: TASK_TYPES.permitSetStatus,
      setEgressStatus: TASK_TYPES.permitSetEgressStatus,
      notificationSend: TASK_TYPES.notificationSend,
      auditRecord: TASK_TYPES.auditRecord,
      workspaceProvision: TASK_TYPES.workspaceProvision,
      workspaceTeardown: TASK_TYPES.workspaceTeardown,
      workspaceMountData: TASK_TYPES.workspaceMountData,
      decisionListener: TASK_TYPES.reviewCheckDecision,
    },
    taskHeaders: unique(Object.values(TASK_HEADERS)),
    permitStatuses: [...PERMIT_STATUSES],
    egressStatuses: [...EGRESS_STATUSES],
    eventNames: unique(ALL_EVENTS),
    notificationAudiences: [...NOTIFICATION_AUDIENCES],
    reviewStages: [...REVIEW_STAGES],
    workspacePhases: [...WORKSPACE_PHASES],
    workspaceVolumes: [...WORKSPACE_VOLUMES],
    formIds: unique(ALL_FORM_IDS),
    deployedFormIds: unique(forms.map((form) => form.id)),
    candidateGroups: unique(Object.values(CANDIDATE_GROUPS)),
    decisionTasks: ALL_DECISION_TASK_IDS.map((id) => {
      const [processId = '', elementId = ''] = id.split('/');
      const { formId, candidateGroup } = decisionTask(id);
      return { processId, elementId, formId, candidateGroup };
    }),
    messages: Object.fromEntries(Object.entries(MESSAGE_CONTRACTS).map(([name, contract]) => [name, contract.correlationKey])),
    errorCodes: unique(Object.values(BPMN_ERRORS)),
    escalationCodes: unique(Object.values(ESCALATIONS)),
    externalVariables: unique([
      ...forms.flatMap((form) => formOutputs(form.components)),
      ...Object.values(MESSAGE_CONTRACTS).flatMap((contract) => contract.variables),
      // Set by the REST API together with the form's variables when it completes a review task.
      ...Object.values(REVIEW_VARIABLES).map((names) => names.reviewer),
      ...startVariables,
      ...documentedVariables(markdown, 'Worker outputs'),
    ]),
  };
}

/** The file as committed: two-space JSON with a final newline. */
export function knownNamesJson(names: KnownNames): string {
  return `${JSON.stringify(names, null, 2)}\n`;
}
