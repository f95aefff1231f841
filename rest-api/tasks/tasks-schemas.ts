/** Request and response schemas of the task inbox. */
import { z } from 'zod';
import { PERMIT_STATUSES } from '../../shared/index.js';
import { ReviewDecisionSchema } from '../reviews/reviews-schemas.js';

export const InboxTaskSchema = z
  .object({
    userTaskKey: z.string(),
    name: z.string(),
    elementId: z.string(),
    formId: z.string().nullable().describe('Camunda form id (forms/<id>.form)'),
    candidateGroups: z.array(z.string()),
    assignee: z.string().nullable().describe('Who is working on it (the decider when they complete it); null when nobody is'),
    dueDate: z.string().nullable(),
    followUpDate: z.string().nullable().describe('When to look at the task again, if the diagram sets one'),
    creationDate: z.string().nullable(),
    processInstanceKey: z.string(),
    processDefinitionId: z.string(),
    permit: z.object({ id: z.string(), title: z.string(), status: z.enum(PERMIT_STATUSES) }),
  })
  .meta({ id: 'InboxTask' });

export const TaskKeyParams = z.object({ key: z.string().regex(/^\d{1,20}$/, { error: 'must be a user task key (digits)' }) });

export const CompleteTaskBody = z
  .strictObject({ variables: z.record(z.string(), z.unknown()).default({}).describe("Values of the task form's fields") })
  .meta({ id: 'CompleteTask' });

export const CompletedTaskSchema = z
  .object({ userTaskKey: z.string(), reviewDecision: ReviewDecisionSchema.nullable() })
  .meta({ id: 'CompletedTask' });
