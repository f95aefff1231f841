/**
 * The audit trail: a permit's entries for anyone who sees the permit, the whole log and its verification for
 * administrators only.
 */
import { ForbiddenError } from '../../shared/index.js';
import type { AuditEntry } from '../../db/index.js';
import type { Caller } from '../identity/caller.js';
import { isAdmin, type PermitAccess } from '../permits/permit-access.js';
import type { AuditLogStore, AuditVerification } from './audit-log-store.js';

export interface AuditServiceDeps {
  access: PermitAccess;
  store: AuditLogStore;
}

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(deps: AuditServiceDeps) {
  return {
    async list(caller: Caller, query: { permitId?: string | undefined; limit: number; afterSeq: number }): Promise<{ items: AuditEntry[]; nextAfterSeq: number | null }> {
      if (query.permitId === undefined) {
        if (!isAdmin(caller)) throw new ForbiddenError('Only administrators may read the whole audit log; pass permitId for one permit.');
      } else {
        await deps.access.load(caller, query.permitId);
      }
      const items = await deps.store.list(query);
      const last = items.at(-1);
      return { items, nextAfterSeq: items.length === query.limit && last ? last.seq : null };
    },

    async verify(caller: Caller): Promise<AuditVerification> {
      if (!isAdmin(caller)) throw new ForbiddenError('Only administrators may verify the audit log.');
      return deps.store.verify();
    },
  };
}
