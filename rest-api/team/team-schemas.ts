/** Request and response schemas of the team feature. */
import { z } from 'zod';
import { TEAM_ROLES } from '../../shared/index.js';
import { UserId } from '../permits/permits-schemas.js';

export const MemberSchema = z
  .object({ permitId: z.string(), userId: z.string(), teamRole: z.enum(TEAM_ROLES), addedBy: z.string(), addedAt: z.string() })
  .meta({ id: 'Member' });

export const AddMemberBody = z.strictObject({ userId: UserId, teamRole: z.enum(TEAM_ROLES) }).meta({ id: 'AddMember' });

export const MemberParams = z.object({
  id: z.uuid({ error: 'must be a permit id (uuid)' }),
  userId: UserId,
  teamRole: z.enum(TEAM_ROLES),
});
