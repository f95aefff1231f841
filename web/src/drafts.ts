/**
 * Half-filled forms survive a session that ends: every change is kept in sessionStorage under the page's key and
 * read back when the page opens again (after signing in again, the sign-in returns to the same page). A draft is
 * dropped once the form is sent.
 */
import { useCallback, useEffect, useState } from 'react';

const PREFIX = 'spe-draft:';

export function readDraft<T>(key: string): T | undefined {
  const raw = window.sessionStorage.getItem(PREFIX + key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export function useDraft<T extends object>(key: string, initial: T): [T, (next: T) => void, () => void, boolean] {
  const [restored] = useState(() => readDraft<T>(key));
  const [value, setValue] = useState<T>(() => ({ ...initial, ...(restored ?? {}) }));
  useEffect(() => {
    window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  }, [key, value]);
  const clear = useCallback(() => window.sessionStorage.removeItem(PREFIX + key), [key]);
  return [value, setValue, clear, restored !== undefined];
}
