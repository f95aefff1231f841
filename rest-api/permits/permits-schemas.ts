/** Request and response schemas of the permits feature (zod 4; they also document the API in /api/openapi.json). */
import { z } from 'zod';
import { PERMIT_STATUSES, TEAM_ROLES } from '../../shared/index.js';
import { ALL_PERMIT_ACTIONS } from './permit-actions.js';

const ISO_DURATION = /^P(?!$)(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?=\d)(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?$/;
/** The longest duration accepted (grace periods and the like): ten years. */
export const MAX_DURATION_DAYS = 3653;

/** Days in an ISO 8601 duration (a year as 365.25 days, a month as 30.44), or undefined when it is not one. */
export function isoDurationDays(value: string): number | undefined {
  const match = ISO_DURATION.exec(value);
  if (!match) return undefined;
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number];
  return y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86_400;
}

/** ISO 8601 duration such as P30D, P6M or PT12H, at most ten years. */
export const IsoDuration = z
  .string()
  .max(60, { error: 'must be an ISO 8601 duration such as P30D' })
  .superRefine((value, ctx) => {
    const days = isoDurationDays(value);
    if (days === undefined) ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 duration such as P30D (numbers of at most 9 digits)' });
    else if (days > MAX_DURATION_DAYS) ctx.addIssue({ code: 'custom', message: `must be at most ten years (P10Y); got about ${Math.round(days)} days` });
  });

export const UserId = z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
export const PermitIdParams = z.object({ id: z.uuid({ error: 'must be a permit id (uuid)' }) });
const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with time zone, e.g. 2027-01-31T00:00:00Z' });

export const PermitSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    purpose: z.string(),
    status: z.enum(PERMIT_STATUSES),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    deletionGracePeriod: z.string().nullable(),
    processInstanceKey: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Permit' });

export const PermitViewSchema = PermitSchema.extend({
  myTeamRoles: z.array(z.enum(TEAM_ROLES)).describe("The caller's roles on the permit's team"),
  allowedActions: z.array(z.enum(ALL_PERMIT_ACTIONS as [string, ...string[]])).describe('What the caller may do now'),
}).meta({ id: 'PermitView' });

export const PermitListSchema = z
  .object({ items: z.array(PermitSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'PermitList' });

export const StatusHistorySchema = z
  .array(
    z.object({
      id: z.number().int(),
      permitId: z.string(),
      previousStatus: z.enum(PERMIT_STATUSES).nullable(),
      newStatus: z.enum(PERMIT_STATUSES),
      actor: z.string(),
      reason: z.string().nullable(),
      version: z.number().int(),
      processInstanceKey: z.string().nullable(),
      occurredAt: z.string(),
    }),
  )
  .meta({ id: 'PermitStatusHistory' });

const Title = z.string().trim().min(3, { error: 'must be at least 3 characters' }).max(200, { error: 'must be at most 200 characters' });
const Purpose = z.string().trim().min(10, { error: 'must describe the purpose in at least 10 characters' }).max(5000, { error: 'must be at most 5000 characters' });

export const CreatePermitBody = z
  .strictObject({
    title: Title,
    purpose: Purpose,
    validFrom: Timestamp.optional(),
    validUntil: Timestamp,
    deletionGracePeriod: IsoDuration.optional(),
    members: z.array(z.strictObject({ userId: UserId })).max(50, { error: 'at most 50 members' }).optional().describe('Further research-team members'),
  })
  .meta({ id: 'CreatePermit' });

/** PATCH /permits/{id}: the fields of the application to change (at least one); `null` clears an optional one. */
export const EditDraftBody = z
  .strictObject({
    title: Title.optional(),
    purpose: Purpose.optional(),
    validFrom: Timestamp.nullable().optional().describe('null: no start date (valid from issuance)'),
    validUntil: Timestamp.optional(),
    deletionGracePeriod: IsoDuration.nullable().optional().describe('null: the platform default'),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    error: 'name at least one field to change: title, purpose, validFrom, validUntil or deletionGracePeriod',
  })
  .meta({ id: 'EditDraftPermit' });

export const ListPermitsQuery = z.strictObject({
  status: z.enum(PERMIT_STATUSES).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ProvideInfoBody = z.strictObject({
  response: z.string().trim().min(1, { error: 'must not be empty' }).max(10_000, { error: 'must be at most 10000 characters' }),
});

export const ReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() }).optional();
export const RequiredReasonBody = z.strictObject({ reason: z.string().trim().min(3, { error: 'must give a reason of at least 3 characters' }).max(2000) });
