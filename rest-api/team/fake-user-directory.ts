/** In-memory UserDirectory for unit tests; by default it knows the seeded development users, as embedded mode does. */
import type { KnownUser } from '../../shared/team-rules.js';
import { SEEDED_USERS } from '../identity/seeded-users.js';
import type { UserDirectory } from './user-directory-port.js';

export interface FakeUserDirectory extends UserDirectory {
  users: Map<string, KnownUser>;
  /** Makes a person known (as their first sign-in would). */
  add(userId: string, roles: readonly string[]): void;
}

export function createFakeUserDirectory(users: readonly KnownUser[] = SEEDED_USERS): FakeUserDirectory {
  const known = new Map(users.map((user) => [user.userId, { userId: user.userId, roles: [...user.roles] }]));
  return {
    users: known,
    add(userId, roles) {
      known.set(userId, { userId, roles: [...roles] });
    },
    async find(userIds) {
      return userIds.flatMap((id) => known.get(id) ?? []);
    },
  };
}
