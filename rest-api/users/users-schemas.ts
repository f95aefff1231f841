/** Request and response schemas of the users feature (who the platform knows). */
import { z } from 'zod';
import { ROLES } from '../../shared/index.js';
import { UserId } from '../permits/permits-schemas.js';

export const KnownUserSchema = z
  .object({ userId: z.string(), displayName: z.string(), roles: z.array(z.string()).describe('Token roles the person last had (or was registered with)') })
  .meta({ id: 'KnownUser' });

export const RegisterUserBody = z
  .strictObject({
    userId: UserId.describe("The person's user id as the identity provider names them (token `sub`)"),
    displayName: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    roles: z.array(z.enum(ROLES)).min(1, { error: 'give at least one role' }).max(ROLES.length),
    email: z.email({ error: 'must be an email address' }).optional(),
  })
  .meta({ id: 'RegisterUser' });

export const UserIdParams = z.object({ userId: UserId });
