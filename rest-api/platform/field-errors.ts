/** Zod issues as the 400 problem's `errors[]` entries: `{ path: 'body.title', message }`. */
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** Paths are dotted, prefixed with the request part when given (`body`, `query`, `params`); `(root)` for the whole value. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: issue.message,
  }));
}
