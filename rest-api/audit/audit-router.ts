/** HTTP edge of the audit feature. */
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import type { AuditService } from './audit-service.js';

const TAGS = ['Audit'];

const AuditEntrySchema = z
  .object({
    seq: z.number().int(),
    occurredAt: z.string(),
    actor: z.string(),
    action: z.string(),
    permitId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    idempotencyKey: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

const AuditQuery = z.strictObject({
  permitId: z.uuid({ error: 'must be a permit id (uuid)' }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  afterSeq: z.coerce.number().int().min(0).default(0).describe('Cursor: entries after this sequence number'),
});

const VerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    problems: z.array(z.object({ seq: z.number().int(), problem: z.enum(['edited', 'deleted', 'reordered']) })),
  })
  .meta({ id: 'AuditVerification' });

export function createAuditRouter(deps: { service: AuditService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'audit',
    routes: [
      defineRoute({
        method: 'get',
        path: '/audit',
        summary: "Audit entries: one permit's (anyone on it) or all (administrators)",
        tags: TAGS,
        auth: 'bearer',
        request: { query: AuditQuery },
        responses: { 200: { description: 'Entries in sequence order', body: z.object({ items: z.array(AuditEntrySchema), nextAfterSeq: z.number().int().nullable() }) } },
        problems: [404],
        handler: ({ query }, { caller }) => service.list(caller, query),
      }),
      defineRoute({
        method: 'post',
        path: '/audit/verify',
        summary: "Verify the audit log's hash chain (administrators)",
        tags: TAGS,
        auth: 'bearer',
        roles: ['admin'],
        responses: { 200: { description: 'Result of the verification; ok=false lists edited, deleted or reordered entries', body: VerificationSchema } },
        handler: (_input, { caller }) => service.verify(caller),
      }),
    ],
  };
}
