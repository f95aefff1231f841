/** HTTP edge of the egress feature. An egress request's ETag is its own version. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { etagOf, ifMatchVersion } from '../platform/etag.js';
import { idempotencyScopeOf } from '../platform/idempotency-key.js';
import { PermitIdParams } from '../permits/permits-schemas.js';
import { CreateEgressBody, EgressParams, EgressRequestSchema } from './egress-schemas.js';
import type { EgressService } from './egress-service.js';

const TAGS = ['Egress'];

export function createEgressRouter(deps: { service: EgressService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'egress',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits/{id}/egress-requests',
        summary: 'Draft an output (egress) request (research team, during analysis)',
        description:
          "How many independent HDAB reviews the request needs is not the research team's to choose: the HDAB's output release policy (a DMN decision table, bpmn/output-release-policy.dmn) decides it from the files and what the disclosure checks find each time the request is submitted, and the request then shows `requiredReviews` and `requiredReviewsReason` (null for a draft). A body with `requiredReviews` is refused (400).",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams, body: CreateEgressBody },
        responses: { 201: { description: 'The draft request', body: EgressRequestSchema, headers: ['ETag', 'Location'] } },
        problems: [404, 409],
        handler: async ({ params, body }, { res, caller }) => {
          const request = await service.create(caller, params.id, body, idempotencyScopeOf(res));
          res.set('Location', `/api/permits/${params.id}/egress-requests/${request.id}`);
          res.set('ETag', etagOf(request.version));
          return request;
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/egress-requests',
        summary: "The permit's egress requests",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Egress requests, oldest first', body: z.array(EgressRequestSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.list(caller, params.id),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/egress-requests/{rid}',
        summary: 'Read one egress request',
        tags: TAGS,
        auth: 'bearer',
        request: { params: EgressParams },
        responses: { 200: { description: 'The egress request', body: EgressRequestSchema, headers: ['ETag'] } },
        problems: [404],
        handler: async ({ params }, { res, caller }) => {
          const request = await service.get(caller, params.id, params.rid);
          res.set('ETag', etagOf(request.version));
          return request;
        },
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/egress-requests/{rid}/submit',
        summary: 'Submit (or resubmit after rework) an egress request for review',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: EgressParams },
        responses: { 202: { description: 'Submitted; the request as it is now', body: EgressRequestSchema, headers: ['ETag'] } },
        problems: [404, 409, 412],
        handler: async ({ params }, { req, res, caller }) => {
          const request = await service.submit(caller, params.id, params.rid, ifMatchVersion(req));
          res.set('ETag', etagOf(request.version));
          return request;
        },
      }),
    ],
  };
}
