import type { CompileContext } from './compile-context.js';
import { bodyOf, bool, child, children, extension, extensions, idOf, str, type El } from './moddle-element.js';
import type {
  CalledDecisionDefinition,
  CalledElementDefinition,
  JobDefinition,
  JobWorkerUserTaskHeaders,
  Mapping,
  MultiInstanceDefinition,
  TaskListenerDefinition,
  TaskListenerEventType,
  UserTaskDefinition,
} from './types.js';
import { TASK_LISTENER_EVENT_TYPES } from './types.js';

/** Readers for the `zeebe:*` extension elements; each refuses what the engine cannot run. */

const PATH_RE = /^[^.\s]+(?:\.[^.\s]+)*$/;

export function readIoMappings(el: El, ctx: CompileContext): { inputMappings: Mapping[]; outputMappings: Mapping[] } {
  const id = idOf(el);
  const read = (kind: 'input' | 'output', parameters: El[]): Mapping[] =>
    parameters.map((parameter) => {
      const source = str(parameter, 'source') ?? '';
      const target = str(parameter, 'target') ?? '';
      if (!PATH_RE.test(target)) ctx.refuse(id, `zeebe:${kind} target '${target}' is not a variable name or path`);
      ctx.expression(id, `zeebe:${kind} source for '${target}'`, source);
      return { source, target };
    });
  const mappings = extensions(el, 'zeebe:IoMapping');
  return {
    inputMappings: mappings.flatMap((m) => read('input', children(m, 'inputParameters'))),
    outputMappings: mappings.flatMap((m) => read('output', children(m, 'outputParameters'))),
  };
}

export function readHeaders(el: El): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const group of extensions(el, 'zeebe:TaskHeaders')) {
    for (const header of children(group, 'values')) {
      const key = str(header, 'key');
      if (key !== undefined) headers[key] = str(header, 'value') ?? '';
    }
  }
  return headers;
}

/** `zeebe:taskDefinition`; undefined when absent. Refuses a missing type. */
export function readTaskDefinition(el: El, ctx: CompileContext, what: string): JobDefinition | undefined {
  const definition = extension(el, 'zeebe:TaskDefinition');
  if (!definition) return undefined;
  const id = idOf(el);
  const type = str(definition, 'type')?.trim() ?? '';
  if (type === '') ctx.refuse(id, `${what} has no zeebe:taskDefinition type`);
  const retries = str(definition, 'retries')?.trim() || '3';
  ctx.expression(id, 'zeebe:taskDefinition type', type);
  ctx.expression(id, 'zeebe:taskDefinition retries', retries);
  if (!retries.startsWith('=') && !/^\d+$/.test(retries)) {
    ctx.refuse(id, `zeebe:taskDefinition retries '${retries}' is not a whole number`);
  }
  return { type, retries, headers: readHeaders(el) };
}

/** Execution listeners change the lifecycle of every element; the engine has none. Task listeners belong on user tasks. */
export function refuseListeners(el: El, ctx: CompileContext): void {
  if (extensions(el, 'zeebe:ExecutionListeners').some((group) => children(group, 'listeners').length > 0)) {
    ctx.refuse(idOf(el), 'execution listeners not supported');
  }
  if (el.$type !== 'bpmn:UserTask' && extensions(el, 'zeebe:TaskListeners').some((group) => children(group, 'listeners').length > 0)) {
    ctx.refuse(idOf(el), 'task listeners are only supported on user tasks');
  }
}

/** `zeebe:taskListeners` of a Camunda user task, in model order; refuses event types the engine cannot run. */
export function readTaskListeners(el: El, ctx: CompileContext): TaskListenerDefinition[] {
  const id = idOf(el);
  const out: TaskListenerDefinition[] = [];
  for (const listener of extensions(el, 'zeebe:TaskListeners').flatMap((group) => children(group, 'listeners'))) {
    const eventType = str(listener, 'eventType')?.trim() ?? '';
    const type = str(listener, 'type')?.trim() ?? '';
    const retries = str(listener, 'retries')?.trim() || '3';
    if (eventType === 'canceling') {
      ctx.refuse(id, "task listener eventType 'canceling' is not supported: the engine does not hold a task's termination for listeners");
      continue;
    }
    if (!(TASK_LISTENER_EVENT_TYPES as readonly string[]).includes(eventType)) {
      ctx.refuse(id, `task listener eventType '${eventType}' is not supported; use one of ${TASK_LISTENER_EVENT_TYPES.join(', ')}`);
      continue;
    }
    if (type === '') ctx.refuse(id, `task listener (${eventType}) has no type`);
    ctx.expression(id, `task listener (${eventType}) type`, type);
    ctx.expression(id, `task listener (${eventType}) retries`, retries);
    if (!retries.startsWith('=') && !/^\d+$/.test(retries)) {
      ctx.refuse(id, `task listener (${eventType}) retries '${retries}' is not a whole number`);
    }
    out.push({ eventType: eventType as TaskListenerEventType, type, retries });
  }
  return out;
}

