/**
 * The team feature wired: `createTeamFeature` puts the service on the knex team store (rest-api/features.ts calls
 * it), `createFakeTeamFeature` on the in-memory team store and user directory, returned too so a test can look at
 * the members and make people known. The permits store and the directory are shared with other features, so the
 * caller hands them in.
 */
import type { Knex } from 'knex';
import type { PermitAccess } from '../permits/permit-access.js';
import type { FakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeTeamStore } from './fake-team-store.js';
import { createFakeUserDirectory, type FakeUserDirectory } from './fake-user-directory.js';
import { createKnexTeamStore } from './knex-team-store.js';
import { createTeamService, type TeamService, type TeamServiceDeps } from './team-service.js';
import type { TeamStore } from './team-store.js';

export function createTeamFeature(deps: { knex: Knex } & Omit<TeamServiceDeps, 'store'>): TeamService {
  const { knex, ...service } = deps;
  return createTeamService({ ...service, store: createKnexTeamStore(knex) });
}

export function createFakeTeamFeature(deps: { access: PermitAccess; permits: FakePermitStore; directory?: FakeUserDirectory }): {
  service: TeamService;
  store: TeamStore;
  directory: FakeUserDirectory;
} {
  const store = createFakeTeamStore(deps.permits);
  const directory = deps.directory ?? createFakeUserDirectory();
  return { service: createTeamService({ access: deps.access, permits: deps.permits, store, directory }), store, directory };
}
