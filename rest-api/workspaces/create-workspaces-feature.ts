/**
 * The workspaces feature wired: `createWorkspacesFeature` puts the service on the knex store (rest-api/features.ts
 * calls it), `createFakeWorkspacesFeature` on the in-memory store, returned too so a test can add rows.
 */
import type { Knex } from 'knex';
import type { PermitAccess } from '../permits/permit-access.js';
import { createFakeWorkspacesStore, type FakeWorkspacesStore } from './fake-workspaces-store.js';
import { createKnexWorkspacesStore } from './knex-workspaces-store.js';
import { createWorkspacesService, type WorkspacesService } from './workspaces-service.js';

export function createWorkspacesFeature(deps: { knex: Knex; access: PermitAccess }): WorkspacesService {
  return createWorkspacesService({ access: deps.access, store: createKnexWorkspacesStore(deps.knex) });
}

export function createFakeWorkspacesFeature(deps: { access: PermitAccess }): { service: WorkspacesService; store: FakeWorkspacesStore } {
  const store = createFakeWorkspacesStore();
  return { service: createWorkspacesService({ access: deps.access, store }), store };
}
