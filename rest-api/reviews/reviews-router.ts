/** HTTP edge of the reviews feature: submit the workspace setup for review, decide on a review, list decisions. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { ifMatchVersion } from '../platform/etag.js';
import { PermitIdParams, PermitViewSchema } from '../permits/permits-schemas.js';
import { withETag } from '../permits/permits-router.js';
import { ReviewBody, ReviewDecisionSchema, SubmitSetupBody } from './reviews-schemas.js';
import type { ReviewsService } from './reviews-service.js';

const TAGS = ['Reviews'];

export function createReviewsRouter(deps: { service: ReviewsService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'reviews',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits/{id}/workspace/submit-for-review',
        summary: 'Submit the workspace setup for HDAB review (research team)',
        description: 'The workspace is frozen and its internet access switched off while the HDAB reviews it.',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: SubmitSetupBody },
        responses: { 202: { description: 'Accepted; the permit as it is now', body: PermitViewSchema, headers: ['ETag'] } },
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.submitSetup(caller, params.id, { note: body?.note }, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/review',
        summary: 'Decide on a review stage (HDAB reviewer on the permit, never on their own submission)',
        description:
          "The stage's open user task is assigned to the caller and completed, as Tasklist does. The decision listener applies the review rules: a rule broken answers 403, form values it refuses 400, both with its reason; a task someone else is working on answers 409.",
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ReviewBody },
        responses: { 201: { description: 'The decision recorded; the process continues', body: ReviewDecisionSchema } },
        problems: [400, 403, 404, 409, 412],
        handler: ({ params, body }, { req, caller }) => service.review(caller, params.id, body, ifMatchVersion(req)),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/reviews',
        summary: 'Review decisions taken on the permit, oldest first',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Decisions', body: z.array(ReviewDecisionSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.list(caller, params.id),
      }),
    ],
  };
}
