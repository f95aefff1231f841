/** In-memory `UsersStore` for unit tests: `users` is the directory by user id; a registration never overwrites. */
import type { KnownUserView, UsersStore } from './users-store.js';

export interface FakeUsersStore extends UsersStore {
  users: Map<string, KnownUserView>;
}

export function createFakeUsersStore(): FakeUsersStore {
  const store: FakeUsersStore = {
    users: new Map(),
    async find(userId) {
      const user = store.users.get(userId);
      return user && structuredClone(user);
    },
    async insertIfAbsent(entry) {
      if (store.users.has(entry.userId)) return false;
      store.users.set(entry.userId, { userId: entry.userId, displayName: entry.displayName, roles: [...entry.roles] });
      return true;
    },
  };
  return store;
}
