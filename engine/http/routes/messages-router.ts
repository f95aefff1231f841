/** POST /messages/publication (buffered with timeToLive, unique messageId) and POST /messages/correlation. */
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { TENANT } from '../../runtime/records.js';
import { sendJson } from '../send-json.js';
import { int64, parseBody, tenantId, variablesObject, type RouteRequest } from '../validation.js';

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

/** `POST /messages/publication`; hot-routes.ts also calls it, without Express. */
export function publishMessageRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const { tenantId: _tenant, ...input } = parseBody(publishSchema, req);
    const { messageKey } = await api.publishMessage(input);
    sendJson(res, 200, { tenantId: TENANT, messageKey });
  };
}

/** `POST /messages/correlation`; hot-routes.ts also calls it, without Express. */
export function correlateMessageRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const { tenantId: _tenant, ...input } = parseBody(correlateSchema, req);
    const { messageKey, processInstanceKey } = await api.correlateMessage(input);
    sendJson(res, 200, { tenantId: TENANT, messageKey, processInstanceKey });
  };
}

export function messagesRouter(api: EngineApi): Router {
  const router = Router();
  router.post('/messages/publication', publishMessageRoute(api));
  router.post('/messages/correlation', correlateMessageRoute(api));
  return router;
}
