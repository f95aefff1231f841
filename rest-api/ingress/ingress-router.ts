/** HTTP edge of the ingress feature. */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { ifMatchVersion } from '../platform/etag.js';
import { PermitIdParams, PermitViewSchema } from '../permits/permits-schemas.js';
import { withETag } from '../permits/permits-router.js';
import { ConfirmUploadBody, InitiateIngressBody } from './ingress-schemas.js';
import type { IngressService } from './ingress-service.js';

const TAGS = ['Ingress'];
const accepted = { 202: { description: 'Accepted; the permit as it is now', body: PermitViewSchema, headers: ['ETag'] as const } };

export function createIngressRouter(deps: { service: IngressService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'ingress',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits/{id}/ingress',
        summary: 'Open data ingress for the named data holders (HDAB team)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: InitiateIngressBody },
        responses: accepted,
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.initiate(caller, params.id, body, ifMatchVersion(req))),
      }),
      defineRoute({
        method: 'post',
        path: '/permits/{id}/ingress/uploads',
        summary: 'Confirm your data upload with its manifest (data holder)',
        tags: TAGS,
        auth: 'bearer',
        ifMatch: true,
        request: { params: PermitIdParams, body: ConfirmUploadBody },
        responses: accepted,
        problems: [404, 409, 412],
        handler: async ({ params, body }, { req, res, caller }) => withETag(res, await service.confirmUpload(caller, params.id, body.manifest, ifMatchVersion(req))),
      }),
    ],
  };
}
