/**
 * The token the workspace's `outputs-sync` Job sends to put files into its permit's outputs zone
 * (`PUT /api/permits/{id}/outputs`), and nothing else. It is not an identity-provider token: the platform issues it
 * per permit (job-workers/workspace, with the Secret the Job reads), keeps only its SHA-256, and only the outputs
 * route accepts it, for that one permit. Form: `spe-outputs.<token id>.<secret>` (43 base64url characters of 32
 * random bytes), which passes the bearer syntax but is never a JWT, so every other route refuses it as an invalid
 * token (401).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const OUTPUTS_TOKEN_PREFIX = 'spe-outputs';
const TOKEN = /^spe-outputs\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface NewOutputsToken {
  tokenId: string;
  /** The whole token, to hand to the Job once (never stored). */
  token: string;
  /** What is stored: the SHA-256 of the secret part, hex. */
  secretSha256: string;
}

export function newOutputsToken(): NewOutputsToken {
  const tokenId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { tokenId, token: `${OUTPUTS_TOKEN_PREFIX}.${tokenId}.${secret}`, secretSha256: secretHash(secret) };
}

/** The token's id and secret, or undefined when the value is not of this form (e.g. a user's JWT). */
export function parseOutputsToken(value: string): { tokenId: string; secret: string } | undefined {
  const match = TOKEN.exec(value);
  return match?.[1] && match[2] ? { tokenId: match[1], secret: match[2] } : undefined;
}

/** The bearer value of an `Authorization` header when it is an outputs token. */
export function outputsTokenFromHeader(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] && parseOutputsToken(match[1]) ? match[1] : undefined;
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const presented = Buffer.from(secretHash(secret), 'hex');
  const stored = Buffer.from(storedSha256, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
