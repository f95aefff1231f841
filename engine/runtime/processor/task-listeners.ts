/**
 * User task listeners (Camunda 8.8): a transition of a user task (creating, assigning, updating, completing)
 * whose element has listeners of that event type pauses in a transitional state while the listeners' jobs run
 * one after the other, in model order. Each listener may correct task attributes (seen by the next one) or,
 * for assigning/updating/completing, deny the transition. When the last one completes the transition is
 * finalised with the command's changes plus the corrections; a denial puts the task back as it was.
 * The transition lives in the task record (`transition`), so it carries on after a restart.
 */
import { invalidArgument, invalidState, type EngineError } from '../../errors.js';
import { evaluateNumber, evaluateString } from '../../feel/index.js';
import type { TaskListenerDefinition } from '../../model/types.js';
import type {
  JobRecord,
  ListenerEventType,
  UserTaskAttributes,
  UserTaskProperties,
  UserTaskRecord,
  UserTaskState,
  UserTaskTransition,
} from '../records.js';
import { RAISED } from './incidents.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

export type TransitionEvent = UserTaskTransition['eventType'];

/** What a listener job's completion may carry (`JobResultUserTask`). */
export interface ListenerJobResult {
  denied?: boolean;
  deniedReason?: string;
  /** null/absent keeps a value; '' clears the assignee or a date, [] clears candidates. */
  corrections?: { [K in keyof UserTaskAttributes]?: UserTaskAttributes[K] | null };
}

const TRANSITION_STATE = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
} as const satisfies Record<TransitionEvent, UserTaskState>;

const EVENT_TYPE = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
} as const satisfies Record<TransitionEvent, ListenerEventType>;

/** Zeebe's command name and wording in a denial's rejection; creating cannot be denied. */
const DENIAL = {
  creating: undefined,
  assigning: { command: 'ASSIGN', what: 'Assignment' },
  updating: { command: 'UPDATE', what: 'Update' },
  completing: { command: 'COMPLETE', what: 'Completion' },
} as const satisfies Record<TransitionEvent, { command: string; what: string } | undefined>;

const HEADER = 'io.camunda.zeebe:';

