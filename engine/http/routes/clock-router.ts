/**
 * PUT /clock pins the engine clock at `timestamp` (epoch ms); POST /clock/reset returns it to system time.
 * Only when clock control is switched on (ZEEBE_CLOCK_CONTROLLED=true, `startEngine({ clockControlled: true })`):
 * a pinned clock fires every timer and expiry at once, so a production engine must not take it. Otherwise both
 * answer 403 `FORBIDDEN`, as Zeebe answers a clock change it does not allow (its clock actuator when the clock is
 * not controlled, and an authenticated 8.8 cluster when the caller may not update the system).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { HttpProblemError } from '../problem.js';
import { int64, parseBody } from '../validation.js';

const pinSchema = z.strictObject({ timestamp: int64.refine((t) => t >= 0, 'must be epoch milliseconds (>= 0)') });

export interface ClockRouterOptions {
  /** Clock control switched on; default false. */
  controlled: boolean;
}

export const CLOCK_NOT_CONTROLLED =
  'Clock control is switched off on this engine, so the clock cannot be pinned or reset. Start the engine with ZEEBE_CLOCK_CONTROLLED=true ' +
  '(in-process: startEngine({ clockControlled: true })) for tests and demos; never in production.';

export function clockRouter(api: EngineApi, options: ClockRouterOptions): Router {
  const router = Router();

  const requireControl = (_req: Request, _res: Response, next: NextFunction): void => {
    next(options.controlled ? undefined : new HttpProblemError(403, 'FORBIDDEN', CLOCK_NOT_CONTROLLED));
  };

  router.put('/clock', requireControl, async (req, res) => {
    const { timestamp } = parseBody(pinSchema, req);
    await api.pinClock(timestamp);
    res.status(204).end();
  });

  router.post('/clock/reset', requireControl, async (_req, res) => {
    await api.resetClock();
    res.status(204).end();
  });

  return router;
}
