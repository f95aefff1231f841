/** HTTP edge of the team feature. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { ifMatchVersion } from '../platform/etag.js';
import { PermitIdParams } from '../permits/permits-schemas.js';
import { AddMemberBody, MemberParams, MemberSchema } from './team-schemas.js';
import type { TeamService } from './team-service.js';

const TAGS = ['Team'];

export function createTeamRouter(deps: { service: TeamService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'team',
    routes: [
      defineRoute({
        method: 'get',
        path: '/permits/{id}/members',
        summary: "The permit's team",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Members and their team roles', body: z.array(MemberSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.list(caller, params.id),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/members',
        summary: 'Add a member to the team (HDAB team or administrator)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: AddMemberBody },
        responses: { 201: { description: 'The membership added', body: MemberSchema } },
        problems: [404, 409, 412],
        handler: ({ params, body }, { req, caller }) => service.add(caller, params.id, body, ifMatchVersion(req)),
      }),
      defineRoute({
        method: 'delete',
        path: '/permits/{id}/members/{userId}/{teamRole}',
        summary: 'Remove a member from the team (HDAB team or administrator)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: MemberParams },
        responses: { 204: { description: 'Removed' } },
        problems: [404, 409, 412],
        handler: async ({ params }, { req, caller }) => {
          await service.remove(caller, params.id, { userId: params.userId, teamRole: params.teamRole }, ifMatchVersion(req));
        },
      }),
    ],
  };
}
