/**
 * The outputs-sync tokens on the Permit Manager's database (`outputs_sync_tokens`, migration 0015): the SHA-256 of
 * each secret, its permit, when it was issued and expires, and when and why it was revoked. Issue and revoke write
 * an audit entry in the same transaction.
 */
import type { Knex } from 'knex';
import { appendAudit, TABLES } from '../../db/index.js';
import { newOutputsToken, parseOutputsToken, secretMatches } from './outputs-sync-token.js';
import type { OutputsTokenStore } from './outputs-token-store.js';

export const OUTPUTS_SYNC_TOKENS_TABLE = 'outputs_sync_tokens';

/** Longest life of a token; shorter when the permit's validity ends sooner. The worker issues a new one a day before. */
export const OUTPUTS_TOKEN_LIFETIME_DAYS = 30;
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

interface TokenRow {
  id: string;
  permit_id: string;
  secret_sha256: string;
  issued_by: string;
  issued_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  revoked_reason: string | null;
}

export function createKnexOutputsTokenStore(knex: Knex, options: { clock?: () => Date } = {}): OutputsTokenStore {
  const clock = options.clock ?? (() => new Date());
  const table = (db: Knex = knex) => db<TokenRow>(OUTPUTS_SYNC_TOKENS_TABLE);

  async function revoke(trx: Knex, permitId: string, reason: string, revokedBy: string): Promise<number> {
    const revoked = (await table(trx).where({ permit_id: permitId }).whereNull('revoked_at').update({ revoked_at: clock(), revoked_reason: reason }).returning('id')) as { id: string }[];
    if (revoked.length > 0) {
      await appendAudit(trx, { actor: revokedBy, action: 'airlock.outputs-token.revoked', permitId, details: { tokenIds: revoked.map((r) => r.id), reason } });
    }
    return revoked.length;
  }

  async function live(token: string): Promise<TokenRow | undefined> {
    const parsed = parseOutputsToken(token);
    if (!parsed) return undefined;
    const row = (await table().where({ id: parsed.tokenId }).first()) as TokenRow | undefined;
    if (!row || row.revoked_at !== null || new Date(row.expires_at).getTime() <= clock().getTime()) return undefined;
    return secretMatches(parsed.secret, row.secret_sha256) ? row : undefined;
  }

  return {
    async issue({ permitId, issuedBy }) {
      return knex.transaction(async (trx) => {
        const permit = (await trx(TABLES.permits).where({ id: permitId }).first('valid_until')) as { valid_until: Date | string | null } | undefined;
        if (!permit) throw new Error(`permit ${permitId} does not exist; no outputs token issued`);
        await revoke(trx, permitId, 'replaced by a new token', issuedBy);
        const now = clock();
        const longest = now.getTime() + OUTPUTS_TOKEN_LIFETIME_DAYS * 24 * 3600 * 1000;
        const validUntil = permit.valid_until ? new Date(permit.valid_until).getTime() : Number.POSITIVE_INFINITY;
        const expiresAt = new Date(Math.min(longest, Math.max(validUntil, now.getTime() + RENEW_BEFORE_MS * 2)));
        const fresh = newOutputsToken();
        await table(trx).insert({ id: fresh.tokenId, permit_id: permitId, secret_sha256: fresh.secretSha256, issued_by: issuedBy, issued_at: now, expires_at: expiresAt, revoked_at: null, revoked_reason: null });
        await appendAudit(trx, { actor: issuedBy, action: 'airlock.outputs-token.issued', permitId, details: { tokenId: fresh.tokenId, expiresAt: expiresAt.toISOString(), scope: `PUT /api/permits/${permitId}/outputs` } });
        return { tokenId: fresh.tokenId, token: fresh.token, expiresAt: expiresAt.toISOString() };
      });
    },
    async isCurrent(permitId, token) {
      const row = await live(token);
      return row !== undefined && row.permit_id === permitId && new Date(row.expires_at).getTime() - clock().getTime() > RENEW_BEFORE_MS;
    },
    revokeAll({ permitId, reason, revokedBy }) {
      return knex.transaction((trx) => revoke(trx, permitId, reason, revokedBy));
    },
    async verify(token) {
      const row = await live(token);
      if (!row) return undefined;
      const permit = (await knex(TABLES.permits).where({ id: row.permit_id }).first('status')) as { status: string } | undefined;
      return permit ? { tokenId: row.id, permitId: row.permit_id, permitStatus: permit.status } : undefined;
    },
  };
}
