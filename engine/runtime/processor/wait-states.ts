/**
 * Wait states that people or workers end: jobs (service, send, business rule, script-as-job and message
 * throw events) and Camunda user tasks.
 */
import type { CompiledElement, JobWorkerUserTaskHeaders } from '../../model/types.js';
import {
  ExpressionError,
  evaluateNumber,
  evaluateOptionalDateTime,
  evaluateString,
  evaluateStringList,
} from '../../feel/index.js';
import type { ElementInstanceRecord, JobRecord, UserTaskRecord } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import { RAISED } from './incidents.js';

export class WaitStates {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'incidents' | 'taskListeners' | 'userTasks'>,
  ) {}

  createJob(ei: ElementInstanceRecord, element: CompiledElement): void {
    const def = element.job!;
    const evaluated = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => {
      const context = def.type.startsWith('=') || def.retries.startsWith('=') || def.userTaskHeaders ? this.ctx.vars.visible(ei.elementInstanceKey) : {};
      const type = evaluateString(def.type, context);
      const retries = def.retries.startsWith('=') ? evaluateNumber(def.retries, context) : Number(def.retries);
      return { type, retries, userTaskHeaders: def.userTaskHeaders ? jobWorkerUserTaskHeaders(def.userTaskHeaders, context) : {} };
    });
    if (evaluated === RAISED) return;
    const { type, retries, userTaskHeaders } = evaluated;
    const formId = def.userTaskHeaders?.formId;
    if (formId) {
      const form = this.ctx.state.latestForm.get(formId);
      if (!form) {
        this.raiseFormNotFound(ei, formId);
        return;
      }
      userTaskHeaders[USER_TASK_HEADERS.formKey] = form.formKey;
    }
    const deployed = this.ctx.state.definitions.get(ei.processDefinitionKey)!;
    const job: JobRecord = {
      kind: 'job',
      jobKey: this.ctx.keys.next(),
      type,
      state: 'CREATED',
      retries: Number.isFinite(retries) ? retries : 3,
      worker: '',
      customHeaders: { ...def.headers, ...userTaskHeaders },
      processInstanceKey: ei.processInstanceKey,
      processDefinitionKey: ei.processDefinitionKey,
      processDefinitionId: ei.processDefinitionId,
      processDefinitionVersion: deployed.record.version,
      elementId: ei.elementId,
      elementInstanceKey: ei.elementInstanceKey,
      tenantId: ei.tenantId,
      hasFailedWithRetriesLeft: false,
    };
    this.ctx.state.addJob(job);
    this.ctx.state.touch(job);
    this.makeActivatable(job);
  }

  makeActivatable(job: JobRecord): void {
    this.ctx.state.activatable.add(job.type, job.jobKey);
    this.ctx.hooks.jobActivatable(job.type);
  }

  createUserTask(ei: ElementInstanceRecord, element: CompiledElement): void {
    const def = element.userTask!;
    const deployed = this.ctx.state.definitions.get(ei.processDefinitionKey)!;
    const task = this.it.incidents.evaluateOrRaise(ei, 'EXTRACT_VALUE_ERROR', () => {
      const context = this.ctx.vars.visible(ei.elementInstanceKey);
      const assignee = def.assignee ? evaluateString(def.assignee, context) : undefined;
      const dueDate = def.dueDate ? evaluateOptionalDateTime(def.dueDate, context) : undefined;
      const followUpDate = def.followUpDate ? evaluateOptionalDateTime(def.followUpDate, context) : undefined;
      const externalFormReference = def.externalReference ? evaluateString(def.externalReference, context) : undefined;
      const priority = def.priority ? evaluateNumber(def.priority, context) : 50;
      if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
        throw new ExpressionError(`Expected priority to be an integer between 0 and 100, but was '${priority}'.`, def.priority ?? '');
      }
      const task: UserTaskRecord = {
        kind: 'userTask',
        userTaskKey: this.ctx.keys.next(),
        name: element.name ?? element.id,
        state: 'CREATED',
        ...(assignee ? { assignee } : {}),
        elementId: ei.elementId,
        elementInstanceKey: ei.elementInstanceKey,
        candidateGroups: def.candidateGroups ? evaluateStringList(def.candidateGroups, context) : [],
        candidateUsers: def.candidateUsers ? evaluateStringList(def.candidateUsers, context) : [],
        processDefinitionId: ei.processDefinitionId,
        processDefinitionKey: ei.processDefinitionKey,
        processDefinitionVersion: deployed.record.version,
        processName: deployed.record.name ?? deployed.record.processDefinitionId,
        processInstanceKey: ei.processInstanceKey,
        creationDate: this.ctx.iso(),
        ...(dueDate ? { dueDate } : {}),
        ...(followUpDate ? { followUpDate } : {}),
        tenantId: ei.tenantId,
        ...(externalFormReference ? { externalFormReference } : {}),
        customHeaders: { ...def.headers },
        priority,
      };
      return task;
    });
    if (task === RAISED) return;
    if (def.formId) {
      const form = this.ctx.state.latestForm.get(def.formId);
      if (!form) {
        this.raiseFormNotFound(ei, def.formId);
        return;
      }
      task.formKey = form.formKey;
    }
    this.ctx.state.addUserTask(task);
    this.ctx.state.touch(task);
    if (def.listeners) this.startListenersOfCreation(task);
  }

  private raiseFormNotFound(ei: ElementInstanceRecord, formId: string): void {
    this.it.incidents.raise(
      ei,
      'FORM_NOT_FOUND',
      `Expected to find a form with id '${formId}', but no form with this id is found, at least a form with this id should be available. To resolve the Incident please deploy a form with the same id`,
      { step: 'activate' },
    );
  }

  /** With task listeners, the model's assignee is assigned only once creation is accepted (as in Zeebe). */
  private startListenersOfCreation(task: UserTaskRecord): void {
    const modelAssignee = task.assignee;
    if (this.it.taskListeners.has(task, 'creating')) {
      delete task.assignee;
      this.it.taskListeners.start(task, { eventType: 'creating', action: '', changes: {}, ...(modelAssignee ? { modelAssignee } : {}) });
    } else if (modelAssignee && this.it.taskListeners.has(task, 'assigning')) {
      delete task.assignee;
      this.it.userTasks.assignAfterCreation(task, modelAssignee);
    }
  }

  /** Cancels the job an element instance waits on (on termination). */
  cancelJobOf(ei: ElementInstanceRecord): void {
    const jobKey = this.ctx.state.jobByElement.get(ei.elementInstanceKey);
    const job = jobKey ? this.ctx.state.jobs.get(jobKey) : undefined;
    if (job) {
      job.state = 'CANCELED';
      job.endTime = this.ctx.iso();
      this.ctx.state.removeJob(job);
      this.ctx.state.touch(job);
    }
  }

  /** Cancels the user task of a terminated user task element, and its listeners' transition. */
  cancelUserTaskOf(ei: ElementInstanceRecord): void {
    const taskKey = this.ctx.state.userTaskByElement.get(ei.elementInstanceKey);
    const task = taskKey ? this.ctx.state.userTasks.get(taskKey) : undefined;
    if (task) {
      this.it.taskListeners.cancel(task);
      task.state = 'CANCELED';
      this.ctx.state.removeUserTask(task);
      this.ctx.state.touch(task);
    }
  }
}

