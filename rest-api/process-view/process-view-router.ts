/** HTTP edge of the process view: a permit's diagram with what is active, completed and failing. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import type { ProcessViewService } from './process-view-service.js';

const Params = z.object({ id: z.uuid({ error: 'must be a permit id (uuid)' }) });
const Query = z.strictObject({
  processInstanceKey: z.string().regex(/^\d{1,20}$/, { error: 'must be a process instance key (digits)' }).optional().describe('A process the lifecycle called; default: the lifecycle'),
});

const ProcessViewSchema = z
  .object({
    processInstanceKey: z.string(),
    processDefinitionId: z.string(),
    state: z.string(),
    xml: z.string().describe('The deployed BPMN 2.0 XML of this process version'),
    activeElementIds: z.array(z.string()),
    completedElementIds: z.array(z.string()),
    incidentElementIds: z.array(z.string()),
    takenSequenceFlowIds: z.array(z.string()).describe('The sequence flows the instance took'),
    elementStatistics: z
      .array(z.object({ elementId: z.string(), active: z.number().int(), incidents: z.number().int(), completed: z.number().int(), canceled: z.number().int() }))
      .describe('Per element reached: instances active (without incident), with an incident, completed, canceled'),
    calledProcesses: z.array(z.object({ elementId: z.string(), processInstanceKey: z.string(), processDefinitionId: z.string(), state: z.string() })),
  })
  .meta({ id: 'ProcessView' });

export function createProcessViewRouter(deps: { service: ProcessViewService }): FeatureRouter {
  return {
    name: 'process-view',
    routes: [
      defineRoute({
        method: 'get',
        path: '/permits/{id}/process',
        summary: "The permit's process as a diagram: taken flows, per-element counts (active, completed, incidents), called processes",
        tags: ['Permits'],
        auth: 'bearer',
        request: { params: Params, query: Query },
        responses: { 200: { description: 'The process view', body: ProcessViewSchema } },
        problems: [404],
        handler: ({ params, query }, { caller }) => deps.service.view(caller, params.id, query.processInstanceKey),
      }),
    ],
  };
}
