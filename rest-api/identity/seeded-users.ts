/**
 * The people the development issuer can mint tokens for (`POST /api/dev-auth/token { userId }`). Demo scripts and
 * integration tests log in as them; production identities come from the OIDC provider instead.
 */
import type { Role } from '../../shared/index.js';

export interface SeededUser {
  userId: string;
  name: string;
  roles: readonly Role[];
  /** Put in dev tokens as the `email` claim (and in the user directory, for email notifications). */
  email: string;
  /** What the user is for in demos. */
  description: string;
}

export const SEEDED_USERS = [
  { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'], email: 'alice@research.example.org', description: 'Principal investigator: applies for permits and runs analyses.' },
  { userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'], email: 'rita@hdab.example.org', description: 'HDAB reviewer: assesses applications, workspace setups and outputs.' },
  { userId: 'victor', name: 'Victor Lindqvist', roles: ['hdab-reviewer'], email: 'victor@hdab.example.org', description: 'Second HDAB reviewer (four-eyes output reviews).' },
  { userId: 'dana', name: 'Dana Ruiz', roles: ['data-holder'], email: 'dana@registry.example.org', description: 'Data holder: delivers the requested data.' },
  { userId: 'adam', name: 'Adam Weber', roles: ['admin'], email: 'adam@spe.example.org', description: 'Platform administrator: sees everything, verifies the audit log.' },
] as const satisfies readonly SeededUser[];

export type SeededUserId = (typeof SEEDED_USERS)[number]['userId'];

export function findSeededUser(userId: string): SeededUser | undefined {
  return SEEDED_USERS.find((user) => user.userId === userId);
}
