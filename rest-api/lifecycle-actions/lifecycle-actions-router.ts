/** HTTP edge of the lifecycle actions: suspend, resume, revoke, close, amendments. */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { ifMatchVersion } from '../platform/etag.js';
import { PermitIdParams, PermitViewSchema, ReasonBody, RequiredReasonBody } from '../permits/permits-schemas.js';
import { withETag } from '../permits/permits-router.js';
import { AmendmentBody } from './lifecycle-actions-schemas.js';
import type { LifecycleActionsService } from './lifecycle-actions-service.js';

const TAGS = ['Lifecycle'];
const accepted = { 202: { description: 'Accepted; the permit as it is now', body: PermitViewSchema, headers: ['ETag'] as const } };
const problems = [404, 409, 412] as const;

export function createLifecycleActionsRouter(deps: { service: LifecycleActionsService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'lifecycle-actions',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits/{id}/suspend',
        summary: 'Suspend all access at once (HDAB team or administrator)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: RequiredReasonBody },
        responses: accepted,
        problems,
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.suspend(caller, params.id, body, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/resume',
        summary: 'Resume a suspended permit (HDAB team or administrator)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ReasonBody },
        responses: accepted,
        problems,
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.resume(caller, params.id, { reason: body?.reason }, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/revoke',
        summary: 'Revoke the permit (HDAB team or administrator)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: RequiredReasonBody },
        responses: accepted,
        problems,
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.revoke(caller, params.id, body, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/close',
        summary: 'End the analysis early and close the permit',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ReasonBody },
        responses: accepted,
        problems,
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.close(caller, params.id, { reason: body?.reason }, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/amendments',
        summary: 'Ask the HDAB to amend the permit (validity, team)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: AmendmentBody },
        responses: accepted,
        problems,
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.requestAmendment(caller, params.id, body, ifMatchVersion(req))),
      }),
    ],
  };
}
