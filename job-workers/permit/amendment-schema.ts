/**
 * The `amendment` variable of BPMN 6 (message `permit.amendment-requested`): what an approved amendment changes.
 * The REST API validates requests with the same schema before it sends the message.
 */
import { z } from 'zod';
import { TEAM_ROLES } from '../../shared/index.js';
import { validityEnd } from './permit-job-input.js';

export const AmendmentSchema = z
  .object({
    validUntil: validityEnd.optional(),
    addMembers: z.array(z.object({ userId: z.string().min(1), teamRole: z.enum(TEAM_ROLES) })).optional(),
    removeMembers: z.array(z.object({ userId: z.string().min(1), teamRole: z.enum(TEAM_ROLES).optional() })).optional(),
  })
  .refine((a) => a.validUntil !== undefined || (a.addMembers?.length ?? 0) > 0 || (a.removeMembers?.length ?? 0) > 0, {
    error: 'must change something: validUntil, addMembers or removeMembers',
  });

export type AmendmentInput = z.input<typeof AmendmentSchema>;
