/** POST /signals/broadcast. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { TENANT } from '../../runtime/records.js';
import { parseBody, tenantId, variablesObject } from '../validation.js';

const broadcastSchema = z.strictObject({
  signalName: z.string(),
  variables: variablesObject.optional(),
  tenantId: tenantId.optional(),
});

export function signalsRouter(api: EngineApi): Router {
  const router = Router();
  router.post('/signals/broadcast', async (req, res) => {
    const { signalName, variables } = parseBody(broadcastSchema, req);
    const { signalKey } = await api.broadcastSignal({ signalName, ...(variables ? { variables } : {}) });
    res.json({ tenantId: TENANT, signalKey });
  });
  return router;
}
