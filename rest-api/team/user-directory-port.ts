/**
 * The user directory as the team rules read it (the port): who is known, with which token roles. Known means
 * recorded in `user_directory` (seeded users in embedded mode, every authenticated caller, people an administrator
 * registered). `createKnexUserDirectory` implements it, `createFakeUserDirectory` in memory for unit tests.
 */
import type { KnownUser } from '../../shared/team-rules.js';

export interface UserDirectory {
  /** The known users among `userIds` (unknown ids are left out). */
  find(userIds: readonly string[]): Promise<KnownUser[]>;
}
