/**
 * The caller's task inbox (embedded mode's Tasklist): open user tasks whose candidate groups match the caller's
 * token roles (ROLE_GROUPS) on permits where the caller is on the HDAB team (administrators: every permit), and
 * their completion. Variables are checked against the task's form; review tasks go through the reviews service,
 * so the same rules hold whichever way a reviewer decides (self-review refused, decision recorded). Every task is
 * assigned to the caller and then completed, as Tasklist does; the decision listener applies the rules to the
 * assignee and records the decision.
 */
import { ConflictError, ForbiddenError, NotFoundError, REVIEW_VARIABLES, ROLE_GROUPS, ValidationError, type MESSAGES } from '../../shared/index.js';
import type { Permit, RecordedReviewDecision } from '../../db/index.js';
import { completeAsAssignee } from '../engine/complete-as-assignee.js';
import type { EnginePort, EngineUserTask } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { isAdmin, type PermitAccess } from '../permits/permit-access.js';
import type { MessageVariableName } from '../permits/permit-messages.js';
import type { PermitStore } from '../permits/permit-store.js';
import { stageOfForm } from '../reviews/review-stages.js';
import type { ReviewsService } from '../reviews/reviews-service.js';
import { formFieldKeys, validateFormValues } from '../../shared/form-values/index.js';

/** The process variable naming the permit (every process instance has it) and the egress request (process 5). */
const PERMIT_ID_VARIABLE = 'permitId';
const EGRESS_REQUEST_VARIABLE: MessageVariableName<typeof MESSAGES.egressRequestSubmitted> = 'egressRequestId';
const PERMIT_ID_CACHE_LIMIT = 10_000;

export interface InboxTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  formId: string | null;
  candidateGroups: string[];
  assignee: string | null;
  dueDate: string | null;
  followUpDate: string | null;
  creationDate: string | null;
  processInstanceKey: string;
  processDefinitionId: string;
  permit: { id: string; title: string; status: Permit['status'] };
}

export interface TasksServiceDeps {
  engine: EnginePort;
  access: PermitAccess;
  permits: Pick<PermitStore, 'findByIds' | 'permitIdsOf' | 'audit'>;
  reviews: Pick<ReviewsService, 'review'>;
}

export type TasksService = ReturnType<typeof createTasksService>;

export function groupsOf(caller: Caller): string[] {
  return [...new Set(caller.roles.flatMap((role) => ROLE_GROUPS[role] as readonly string[]))];
}

