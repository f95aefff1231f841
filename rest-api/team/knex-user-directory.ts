/** `UserDirectory` on the `user_directory` table (rest-api/notifications/user-directory.ts). */
import type { Knex } from 'knex';
import { findDirectoryUsers } from '../notifications/user-directory.js';
import type { UserDirectory } from './user-directory-port.js';

export function createKnexUserDirectory(knex: Knex): UserDirectory {
  return { find: (userIds) => findDirectoryUsers(knex, userIds) };
}
