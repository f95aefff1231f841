/** HTTP edge of the workspaces feature: what was provisioned for a permit. */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { PermitIdParams } from '../permits/permits-schemas.js';
import { PermitWorkspaceListSchema } from './workspaces-schemas.js';
import type { WorkspacesService } from './workspaces-service.js';

const TAGS = ['Workspaces'];

export function createWorkspacesRouter(deps: { service: WorkspacesService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'workspaces',
    routes: [
      defineRoute({
        method: 'get',
        path: '/permits/{id}/workspaces',
        summary: "The permit's workspaces: what is provisioned, and what the workspace worker last saw",
        description:
          'One entry per workspace the permit has had (ingress airlock, preprocessing, setup, analysis), in lifecycle order: its desired state as the workspace workers keep it, and `observed`, a summary of the objects they last read back. Empty until the first workspace is provisioned. Anyone on the permit (or an administrator) may read it.',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: "The permit's workspaces", body: PermitWorkspaceListSchema } },
        problems: [404],
        handler: ({ params }, { caller }) => service.list(caller, params.id),
      }),
    ],
  };
}
