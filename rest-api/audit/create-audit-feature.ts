/**
 * The audit feature wired: `createAuditFeature` puts the service on the knex store (rest-api/features.ts calls it),
 * `createFakeAuditFeature` on the in-memory store, returned too so a test can fill the log.
 */
import type { Knex } from 'knex';
import type { PermitAccess } from '../permits/permit-access.js';
import { createAuditService, type AuditService } from './audit-service.js';
import { createFakeAuditLogStore, type FakeAuditLogStore } from './fake-audit-log-store.js';
import { createKnexAuditLogStore } from './knex-audit-log-store.js';

export function createAuditFeature(deps: { knex: Knex; access: PermitAccess }): AuditService {
  return createAuditService({ access: deps.access, store: createKnexAuditLogStore(deps.knex) });
}

export function createFakeAuditFeature(deps: { access: PermitAccess }): { service: AuditService; store: FakeAuditLogStore } {
  const store = createFakeAuditLogStore();
  return { service: createAuditService({ access: deps.access, store }), store };
}
