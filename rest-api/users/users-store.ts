/**
 * What the users feature needs from the database (the port): one person of the user directory, and registering
 * someone not known yet. `createKnexUsersStore` implements it on `user_directory`, `createFakeUsersStore` in memory.
 */
import type { Role } from '../../shared/index.js';

export interface KnownUserView {
  userId: string;
  displayName: string;
  roles: string[];
}

export interface UsersStore {
  find(userId: string): Promise<KnownUserView | undefined>;
  /** false when the person is already known. */
  insertIfAbsent(entry: { userId: string; displayName: string; roles: readonly Role[]; email?: string | undefined }): Promise<boolean>;
}
