/**
 * ETags and If-Match. A resource's ETag is its row version in quotes (`"7"`). `If-Match` is optional but
 * honoured: a state change without it goes ahead; with it, a stale version answers 412 (PreconditionFailedError)
 * and nothing changes. `*` matches any existing version. Weak tags (`W/"7"`) never match (RFC 9110 §13.1.1
 * compares If-Match strongly).
 *
 * Two ways to use it in a feature:
 * - `requireIfMatch(req, permit.version)` after reading the current version (a pre-check), and/or
 * - `ifMatchVersion(req)` → the expected version to pass to `transitionPermit({ expectedVersion })`, which checks it
 *   in the same UPDATE (race-free).
 */
import type { Request } from 'express';
import { PreconditionFailedError, ValidationError } from '../../shared/index.js';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Parsed `If-Match`: absent, `*`, or a list of entity tags (weak ones kept as `weak: true`). */
export type IfMatch = { kind: 'absent' } | { kind: 'any' } | { kind: 'tags'; tags: { weak: boolean; value: string }[] };

export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'absent' };
  if (header.trim() === '*') return { kind: 'any' };
  const tags: { weak: boolean; value: string }[] = [];
  const pattern = /\s*(W\/)?"([^"]*)"\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < header.length && (match = pattern.exec(header)) !== null) {
    tags.push({ weak: match[1] !== undefined, value: match[2] ?? '' });
    consumed = pattern.lastIndex;
    if (match[3] === '') break;
  }
  if (tags.length === 0 || consumed < header.length) {
    throw new ValidationError(`If-Match header "${header}" is not a list of entity tags; send the ETag you received, e.g. If-Match: "3".`, {
      errors: [{ path: 'headers.if-match', message: 'expected "*" or quoted entity tags such as "3"' }],
    });
  }
  return { kind: 'tags', tags };
}

/** Throws PreconditionFailedError when `If-Match` is present and does not name `currentVersion`. */
export function requireIfMatch(req: Request, currentVersion: number): void {
  const ifMatch = parseIfMatch(req.get('if-match'));
  if (ifMatch.kind !== 'tags') return;
  const current = String(currentVersion);
  if (ifMatch.tags.some((tag) => !tag.weak && tag.value === current)) return;
  throw new PreconditionFailedError(
    `The resource has changed: its current ETag is ${etagOf(currentVersion)} but If-Match sent ${req.get('if-match')}. Read it again and retry.`,
    { currentVersion, currentETag: etagOf(currentVersion) },
  );
}

/**
 * The version `If-Match` names, for an atomic `expectedVersion` check; undefined when the header is absent or `*`.
 * A list of several tags, a weak tag or a non-numeric tag can never match a version: answers 412 at once.
 */
export function ifMatchVersion(req: Request): number | undefined {
  const ifMatch = parseIfMatch(req.get('if-match'));
  if (ifMatch.kind !== 'tags') return undefined;
  const [only] = ifMatch.tags;
  if (ifMatch.tags.length === 1 && only && !only.weak && /^[1-9][0-9]*$/.test(only.value)) return Number(only.value);
  throw new PreconditionFailedError(`If-Match ${req.get('if-match')} names no current version; send the single ETag you received, e.g. If-Match: "3".`);
}
