/**
 * Who the platform knows (the user directory): people are known from their first authenticated request, or
 * earlier when an administrator registers them, so they can be put on a permit's teams before they ever sign in.
 * A registration never overwrites someone already known: their roles come from their tokens from then on.
 */
import { ConflictError, NotFoundError, type Role } from '../../shared/index.js';
import type { KnownUserView, UsersStore } from './users-store.js';

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService(deps: { store: UsersStore }) {
  return {
    async get(userId: string): Promise<KnownUserView> {
      const user = await deps.store.find(userId);
      if (!user) throw new NotFoundError(`"${userId}" is not a known user; people become known at their first sign-in, or when an administrator registers them (POST /api/users).`, { userId });
      return user;
    },

    async register(entry: { userId: string; displayName: string; roles: Role[]; email?: string | undefined }): Promise<KnownUserView> {
      if (!(await deps.store.insertIfAbsent(entry))) {
        throw new ConflictError(`"${entry.userId}" is already known; their roles come from their sign-in and are kept up to date from it.`, { userId: entry.userId });
      }
      return { userId: entry.userId, displayName: entry.displayName, roles: [...entry.roles] };
    },
  };
}
