/** HTTP edge of the permits feature: parse, call the service, set the ETag. No rules here. */
import type { Response } from 'express';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { etagOf, ifMatchVersion } from '../platform/etag.js';
import type { PermitView } from './permit-access.js';
import {
  CreatePermitBody,
  EditDraftBody,
  ListPermitsQuery,
  PermitIdParams,
  PermitListSchema,
  PermitViewSchema,
  ProvideInfoBody,
  ReasonBody,
  StatusHistorySchema,
} from './permits-schemas.js';
import type { PermitsService } from './permits-service.js';
import { idempotencyScopeOf } from '../platform/idempotency-key.js';

const TAGS = ['Permits'];

/** Sets the permit's ETag and returns it, for `return withETag(res, view)`. */
export function withETag(res: Response, view: PermitView): PermitView {
  res.set('ETag', etagOf(view.version));
  return view;
}

const accepted = { 202: { description: 'Accepted: the process takes it from here. The permit as it is now.', body: PermitViewSchema, headers: ['ETag'] as const } };

export function createPermitsRouter(deps: { service: PermitsService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'permits',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits',
        summary: 'Apply for a permit (creates a DRAFT and starts its lifecycle process)',
        tags: TAGS,
        auth: 'bearer',
        roles: ['researcher'],
        request: { body: CreatePermitBody },
        responses: { 201: { description: 'The new permit (`processInstanceKey` null while its lifecycle process is still being started; its actions answer 409 until then)', body: PermitViewSchema, headers: ['ETag', 'Location'] } },
        problems: [503],
        handler: async ({ body }, { res, caller }) => {
          const view = await service.create(caller, body, idempotencyScopeOf(res));
          res.set('Location', `/api/permits/${view.id}`);
          return withETag(res, view);
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits',
        summary: 'List the permits the caller is on (administrators: all)',
        tags: TAGS,
        auth: 'bearer',
        request: { query: ListPermitsQuery },
        responses: { 200: { description: 'One page of permits, newest first', body: PermitListSchema } },
        handler: ({ query }, { caller }) => service.list(caller, query),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}',
        summary: 'Read a permit, with what the caller may do now',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'The permit', body: PermitViewSchema, headers: ['ETag'] } },
        problems: [404],
        handler: async ({ params }, { res, caller }) => withETag(res, await service.get(caller, params.id)),
      }),
      defineRoute({
        method: 'patch',
        path: '/permits/{id}',
        summary: 'Edit the application while it is a DRAFT (title, purpose, validity, deletion grace period)',
        description:
          'Only the fields sent change; null clears validFrom or deletionGracePeriod. Allowed to whoever may submit the permit, only in DRAFT (409 otherwise). ' +
          'One transaction: the change, the version bump, an audit entry `permit.edit-draft` and the event `permit.draft.edited`. ' +
          'A request that changes nothing answers the permit as it is.',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: EditDraftBody },
        responses: { 200: { description: 'The permit as it now is', body: PermitViewSchema, headers: ['ETag'] } },
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.editDraft(caller, params.id, body, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/history',
        summary: "The permit's status history, oldest first",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Status changes', body: StatusHistorySchema } },
        problems: [404],
        handler: ({ params }, { caller }) => service.history(caller, params.id),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/submit',
        summary: 'Submit the application to the HDAB',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams },
        responses: accepted,
        problems: [404, 409, 412],
        handler: async ({ params }, { req, res, caller }) => withETag(res, await service.submit(caller, params.id, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/info',
        summary: 'Answer the HDAB’s request for more information',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ProvideInfoBody },
        responses: accepted,
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.provideInfo(caller, params.id, body, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/withdraw',
        summary: 'Withdraw the application',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ReasonBody },
        responses: accepted,
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.withdraw(caller, params.id, { reason: body?.reason }, ifMatchVersion(req))),
      }),
    ],
  };
}