type Attributes = Pick<UserTaskRecord, 'assignee' | 'dueDate' | 'followUpDate' | 'candidateGroups' | 'candidateUsers' | 'priority'>;
const sameList = (a: string[], b: string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Zeebe's names for the correctable attributes in `changedAttributes`, with how to tell a change. */
const CHANGED_ATTRIBUTES: ReadonlyArray<readonly [string, (before: Attributes, after: Attributes) => boolean]> = [
  ['assignee', (a, b) => (a.assignee ?? '') !== (b.assignee ?? '')],
  ['candidateGroupsList', (a, b) => !sameList(a.candidateGroups, b.candidateGroups)],
  ['candidateUsersList', (a, b) => !sameList(a.candidateUsers, b.candidateUsers)],
  ['dueDate', (a, b) => (a.dueDate ?? '') !== (b.dueDate ?? '')],
  ['followUpDate', (a, b) => (a.followUpDate ?? '') !== (b.followUpDate ?? '')],
  ['priority', (a, b) => a.priority !== b.priority],
];

export class TaskListeners {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'incidents' | 'userTasks' | 'waits'>,
  ) {}

  /** The element's listeners of one event type, in model order. */
  listenersOf(task: UserTaskRecord, eventType: TransitionEvent): TaskListenerDefinition[] {
    const deployed = this.ctx.state.definitions.get(task.processDefinitionKey);
    const listeners = deployed?.model.elements[task.elementId]?.userTask?.listeners;
    return listeners ? listeners.filter((l) => l.eventType === eventType) : [];
  }

  has(task: UserTaskRecord, eventType: TransitionEvent): boolean {
    return this.listenersOf(task, eventType).length > 0;
  }

  /** Enters the transitional state and creates the first listener's job. */
  start(task: UserTaskRecord, transition: Omit<UserTaskTransition, 'index' | 'corrections'>): void {
    task.state = TRANSITION_STATE[transition.eventType];
    task.transition = { ...transition, index: 0, corrections: {} };
    this.ctx.state.touch(task);
    this.createJob(task);
  }

  /** Resolving an incident of a listener expression retries the whole transition. */
  retry(task: UserTaskRecord): void {
    const tr = task.transition;
    if (!tr) return;
    tr.index = 0;
    tr.corrections = {};
    delete tr.jobKey;
    this.ctx.state.touch(task);
    this.createJob(task);
  }

  /** A listener job completes: validates its result, then runs the next listener or finalises the transition. */
  completeJob(job: JobRecord, variables: Variables | undefined, result: ListenerJobResult | undefined, endJob: () => void): void {
    if (variables && Object.keys(variables).length > 0) {
      throw invalidArgument(
        `Task Listener job completion with variables payload provided is not yet supported (job key '${job.jobKey}', type '${job.type}', processInstanceKey '${job.processInstanceKey}'). Support will be enabled with the resolution of issue #23702.`,
      );
    }
    const task = job.userTask ? this.ctx.state.userTasks.get(job.userTask.userTaskKey) : undefined;
    const tr = task?.transition;
    const denied = result?.denied === true;
    const corrections = result?.corrections ?? {};
    const ids = `(job key '${job.jobKey}', type '${job.type}', processInstanceKey '${job.processInstanceKey}')`;
    if (denied && tr && DENIAL[tr.eventType] === undefined) {
      throw invalidArgument(
        `Denying result is not supported for '${job.listenerEventType}' task listener jobs ${ids}. Only the following listener event types support denying: [ASSIGNING, COMPLETING, UPDATING].`,
      );
    }
    if (denied && Object.values(corrections).some((v) => v !== undefined && v !== null)) {
      throw invalidArgument(
        `Expected to complete task listener job with corrections, but the job result is denied ${ids}. The corrections would be reverted by the denial. Either complete the job with corrections without setting denied, or complete the job with a denied result but no corrections.`,
      );
    }
    if (tr?.eventType === 'creating' && tr.modelAssignee && corrections.assignee !== undefined && corrections.assignee !== null) {
      throw invalidArgument(
        `Expected to complete task listener job, but correcting the assignee on 'CREATING' event is not supported when the user task has an assignee defined in the model ${ids}. Use the 'CREATING' event to set an assignee only if it was not defined. Use the 'ASSIGNING' event to correct an assignee that is already defined.`,
      );
    }
    checkCorrections(corrections);
    endJob();
    job.isDenied = denied;
    if (denied && result?.deniedReason) job.deniedReason = result.deniedReason;
    this.ctx.state.touch(job);
    // A job of an earlier attempt (or a transition already ended) changes nothing more.
    if (!task || !tr || tr.jobKey !== job.jobKey) return;
    if (denied) {
      this.deny(task, result?.deniedReason ?? '');
      return;
    }
    for (const [k, v] of Object.entries(corrections) as [keyof UserTaskAttributes, unknown][]) {
      if (v === undefined || v === null) continue;
      (tr.corrections as Record<string, unknown>)[k] = k === 'assignee' || k === 'dueDate' || k === 'followUpDate' ? (v === '' ? null : v) : v;
    }
    tr.index += 1;
    delete tr.jobKey;
    this.ctx.state.touch(task);
    if (tr.index < this.listenersOf(task, tr.eventType).length) this.createJob(task);
    else this.finalize(task);
  }

  /**
   * Variables a listener job is activated with: those visible from the task's scope; completing and updating
   * listeners also see the variables of the command (completion, variables update), which shadow them.
   */
  variablesFor(job: JobRecord, names: string[] | undefined): Variables {
    const task = job.userTask ? this.ctx.state.userTasks.get(job.userTask.userTaskKey) : undefined;
    const pending = task?.transition?.jobKey === job.jobKey ? task.transition.variables : undefined;
    if (!pending) return this.ctx.vars.visible(job.elementInstanceKey, names);
    const all = { ...this.ctx.vars.visible(job.elementInstanceKey), ...pending };
    return names ? Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k))) : all;
  }

  /** The task is terminated while listeners run: the transition ends with it. */
  cancel(task: UserTaskRecord): void {
    if (!task.transition) return;
    const action = task.transition.action || task.transition.eventType;
    delete task.transition;
    this.ctx.hooks.userTaskTransitionEnded(
      task.userTaskKey,
      invalidState(`Expected to ${action} user task with key '${task.userTaskKey}', but the user task was canceled while its task listeners ran`),
    );
  }

  private createJob(task: UserTaskRecord): void {
    const tr = task.transition!;
    const listener = this.listenersOf(task, tr.eventType)[tr.index];
    const ei = this.ctx.state.elements.get(task.elementInstanceKey);
    if (!listener || !ei) return;
    const evaluated = this.it.incidents.evaluateOrRaise(
      ei,
      'EXTRACT_VALUE_ERROR',
      () => {
        const needsContext = listener.type.startsWith('=') || listener.retries.startsWith('=');
        const context = needsContext ? this.ctx.vars.visible(ei.elementInstanceKey) : {};
        const type = evaluateString(listener.type, context);
        const retries = listener.retries.startsWith('=') ? evaluateNumber(listener.retries, context) : Number(listener.retries);
        return { type, retries };
      },
      { step: 'taskListener' },
    );
    if (evaluated === RAISED) return;
    const properties = this.properties(task, tr);
    const job: JobRecord = {
      kind: 'job',
      jobKey: this.ctx.keys.next(),
      type: evaluated.type,
      state: 'CREATED',
      retries: Number.isFinite(evaluated.retries) ? evaluated.retries : 3,
      worker: '',
      customHeaders: { ...task.customHeaders, ...headersOf(properties) },
      processInstanceKey: task.processInstanceKey,
      processDefinitionKey: task.processDefinitionKey,
      processDefinitionId: task.processDefinitionId,
      processDefinitionVersion: task.processDefinitionVersion,
      elementId: task.elementId,
      elementInstanceKey: task.elementInstanceKey,
      tenantId: task.tenantId,
      hasFailedWithRetriesLeft: false,
      jobKind: 'TASK_LISTENER',
      listenerEventType: EVENT_TYPE[tr.eventType],
      userTask: properties,
    };
    this.ctx.state.addJob(job);
    this.ctx.state.touch(job);
    this.it.waits.makeActivatable(job);
    tr.jobKey = job.jobKey;
    this.ctx.state.touch(task);
  }

  /** The task as the next listener sees it: current data, the command's changes, the corrections so far. */
  private properties(task: UserTaskRecord, tr: UserTaskTransition): UserTaskProperties {
    const view = applyAttributes(applyAttributes({ ...task }, tr.changes), tr.corrections);
    // As Zeebe: the attributes whose value now differs from the task's before the transition, by their record names.
    const changed = CHANGED_ATTRIBUTES.filter(([, differs]) => differs(task, view)).map(([name]) => name);
    if (tr.variables && tr.eventType === 'updating') changed.push('variables');
    changed.sort();
    return {
      action: tr.action,
      ...(view.assignee ? { assignee: view.assignee } : {}),
      candidateGroups: [...view.candidateGroups],
      candidateUsers: [...view.candidateUsers],
      changedAttributes: changed,
      ...(view.dueDate ? { dueDate: view.dueDate } : {}),
      ...(view.followUpDate ? { followUpDate: view.followUpDate } : {}),
      ...(view.formKey ? { formKey: view.formKey } : {}),
      priority: view.priority,
      userTaskKey: task.userTaskKey,
    };
  }

  private finalize(task: UserTaskRecord): void {
    const tr = task.transition!;
    delete task.transition;
    applyAttributes(task, tr.changes);
    applyAttributes(task, tr.corrections);
    task.state = 'CREATED';
    this.ctx.state.touch(task);
    switch (tr.eventType) {
      case 'creating': {
        // The assignee (the model's, or one a creating listener set) is assigned after creation, with assigning listeners.
        const assignee = tr.modelAssignee ?? task.assignee;
        if (assignee) {
          delete task.assignee;
          this.it.userTasks.assignAfterCreation(task, assignee);
        }
        return;
      }
      case 'assigning':
        break;
      case 'updating': {
        const ei = this.ctx.state.elements.get(task.elementInstanceKey);
        if (ei && tr.variables) {
          if (tr.local) this.ctx.vars.setLocal(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, tr.variables);
          else this.ctx.vars.merge(ei.elementInstanceKey, ei.processInstanceKey, ei.tenantId, tr.variables);
        }
        break;
      }
      case 'completing':
        this.it.userTasks.finishCompletion(task, tr.variables);
        break;
    }
    this.ctx.hooks.userTaskTransitionEnded(task.userTaskKey);
  }

  private deny(task: UserTaskRecord, reason: string): void {
    const tr = task.transition!;
    delete task.transition;
    task.state = 'CREATED';
    this.ctx.state.touch(task);
    const denial = DENIAL[tr.eventType];
    if (!denial) return;
    this.ctx.hooks.userTaskTransitionEnded(task.userTaskKey, deniedError(denial, task.userTaskKey, reason));
  }
}