/** The job type Zeebe gives the job of a job-worker user task (a `bpmn:userTask` without `zeebe:userTask`). */
export const JOB_WORKER_USER_TASK_TYPE = 'io.camunda.zeebe:userTask';

/**
 * A job-worker user task (no `zeebe:userTask`), as Zeebe runs it: a job of type `io.camunda.zeebe:userTask` with
 * one retry, whose custom headers carry the form and assignment (`io.camunda.zeebe:formKey`, `:assignee`,
 * `:candidateGroups`, `:candidateUsers`, `:dueDate`, `:followUpDate`), evaluated when the job is created.
 */
export function readJobWorkerUserTask(el: El, ctx: CompileContext): JobDefinition {
  const id = idOf(el);
  if (extensions(el, 'zeebe:TaskListeners').some((group) => children(group, 'listeners').length > 0)) {
    ctx.refuse(id, 'task listeners are only supported on Camunda user tasks (zeebe:userTask), not on job-worker user tasks');
  }
  const userTaskHeaders: JobWorkerUserTaskHeaders = {};
  const form = extension(el, 'zeebe:FormDefinition');
  if (form) {
    if (str(form, 'externalReference')) ctx.refuse(id, 'zeebe:formDefinition externalReference needs a Camunda user task (zeebe:userTask)');
    refuseBinding(form, ctx, id, 'zeebe:formDefinition');
    userTaskHeaders.formKey = str(form, 'formKey') || undefined;
    userTaskHeaders.formId = str(form, 'formId') || undefined;
  }
  Object.assign(userTaskHeaders, readAssignmentAndSchedule(el, ctx));
  for (const key of Object.keys(userTaskHeaders) as (keyof JobWorkerUserTaskHeaders)[]) {
    if (userTaskHeaders[key] === undefined) delete userTaskHeaders[key];
  }
  return { type: JOB_WORKER_USER_TASK_TYPE, retries: '1', headers: readHeaders(el), userTaskHeaders };
}

/** `zeebe:assignmentDefinition` and `zeebe:taskSchedule` of either kind of user task (expressions checked, unset absent). */
function readAssignmentAndSchedule(el: El, ctx: CompileContext): Pick<JobWorkerUserTaskHeaders, 'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate'> {
  const id = idOf(el);
  const assignment = extension(el, 'zeebe:AssignmentDefinition');
  const schedule = extension(el, 'zeebe:TaskSchedule');
  return {
    assignee: ctx.expression(id, 'zeebe:assignmentDefinition assignee', str(assignment, 'assignee') || undefined),
    candidateGroups: ctx.expression(id, 'zeebe:assignmentDefinition candidateGroups', str(assignment, 'candidateGroups') || undefined),
    candidateUsers: ctx.expression(id, 'zeebe:assignmentDefinition candidateUsers', str(assignment, 'candidateUsers') || undefined),
    dueDate: ctx.expression(id, 'zeebe:taskSchedule dueDate', str(schedule, 'dueDate') || undefined),
    followUpDate: ctx.expression(id, 'zeebe:taskSchedule followUpDate', str(schedule, 'followUpDate') || undefined),
  };
}

/** `zeebe:userTask` user tasks; undefined for a job-worker user task (see readJobWorkerUserTask). */
export function readUserTask(el: El, ctx: CompileContext): UserTaskDefinition | undefined {
  const id = idOf(el);
  if (!extension(el, 'zeebe:UserTask')) return undefined;
  const definition: UserTaskDefinition = { headers: readHeaders(el) };
  const form = extension(el, 'zeebe:FormDefinition');
  if (form) {
    if (str(form, 'formKey')) ctx.refuse(id, 'zeebe:formDefinition formKey (embedded form) is not supported; use formId or externalReference');
    refuseBinding(form, ctx, id, 'zeebe:formDefinition');
    definition.formId = str(form, 'formId') || undefined;
    definition.externalReference = ctx.expression(id, 'zeebe:formDefinition externalReference', str(form, 'externalReference') || undefined);
  }
  Object.assign(definition, readAssignmentAndSchedule(el, ctx));
  const priority = str(extension(el, 'zeebe:PriorityDefinition'), 'priority') || undefined;
  definition.priority = ctx.expression(id, 'zeebe:priorityDefinition priority', priority);
  if (priority !== undefined && !priority.startsWith('=')) {
    const n = Number(priority);
    if (!Number.isInteger(n) || n < 0 || n > 100) ctx.refuse(id, `zeebe:priorityDefinition priority '${priority}' must be a whole number from 0 to 100`);
  }
  const listeners = readTaskListeners(el, ctx);
  if (listeners.length > 0) definition.listeners = listeners;
  for (const key of Object.keys(definition) as (keyof UserTaskDefinition)[]) {
    if (definition[key] === undefined) delete definition[key];
  }
  return definition;
}

