/**
 * Wait states that people or workers end: jobs (service, send, business rule, script-as-job and message
 * throw events) and Camunda user tasks.
 */
import type { CompiledElement } from '../../model/types.js';
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
      const context = def.type.startsWith('=') || def.retries.startsWith('=') ? this.ctx.vars.visible(ei.elementInstanceKey) : {};
      const type = evaluateString(def.type, context);
      const retries = def.retries.startsWith('=') ? evaluateNumber(def.retries, context) : Number(def.retries);
      return { type, retries };
    });
    if (evaluated === RAISED) return;
    const { type, retries } = evaluated;
    const deployed = this.ctx.state.definitions.get(ei.processDefinitionKey)!;
    const job: JobRecord = {
      kind: 'job',
      jobKey: this.ctx.keys.next(),
      type,
      state: 'CREATED',
      retries: Number.isFinite(retries) ? retries : 3,
      worker: '',
      customHeaders: { ...def.headers },
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
        this.it.incidents.raise(
          ei,
          'FORM_NOT_FOUND',
          `Expected to find a form with id '${def.formId}', but no form with this id is found, at least a form with this id should be available. To resolve the Incident please deploy a form with the same id`,
          { step: 'activate' },
        );
        return;
      }
      task.formKey = form.formKey;
    }
    this.ctx.state.addUserTask(task);
    this.ctx.state.touch(task);
    if (def.listeners) this.startListenersOfCreation(task);
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
