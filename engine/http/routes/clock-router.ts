/** PUT /clock pins the engine clock at `timestamp` (epoch ms); POST /clock/reset returns it to system time. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { int64, parseBody } from '../validation.js';

const pinSchema = z.strictObject({ timestamp: int64.refine((t) => t >= 0, 'must be epoch milliseconds (>= 0)') });

export function clockRouter(api: EngineApi): Router {
  const router = Router();

  router.put('/clock', async (req, res) => {
    const { timestamp } = parseBody(pinSchema, req);
    await api.pinClock(timestamp);
    res.status(204).end();
  });

  router.post('/clock/reset', async (_req, res) => {
    await api.resetClock();
    res.status(204).end();
  });

  return router;
}
