/** `UsersStore` on the user directory table (rest-api/notifications/user-directory.ts). */
import type { Knex } from 'knex';
import { findDirectoryUsers, insertDirectoryEntryIfAbsent } from '../notifications/user-directory.js';
import type { UsersStore } from './users-store.js';

export function createKnexUsersStore(knex: Knex): UsersStore {
  return {
    async find(userId) {
      const [user] = await findDirectoryUsers(knex, [userId]);
      return user;
    },
    insertIfAbsent: (entry) => insertDirectoryEntryIfAbsent(knex, { ...entry, roles: entry.roles }),
  };
}
