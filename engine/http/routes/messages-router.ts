/** POST /messages/publication (buffered with timeToLive, unique messageId) and POST /messages/correlation. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { TENANT } from '../../runtime/records.js';
import { int64, parseBody, tenantId, variablesObject } from '../validation.js';

const publishSchema = z.strictObject({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  timeToLive: int64.refine((t) => t >= 0, 'must be >= 0 (milliseconds)').optional(),
  messageId: z.string().optional(),
  variables: variablesObject.optional(),
  tenantId: tenantId.optional(),
});

const correlateSchema = z.strictObject({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  variables: variablesObject.optional(),
  tenantId: tenantId.optional(),
});

export function messagesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/messages/publication', async (req, res) => {
    const { tenantId: _tenant, ...input } = parseBody(publishSchema, req);
    const { messageKey } = await api.publishMessage(input);
    res.json({ tenantId: TENANT, messageKey });
  });

  router.post('/messages/correlation', async (req, res) => {
    const { tenantId: _tenant, ...input } = parseBody(correlateSchema, req);
    const { messageKey, processInstanceKey } = await api.correlateMessage(input);
    res.json({ tenantId: TENANT, messageKey, processInstanceKey });
  });

  return router;
}
