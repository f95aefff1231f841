/** HTTP edge of working on one task: read it with its form, assign it to yourself, unassign it. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { InboxTaskSchema, TaskKeyParams } from '../tasks/tasks-schemas.js';
import type { TaskWorkService } from './task-work-service.js';

const TAGS = ['Tasks'];

const TaskDetailSchema = z
  .object({
    task: InboxTaskSchema,
    form: z.object({ formId: z.string(), schema: z.unknown().describe('The Camunda Form JSON, as deployed') }).nullable(),
    variables: z.record(z.string(), z.unknown()).describe("Every variable the task sees (as Tasklist gives its form): the fields' current values and the context the form's texts and conditions read"),
  })
  .meta({ id: 'TaskDetail' });

const AssignmentSchema = z.object({ userTaskKey: z.string(), assignee: z.string().nullable() }).meta({ id: 'TaskAssignment' });

export function createTaskWorkRouter(deps: { service: TaskWorkService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'task-work',
    routes: [
      defineRoute({
        method: 'get',
        path: '/tasks/{key}',
        summary: 'One open task of your inbox, with its Camunda Form and the variables it sees',
        tags: TAGS,
        auth: 'bearer',
        request: { params: TaskKeyParams },
        responses: { 200: { description: 'The task', body: TaskDetailSchema } },
        problems: [403, 404, 409],
        handler: ({ params }, { caller }) => service.get(caller, params.key),
      }),
      defineRoute({
        method: 'post',
        path: '/tasks/{key}/assignment',
        summary: 'Assign the task to yourself (as Tasklist\'s "Assign to me")',
        description: 'Assigning a task you already have is fine; a task someone else has answers 409 naming them.',
        tags: TAGS,
        auth: 'bearer',
        request: { params: TaskKeyParams },
        responses: { 200: { description: 'Assigned to you', body: AssignmentSchema } },
        problems: [403, 404, 409],
        handler: ({ params }, { caller }) => service.assignToMe(caller, params.key),
      }),
      defineRoute({
        method: 'delete',
        path: '/tasks/{key}/assignment',
        summary: 'Take the assignee off the task (your own; administrators: anyone\'s)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: TaskKeyParams },
        responses: { 200: { description: 'Nobody is assigned', body: AssignmentSchema } },
        problems: [403, 404, 409],
        handler: ({ params }, { caller }) => service.unassign(caller, params.key),
      }),
    ],
  };
}