export function createTasksService(deps: TasksServiceDeps) {
  /** processInstanceKey → permitId; a process instance never changes permit. */
  const permitIds = new Map<string, string>();

  async function permitIdOf(processInstanceKey: string): Promise<string | undefined> {
    const cached = permitIds.get(processInstanceKey);
    if (cached !== undefined) return cached;
    const value = await deps.engine.getProcessVariable(processInstanceKey, PERMIT_ID_VARIABLE);
    if (typeof value !== 'string') return undefined;
    if (permitIds.size >= PERMIT_ID_CACHE_LIMIT) permitIds.clear();
    permitIds.set(processInstanceKey, value);
    return value;
  }

  async function taskFor(caller: Caller, userTaskKey: string): Promise<{ task: EngineUserTask; permitId: string }> {
    const notFound = new NotFoundError(`User task ${userTaskKey} does not exist or is not yours to see.`, { userTaskKey });
    const task = await deps.engine.getUserTask(userTaskKey);
    if (!task) throw notFound;
    const permitId = await permitIdOf(task.processInstanceKey);
    if (!permitId) throw notFound;
    const { membership } = await deps.access.load(caller, permitId).catch((error: unknown) => {
      throw error instanceof NotFoundError ? notFound : error;
    });
    if (!isAdmin(caller) && !membership.includes('HDAB_TEAM')) {
      throw new ForbiddenError(`User task ${userTaskKey} belongs to permit ${permitId}, where you are not on the HDAB team.`, { userTaskKey, permitId });
    }
    const mine = groupsOf(caller);
    if (!task.candidateGroups.some((group) => mine.includes(group))) {
      throw new ForbiddenError(`User task ${userTaskKey} is for ${task.candidateGroups.join(', ')}; your roles give you ${mine.join(', ') || 'no task groups'}.`, { userTaskKey });
    }
    if (task.state !== 'CREATED') throw new ConflictError(`User task ${userTaskKey} is ${task.state}, no longer open.`, { userTaskKey, state: task.state });
    return { task, permitId };
  }

  return {
    async list(caller: Caller): Promise<InboxTask[]> {
      const groups = groupsOf(caller);
      if (groups.length === 0) return [];
      const found = (await Promise.all(groups.map((candidateGroup) => deps.engine.searchUserTasks({ candidateGroup })))).flat();
      const tasks = [...new Map(found.map((task) => [task.userTaskKey, task])).values()];
      const withPermit = await Promise.all(tasks.map(async (task) => ({ task, permitId: await permitIdOf(task.processInstanceKey) })));
      const mine = isAdmin(caller) ? undefined : new Set(await deps.permits.permitIdsOf(caller.userId, 'HDAB_TEAM'));
      const relevant = withPermit.filter((t): t is { task: EngineUserTask; permitId: string } => t.permitId !== undefined && (mine === undefined || mine.has(t.permitId)));
      const permits = new Map((await deps.permits.findByIds([...new Set(relevant.map((t) => t.permitId))])).map((p) => [p.id, p]));
      const inbox = await Promise.all(
        relevant.map(async ({ task, permitId }): Promise<InboxTask | undefined> => {
          const permit = permits.get(permitId);
          if (!permit) return undefined;
          return {
            userTaskKey: task.userTaskKey,
            name: task.name,
            elementId: task.elementId,
            formId: (await deps.engine.formIdOf(task)) ?? null,
            candidateGroups: task.candidateGroups,
            assignee: task.assignee ?? null,
            dueDate: task.dueDate ?? null,
            followUpDate: task.followUpDate ?? null,
            creationDate: task.creationDate ?? null,
            processInstanceKey: task.processInstanceKey,
            processDefinitionId: task.processDefinitionId,
            permit: { id: permit.id, title: permit.title, status: permit.status },
          };
        }),
      );
      return inbox.filter((t): t is InboxTask => t !== undefined).sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.userTaskKey.localeCompare(b.userTaskKey));
    },

    async complete(caller: Caller, userTaskKey: string, variables: Record<string, unknown>): Promise<{ userTaskKey: string; reviewDecision: RecordedReviewDecision | null }> {
      const { task, permitId } = await taskFor(caller, userTaskKey);
      const form = await deps.engine.getUserTaskForm(userTaskKey);
      if (form) {
        // The form shows the task's current values prefilled (e.g. the applicant's end date); fields the caller
        // leaves out keep them, so they count for the form's conditions and required fields.
        const missing = formFieldKeys(form.schema).filter((name) => !(name in variables));
        const current = await Promise.all(missing.map(async (name) => [name, await deps.engine.getProcessVariable(task.processInstanceKey, name)] as const));
        const prefilled = Object.fromEntries(current.filter(([, value]) => value !== undefined));
        const errors = validateFormValues(form.schema, variables, { pathPrefix: 'body.variables', prefilled, now: new Date() });
        if (errors.length > 0) {
          throw new ValidationError(`The variables do not fit the task's form ${form.formId}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
        }
      }
      const stage = stageOfForm(form?.formId);
      if (stage) {
        const names = REVIEW_VARIABLES[stage];
        const { [names.decision]: decision, [names.comment]: comment, [names.checklist]: checklist, ...formVariables } = variables;
        if (typeof decision !== 'string') throw new ValidationError(`variables.${names.decision} is required`, { errors: [{ path: `body.variables.${names.decision}`, message: 'is required' }] });
        const egressRequestId = stage === 'EGRESS' ? await deps.engine.getProcessVariable(task.processInstanceKey, EGRESS_REQUEST_VARIABLE) : undefined;
        const reviewDecision = await deps.reviews.review(
          caller,
          permitId,
          {
            stage,
            decision,
            comment: typeof comment === 'string' ? comment : undefined,
            ...(checklist === undefined || checklist === null ? {} : { checklist }),
            ...(typeof egressRequestId === 'string' ? { egressRequestId } : {}),
          },
          undefined,
          { userTaskKey, formVariables },
        );
        return { userTaskKey, reviewDecision };
      }
      // Assigned to the caller, then completed; the decision listener checks the rules and audits the decision
      // (`task.decided`, the caller as actor).
      await completeAsAssignee(deps.engine, { task, assignee: caller.userId, variables, what: `task "${task.name}" of permit ${permitId}`, details: { permitId } });
      return { userTaskKey, reviewDecision: null };
    },
  };
}
