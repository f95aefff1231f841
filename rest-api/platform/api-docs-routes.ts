/**
 * `/api/openapi.json` (the OpenAPI 3.1 document) and `/api/docs` (its rendered HTML reference). Both are public
 * and built once, when the app is created, from every mounted route.
 */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from './define-route.js';
import { renderDocsPage } from './docs-page.js';
import type { OpenApiDocument } from './openapi-document.js';

export function createApiDocsRoutes(getDocument: () => OpenApiDocument): FeatureRouter {
  const tags = ['Operations'];
  let page: string | undefined;
  return {
    name: 'api-docs',
    routes: [
      defineRoute({
        method: 'get',
        path: '/openapi.json',
        operationId: 'getOpenApiDocument',
        summary: 'This API as an OpenAPI 3.1 document',
        tags,
        auth: 'public',
        responses: { 200: { description: 'OpenAPI 3.1 document', body: z.record(z.string(), z.unknown()) } },
        handler: () => getDocument(),
      }),
      defineRoute({
        method: 'get',
        path: '/docs',
        operationId: 'getApiReference',
        summary: 'Human-readable API reference (HTML)',
        tags,
        auth: 'public',
        responses: { 200: { description: 'The reference page', contentType: 'text/html' } },
        handler: (_input, { res }) => {
          page ??= renderDocsPage(getDocument());
          res
            .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            // Never shown inside another site's frame (clickjacking); CSP frame-ancestors for current browsers, this for old ones.
            .set('X-Frame-Options', 'DENY')
            .type('html')
            .send(page);
        },
      }),
    ],
  };
}