/** The custom header names Zeebe gives a job-worker user task's job (Zeebe's `Protocol.USER_TASK_*_HEADER_NAME`). */
export const USER_TASK_HEADERS = {
  formKey: 'io.camunda.zeebe:formKey',
  assignee: 'io.camunda.zeebe:assignee',
  candidateGroups: 'io.camunda.zeebe:candidateGroups',
  candidateUsers: 'io.camunda.zeebe:candidateUsers',
  dueDate: 'io.camunda.zeebe:dueDate',
  followUpDate: 'io.camunda.zeebe:followUpDate',
} as const;

/** The headers of a job-worker user task, evaluated now: candidate lists as JSON arrays, as Zeebe writes them. */
function jobWorkerUserTaskHeaders(def: JobWorkerUserTaskHeaders, context: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (def.formKey) headers[USER_TASK_HEADERS.formKey] = def.formKey;
  const assignee = def.assignee ? evaluateString(def.assignee, context) : undefined;
  if (assignee) headers[USER_TASK_HEADERS.assignee] = assignee;
  const groups = def.candidateGroups ? evaluateStringList(def.candidateGroups, context) : [];
  if (groups.length > 0) headers[USER_TASK_HEADERS.candidateGroups] = JSON.stringify(groups);
  const users = def.candidateUsers ? evaluateStringList(def.candidateUsers, context) : [];
  if (users.length > 0) headers[USER_TASK_HEADERS.candidateUsers] = JSON.stringify(users);
  const dueDate = def.dueDate ? evaluateOptionalDateTime(def.dueDate, context) : undefined;
  if (dueDate) headers[USER_TASK_HEADERS.dueDate] = dueDate;
  const followUpDate = def.followUpDate ? evaluateOptionalDateTime(def.followUpDate, context) : undefined;
  if (followUpDate) headers[USER_TASK_HEADERS.followUpDate] = followUpDate;
  return headers;
}
