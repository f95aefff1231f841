/** HTTP edge of the task inbox. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { CompleteTaskBody, CompletedTaskSchema, InboxTaskSchema, TaskKeyParams } from './tasks-schemas.js';
import type { TasksService } from './tasks-service.js';

const TAGS = ['Tasks'];

export function createTasksRouter(deps: { service: TasksService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'tasks',
    routes: [
      defineRoute({
        method: 'get',
        path: '/tasks',
        summary: "The caller's open user tasks (candidate groups of their roles, permits they are on)",
        tags: TAGS,
        auth: 'bearer',
        responses: { 200: { description: 'Open tasks, earliest due first', body: z.array(InboxTaskSchema) } },
        handler: (_input, { caller }) => service.list(caller),
      }),
      defineRoute({
        method: 'post',
        path: '/tasks/{key}/complete',
        summary: "Complete a user task with its form's values",
        description:
          "The task is assigned to the caller and then completed, as Tasklist does. Review tasks follow the review rules (decision per stage, comment unless approving, never your own submission); the decision listener's denial answers 403 (a rule) or 400 (form values) with its reason, and a task someone else is working on 409.",
        tags: TAGS,
        auth: 'bearer',
        request: { params: TaskKeyParams, body: CompleteTaskBody },
        responses: { 200: { description: 'Completed', body: CompletedTaskSchema } },
        problems: [400, 403, 404, 409],
        handler: ({ params, body }, { caller }) => service.complete(caller, params.key, body.variables),
      }),
    ],
  };
}
