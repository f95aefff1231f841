/**
 * The user directory as the team rules read it: who is known, with which token roles. Known means recorded in
 * `user_directory` (seeded users in embedded mode, every authenticated caller, people an administrator registered).
 */
import type { Knex } from 'knex';
import type { KnownUser } from '../../shared/team-rules.js';
import { findDirectoryUsers } from '../notifications/user-directory.js';

export interface UserDirectory {
  /** The known users among `userIds` (unknown ids are left out). */
  find(userIds: readonly string[]): Promise<KnownUser[]>;
}

export function createUserDirectory(knex: Knex): UserDirectory {
  return { find: (userIds) => findDirectoryUsers(knex, userIds) };
}