function deniedError(denial: { command: string; what: string }, key: string, reason: string): EngineError {
  return invalidState(
    `Command '${denial.command}' rejected with code 'INVALID_STATE': ${denial.what} of the User Task with key '${key}' was denied by Task Listener. Reason to deny: '${reason}'`,
  );
}

/** Applies attribute changes to a task (null clears). Returns the task for chaining. */
export function applyAttributes<T extends Attributes>(
  task: T,
  attrs: UserTaskAttributes,
): T {
  for (const field of ['assignee', 'dueDate', 'followUpDate'] as const) {
    const v = attrs[field];
    if (v === undefined) continue;
    if (v === null || v === '') delete task[field];
    else task[field] = v;
  }
  if (attrs.candidateGroups) task.candidateGroups = [...attrs.candidateGroups];
  if (attrs.candidateUsers) task.candidateUsers = [...attrs.candidateUsers];
  if (attrs.priority !== undefined) task.priority = attrs.priority;
  return task;
}

function checkCorrections(c: NonNullable<ListenerJobResult['corrections']>): void {
  if (c.priority !== undefined && c.priority !== null && (!Number.isInteger(c.priority) || c.priority < 0 || c.priority > 100)) {
    throw invalidArgument(`corrections.priority must be an integer from 0 to 100, got ${c.priority}`);
  }
  for (const field of ['dueDate', 'followUpDate'] as const) {
    const v = c[field];
    if (typeof v === 'string' && v !== '' && Number.isNaN(Date.parse(v))) {
      throw invalidArgument(`corrections.${field} must be an ISO 8601 date-time or '' to clear it, got '${v}'`);
    }
  }
}

/** The user task data as reserved `io.camunda.zeebe:*` headers; empty values are left out. */
function headersOf(p: UserTaskProperties): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') out[HEADER + name] = value;
  };
  put('action', p.action);
  put('assignee', p.assignee);
  if (p.candidateGroups.length > 0) put('candidateGroups', JSON.stringify(p.candidateGroups));
  if (p.candidateUsers.length > 0) put('candidateUsers', JSON.stringify(p.candidateUsers));
  if (p.changedAttributes.length > 0) put('changedAttributes', JSON.stringify(p.changedAttributes));
  put('dueDate', p.dueDate);
  put('followUpDate', p.followUpDate);
  put('formKey', p.formKey);
  put('priority', String(p.priority));
  put('userTaskKey', p.userTaskKey);
  return out;
}
