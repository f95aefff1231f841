/**
 * Resources: `POST /resources/{resourceKey}/deletion` (process definitions, forms, decision requirements; see
 * runtime/processor/resource-deletion.ts for what it does). Camunda 8.8 answers 204 with no body, 404 for a key
 * that is no deployed resource, and 409 for a process definition that still has running instances.
 * `GET /resources/{key}` and `.../content` serve RPA resources only in 8.8; this engine deploys none, so they are 404.
 */
import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import type { EngineApi } from '../../runtime/engine-api.js';
import { int64, keyParam, parseWith } from '../validation.js';

const deletionSchema = z.strictObject({ operationReference: int64.optional() }).nullable();

export function resourcesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/resources/:resourceKey/deletion', async (req, res) => {
    const key = keyParam(req, 'resourceKey');
    parseWith(deletionSchema, req.body ?? null, 'resource deletion request');
    await api.deleteResource(key);
    res.status(204).end();
  });

  const noRpaResource = (req: Parameters<typeof keyParam>[0]) => {
    throw notFound(`Resource with key '${keyParam(req, 'resourceKey')}' not found: Camunda 8.8 serves RPA resources here, and this engine deploys none`);
  };
  router.get('/resources/:resourceKey', noRpaResource);
  router.get('/resources/:resourceKey/content', noRpaResource);

  return router;
}
