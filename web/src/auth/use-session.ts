/** The signed-in person for React: re-renders when the session changes. */
import { useSyncExternalStore } from 'react';
import { sessionExpired, sessionUser, subscribe, type SessionUser } from './session';

let version = 0;
subscribe(() => {
  version += 1;
});

export function useSession(): { user: SessionUser | null; expired: boolean } {
  useSyncExternalStore(subscribe, () => version);
  return { user: sessionUser(), expired: sessionExpired() };
}

export function hasRole(user: SessionUser | null, role: string): boolean {
  return user?.roles.includes(role) ?? false;
}
