/** Request and response schemas of the reviews feature. */
import { z } from 'zod';
import { REVIEW_STAGES, STAGE_DECISIONS } from '../../shared/index.js';

const ANY_DECISION = [...new Set(Object.values(STAGE_DECISIONS).flat())] as [string, ...string[]];

export const ReviewBody = z
  .strictObject({
    stage: z.enum(REVIEW_STAGES),
    decision: z.enum(ANY_DECISION).describe('One of the decisions the stage accepts (STAGE_DECISIONS)'),
    comment: z.string().max(10_000).optional().describe('Required unless the decision is APPROVED'),
    checklist: z
      .union([z.array(z.unknown()).max(500), z.record(z.string(), z.unknown())])
      .optional()
      .describe("What the reviewer checked (the values of the stage form's checklist; an approval needs every item)"),
    egressRequestId: z.uuid({ error: 'must be an egress request id (uuid)' }).optional().describe('Required for stage EGRESS'),
  })
  .meta({ id: 'ReviewDecisionRequest' });

export const ReviewDecisionSchema = z
  .object({
    id: z.string(),
    permitId: z.string(),
    stage: z.enum(REVIEW_STAGES),
    decision: z.string(),
    comment: z.string().nullable(),
    checklist: z.unknown(),
    reviewer: z.string(),
    submittedBy: z.string().nullable(),
    egressRequestId: z.string().nullable(),
    userTaskKey: z.string().nullable(),
    decidedAt: z.string(),
  })
  .meta({ id: 'ReviewDecision' });

export const SubmitSetupBody = z.strictObject({ note: z.string().trim().max(5000).optional() }).optional();
