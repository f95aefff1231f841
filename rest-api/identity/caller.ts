/**
 * The authenticated caller of a request, as the authenticator puts it on `res.locals.caller`.
 * Team membership (which permits, which TEAM_ROLE) is not in the token; features read it from `permit_members`.
 */
import type { Response } from 'express';
import type { Role } from '../../shared/index.js';
import { UnauthenticatedError } from './unauthenticated-error.js';

export interface Caller {
  /** Token `sub`. */
  userId: string;
  /** Token `name` (falls back to `sub`). */
  name: string;
  /** Known ROLES from the token claim `roles`; unknown role names are dropped. */
  roles: Role[];
  /** Token `email` claim, when the token has one (recorded in the user directory for email notifications). */
  email?: string;
}

/** The caller on this response, or undefined on a public route without a (valid) token. */
export function findCaller(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

/** The caller on this response; 401 when there is none. */
export function requireCaller(res: Response): Caller {
  const caller = findCaller(res);
  if (!caller) throw (res.locals.authError as UnauthenticatedError | undefined) ?? UnauthenticatedError.missing();
  return caller;
}
