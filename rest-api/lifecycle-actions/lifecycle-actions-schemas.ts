/**
 * Request schemas of the lifecycle actions. The amendment has the shape the `permit.apply-amendment` worker
 * applies (job-workers/permit/amendment-schema.ts), plus a summary for the reviewer.
 */
import { z } from 'zod';
import { TEAM_ROLES } from '../../shared/index.js';
import { UserId } from '../permits/permits-schemas.js';

const Member = z.strictObject({ userId: UserId, teamRole: z.enum(TEAM_ROLES) });

export const AmendmentBody = z
  .strictObject({
    summary: z.string().trim().min(3, { error: 'describe the amendment in at least 3 characters' }).max(5000),
    validUntil: z
      .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date-time such as 2027-01-31T23:59:59Z, or a date such as 2027-01-31' })
      .optional(),
    addMembers: z.array(Member).max(50).optional(),
    removeMembers: z.array(Member.partial({ teamRole: true })).max(50).optional().describe('Without teamRole: every role of that user'),
  })
  .refine((a) => a.validUntil !== undefined || (a.addMembers?.length ?? 0) > 0 || (a.removeMembers?.length ?? 0) > 0, {
    error: 'an amendment must change something: validUntil, addMembers or removeMembers',
  })
  .meta({ id: 'AmendmentRequest' });
