/** HTTP edge for operators (admin): incidents across permits and their retry. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import type { OperationsService } from './operations-service.js';

const TAGS = ['Operations'];

const IncidentSchema = z
  .object({
    incidentKey: z.string(),
    permitId: z.string().nullable(),
    permitTitle: z.string().nullable(),
    processDefinitionId: z.string(),
    processInstanceKey: z.string(),
    elementId: z.string().describe('The failing step'),
    elementName: z.string().nullable(),
    errorType: z.string(),
    errorMessage: z.string(),
    whatToDo: z.string().describe('What an operator should do, by error type'),
    creationTime: z.string().nullable(),
    jobKey: z.string().nullable(),
  })
  .meta({ id: 'Incident' });

const IncidentKeyParams = z.object({ key: z.string().regex(/^\d{1,20}$/, { error: 'must be an incident key (digits)' }) });

export function createOperationsRouter(deps: { service: OperationsService }): FeatureRouter {
  return {
    name: 'operations',
    routes: [
      defineRoute({
        method: 'get',
        path: '/operations/incidents',
        summary: 'Open incidents across every permit, with the failing step, the error and what to do (administrators)',
        tags: TAGS,
        auth: 'bearer',
        roles: ['admin'],
        responses: { 200: { description: 'Open incidents, oldest first', body: z.object({ items: z.array(IncidentSchema) }) } },
        handler: () => deps.service.incidents(),
      }),
      defineRoute({
        method: 'post',
        path: '/operations/incidents/{key}/retry',
        summary: "Retry an incident: one more try for its job, then the incident is resolved (administrators; audited)",
        description: 'Fix the cause first (the incident list says what to do); a step that fails again raises a new incident.',
        tags: TAGS,
        auth: 'bearer',
        roles: ['admin'],
        request: { params: IncidentKeyParams },
        responses: { 200: { description: 'Retried', body: z.object({ incidentKey: z.string(), retried: z.literal(true) }) } },
        problems: [404],
        handler: ({ params }, { caller }) => deps.service.retry(caller, params.key),
      }),
    ],
  };
}
