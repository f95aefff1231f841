/** The port of the outputs-sync tokens (outputs-sync-token.ts): issued and revoked by the workspace worker, verified by the outputs route. */

export interface IssuedOutputsToken {
  tokenId: string;
  /** The whole token: shown once, to be put into the Job's Secret. */
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** A token that verified: for which permit, and that permit's status now. */
export interface OutputsTokenGrant {
  tokenId: string;
  permitId: string;
  permitStatus: string;
}

export interface OutputsTokenStore {
  /**
   * A new token for the permit's outputs; every earlier token of the permit is revoked in the same transaction
   * (one live token per permit). Audited (`airlock.outputs-token.issued`, the id and expiry, never the secret).
   */
  issue(input: { permitId: string; issuedBy: string }): Promise<IssuedOutputsToken>;
  /** Whether `token` is the permit's live token (not revoked, not expiring within a day): the Secret can stay. */
  isCurrent(permitId: string, token: string): Promise<boolean>;
  /** Revokes every live token of the permit; the number revoked (an audit entry when more than none). */
  revokeAll(input: { permitId: string; reason: string; revokedBy: string }): Promise<number>;
  /** The grant of a live token; undefined for an unknown, wrong, revoked or expired one. */
  verify(token: string): Promise<OutputsTokenGrant | undefined>;
}