function refuseBinding(el: El, ctx: CompileContext, id: string, what: string): void {
  const binding = str(el, 'bindingType');
  if (binding !== undefined && binding !== 'latest' && binding !== 'deployment') {
    ctx.refuse(id, `${what} bindingType '${binding}' is not supported; use 'latest'`);
  }
}

export function readCalledElement(el: El, ctx: CompileContext): CalledElementDefinition | undefined {
  const id = idOf(el);
  const called = extension(el, 'zeebe:CalledElement');
  const processId = str(called, 'processId')?.trim() ?? '';
  if (!called || processId === '') {
    ctx.refuse(id, 'call activity needs zeebe:calledElement processId');
    return undefined;
  }
  refuseBinding(called, ctx, id, 'zeebe:calledElement');
  ctx.expression(id, 'zeebe:calledElement processId', processId);
  return {
    processId,
    propagateAllChildVariables: bool(called, 'propagateAllChildVariables') ?? true,
    propagateAllParentVariables: bool(called, 'propagateAllParentVariables') ?? true,
  };
}

/** `zeebe:calledDecision` of a business rule task: decision id (static or FEEL), result variable, binding. */
export function readCalledDecision(el: El, ctx: CompileContext): CalledDecisionDefinition | undefined {
  const id = idOf(el);
  const called = extension(el, 'zeebe:CalledDecision');
  if (!called) return undefined;
  const decisionId = str(called, 'decisionId')?.trim() ?? '';
  const resultVariable = str(called, 'resultVariable')?.trim() ?? '';
  if (decisionId === '') ctx.refuse(id, 'zeebe:calledDecision needs a decisionId');
  else ctx.expression(id, 'zeebe:calledDecision decisionId', decisionId);
  if (resultVariable === '') ctx.refuse(id, 'zeebe:calledDecision needs a resultVariable');
  const bindingType = str(called, 'bindingType')?.trim() || 'latest';
  const versionTag = str(called, 'versionTag')?.trim() || undefined;
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    ctx.refuse(id, `zeebe:calledDecision bindingType '${bindingType}' is not supported; use 'latest', 'deployment' or 'versionTag'`);
    return undefined;
  }
  if (bindingType === 'versionTag' && versionTag === undefined) ctx.refuse(id, "zeebe:calledDecision bindingType 'versionTag' needs a versionTag");
  return { decisionId, resultVariable, bindingType, ...(bindingType === 'versionTag' && versionTag ? { versionTag } : {}) };
}

export function readMultiInstance(el: El, ctx: CompileContext): MultiInstanceDefinition | undefined {
  const loop = child(el, 'loopCharacteristics');
  if (!loop) return undefined;
  const id = idOf(el);
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.refuse(id, `${loop.$type} is not supported; use multi-instance with zeebe:loopCharacteristics`);
    return undefined;
  }
  const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
  const inputCollection = str(zeebe, 'inputCollection')?.trim() ?? '';
  if (inputCollection === '') {
    ctx.refuse(id, 'multi-instance needs zeebe:loopCharacteristics inputCollection');
    return undefined;
  }
  const definition: MultiInstanceDefinition = {
    sequential: bool(loop, 'isSequential') ?? false,
    inputCollection: ctx.expression(id, 'inputCollection', inputCollection, true)!,
  };
  const inputElement = str(zeebe, 'inputElement')?.trim();
  const outputCollection = str(zeebe, 'outputCollection')?.trim();
  const outputElement = str(zeebe, 'outputElement')?.trim();
  const completionCondition = bodyOf(child(loop, 'completionCondition'));
  if (inputElement) definition.inputElement = inputElement;
  if (outputCollection) definition.outputCollection = outputCollection;
  if (outputElement) definition.outputElement = ctx.expression(id, 'outputElement', outputElement, true);
  if (outputCollection && !outputElement) ctx.refuse(id, 'multi-instance outputCollection needs an outputElement');
  if (outputElement && !outputCollection) ctx.refuse(id, 'multi-instance outputElement needs an outputCollection');
  if (completionCondition) definition.completionCondition = ctx.expression(id, 'completionCondition', completionCondition, true);
  return definition;
}
