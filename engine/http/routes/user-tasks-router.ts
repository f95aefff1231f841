/** User tasks: search, get, form, assignment, unassignment, completion, update, variables search. */
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi, UserTaskChangeset } from '../../runtime/engine-api.js';
import { mapForm, mapUserTask, mapVariableSearchItem } from '../mappers.js';
import { translateSearchRequest, type SearchSpec } from '../search-request.js';
import { runSearch, toSearchResponse } from '../search-response.js';
import { splitVariableFilters } from './user-task-variable-filters.js';
import { sendJson } from '../send-json.js';
import { bodyOf, keyParam, parseBody, variablesObject, type RouteRequest } from '../validation.js';
import { truncateValuesOf, variableSortFields } from './variables-router.js';

const TASK_STATES = ['CREATING', 'CREATED', 'ASSIGNING', 'UPDATING', 'COMPLETING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED'] as const;

const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');

const assignSchema = z.strictObject({
  assignee: z.string().min(1),
  allowOverride: z.boolean().nullish(),
  action: z.string().nullish(),
});

const completeSchema = z.strictObject({
  variables: variablesObject.nullish(),
  action: z.string().nullish(),
});

/** `''` clears a date (Camunda's "reset by providing an empty string"); null/absent leaves it unchanged. */
const updateSchema = z.strictObject({
  changeset: z
    .strictObject({
      dueDate: z.union([z.literal(''), isoDateTime]).nullish(),
      followUpDate: z.union([z.literal(''), isoDateTime]).nullish(),
      candidateUsers: z.array(z.string()).nullish(),
      candidateGroups: z.array(z.string()).nullish(),
      priority: z.number().int().min(0).max(100).nullish(),
    })
    .nullish(),
  action: z.string().nullish(),
});

export const userTaskSearchSpec: SearchSpec = {
  resource: 'user task',
  keyField: 'userTaskKey',
  filters: {
    state: { kind: 'enum', values: TASK_STATES },
    assignee: { kind: 'string' },
    priority: { kind: 'int' },
    elementId: { kind: 'string' },
    name: { kind: 'string' },
    candidateGroup: { kind: 'string', field: 'candidateGroups', contains: true },
    candidateUser: { kind: 'string', field: 'candidateUsers', contains: true },
    tenantId: { kind: 'string' },
    processDefinitionId: { kind: 'string' },
    creationDate: { kind: 'date' },
    completionDate: { kind: 'date' },
    followUpDate: { kind: 'date' },
    dueDate: { kind: 'date' },
    userTaskKey: { kind: 'key' },
    processDefinitionKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
    elementInstanceKey: { kind: 'key' },
    // processInstanceVariables / localVariables: resolved separately (user-task-variable-filters.ts).
  },
  sort: Object.fromEntries(['creationDate', 'completionDate', 'followUpDate', 'dueDate', 'priority', 'name'].map((f) => [f, f])),
};

export const userTaskVariableSearchSpec: SearchSpec = {
  resource: 'user task variable',
  keyField: 'variableKey',
  filters: { name: { kind: 'string' } },
  sort: variableSortFields,
};

function toChangeset(body: z.output<typeof updateSchema>): UserTaskChangeset {
  const c = body.changeset ?? {};
  const out: UserTaskChangeset = {};
  if (c.dueDate != null) out.dueDate = c.dueDate === '' ? null : new Date(c.dueDate).toISOString();
  if (c.followUpDate != null) out.followUpDate = c.followUpDate === '' ? null : new Date(c.followUpDate).toISOString();
  if (c.candidateUsers != null) out.candidateUsers = c.candidateUsers;
  if (c.candidateGroups != null) out.candidateGroups = c.candidateGroups;
  if (c.priority != null) out.priority = c.priority;
  return out;
}

/** `POST /user-tasks/search` (a reviewer's task list); hot-routes.ts also calls it, without Express. */
export function searchUserTasksRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const split = splitVariableFilters(bodyOf(req));
    const { query, matchesNothing } = translateSearchRequest(split.body, userTaskSearchSpec);
    const extra = matchesNothing ? null : await split.resolve(api);
    const result = extra === null ? { items: [], total: 0 } : await api.searchUserTasks({ ...query, filters: [...query.filters, ...extra] });
    sendJson(res, 200, toSearchResponse(result, query, mapUserTask));
  };
}

/** `GET /user-tasks/{userTaskKey}`; hot-routes.ts also calls it, without Express. */
export function getUserTaskRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    sendJson(res, 200, mapUserTask(await api.getUserTask(keyParam(req, 'userTaskKey'))));
  };
}

/** `POST /user-tasks/{userTaskKey}/completion` (a review decision); hot-routes.ts also calls it, without Express. */
export function completeUserTaskRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const key = keyParam(req, 'userTaskKey');
    const { variables, action } = parseBody(completeSchema, req);
    await api.completeUserTask(key, { ...(variables != null ? { variables } : {}), ...(action != null ? { action } : {}) });
    res.writeHead(204).end();
  };
}

export function userTasksRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/user-tasks/search', searchUserTasksRoute(api));

  router.get('/user-tasks/:userTaskKey', getUserTaskRoute(api));

  router.get('/user-tasks/:userTaskKey/form', async (req, res) => {
    const key = keyParam(req, 'userTaskKey');
    const task = await api.getUserTask(key);
    if (!task.formKey) {
      res.status(204).end();
      return;
    }
    res.json(mapForm(await api.getUserTaskForm(key)));
  });

  router.post('/user-tasks/:userTaskKey/assignment', async (req, res) => {
    const key = keyParam(req, 'userTaskKey');
    const { assignee, allowOverride, action } = parseBody(assignSchema, req);
    await api.assignUserTask(key, { assignee, ...(allowOverride != null ? { allowOverride } : {}), ...(action ? { action } : {}) });
    res.status(204).end();
  });

  router.delete('/user-tasks/:userTaskKey/assignee', async (req, res) => {
    await api.unassignUserTask(keyParam(req, 'userTaskKey'));
    res.status(204).end();
  });

  router.post('/user-tasks/:userTaskKey/completion', completeUserTaskRoute(api));

  router.patch('/user-tasks/:userTaskKey', async (req, res) => {
    const key = keyParam(req, 'userTaskKey');
    const body = parseBody(updateSchema, req);
    if (body.action) await api.updateUserTask(key, toChangeset(body), body.action);
    else await api.updateUserTask(key, toChangeset(body));
    res.status(204).end();
  });

  router.post('/user-tasks/:userTaskKey/variables/search', async (req, res) => {
    const key = keyParam(req, 'userTaskKey');
    const truncate = truncateValuesOf(req);
    res.json(
      await runSearch(bodyOf(req), userTaskVariableSearchSpec, (q) => api.searchUserTaskVariables(key, q), (v) =>
        mapVariableSearchItem(v, truncate),
      ),
    );
  });

  return router;
}
