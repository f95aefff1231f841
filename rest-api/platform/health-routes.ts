/**
 * Liveness `/api/health` (the process answers) and readiness `/api/ready` (its dependencies answer). Readiness
 * checks are functions handed in by the wiring (database ping, engine topology, broker channel): each resolves
 * when healthy (optionally with details) and rejects or times out when not. 200 when all pass, else 503; the
 * body always lists every check with its outcome and duration.
 */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from './define-route.js';

/** Resolves (with optional details) when the dependency is usable; rejects with the reason when not. */
export type ReadinessCheck = () => Promise<unknown>;
export type Readiness = Record<string, ReadinessCheck>;

const DEFAULT_TIMEOUT_MS = 3000;

const CheckResultSchema = z
  .object({
    status: z.enum(['pass', 'fail']),
    durationMs: z.number(),
    details: z.unknown().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'ReadinessCheckResult' });

const HealthSchema = z.object({ status: z.enum(['pass', 'fail']), uptimeSeconds: z.number() }).meta({ id: 'Health' });
const ReadinessSchema = z
  .object({ status: z.enum(['pass', 'fail']), checks: z.record(z.string(), CheckResultSchema) })
  .meta({ id: 'Readiness' });

export type ReadinessReport = z.infer<typeof ReadinessSchema>;

export async function runReadinessChecks(readiness: Readiness, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const details = await Promise.race([Promise.resolve().then(check), timeout]);
        const result: z.infer<typeof CheckResultSchema> = { status: 'pass', durationMs: elapsed(started) };
        if (details !== undefined) result.details = details;
        return [name, result] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [name, { status: 'fail' as const, durationMs: elapsed(started), error: message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { status: entries.every(([, r]) => r.status === 'pass') ? 'pass' : 'fail', checks };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export function createHealthRoutes(readiness: Readiness, options: { timeoutMs?: number } = {}): FeatureRouter {
  const started = Date.now();
  const tags = ['Operations'];
  return {
    name: 'health',
    routes: [
      defineRoute({
        method: 'get',
        path: '/health',
        operationId: 'getHealth',
        summary: 'Liveness: the API process is up',
        tags,
        auth: 'public',
        responses: { 200: { description: 'The process answers', body: HealthSchema } },
        handler: (_input, { res }) => {
          res.set('Cache-Control', 'no-store');
          return { status: 'pass' as const, uptimeSeconds: Math.floor((Date.now() - started) / 1000) };
        },
      }),
      defineRoute({
        method: 'get',
        path: '/ready',
        operationId: 'getReadiness',
        summary: 'Readiness: database, process engine and broker answer',
        description: 'Runs every readiness check in parallel. 200 when all pass, 503 when any fails; the body lists each check.',
        tags,
        auth: 'public',
        responses: {
          200: { description: 'Every dependency answers', body: ReadinessSchema },
          503: { description: 'At least one dependency does not answer', body: ReadinessSchema },
        },
        handler: async (_input, { res }) => {
          const report = await runReadinessChecks(readiness, options.timeoutMs);
          res.set('Cache-Control', 'no-store');
          res.status(report.status === 'pass' ? 200 : 503).json(report);
        },
      }),
    ],
  };
}
