/**
 * The users feature wired: `createUsersFeature` puts the service on the knex store (rest-api/features.ts calls it),
 * `createFakeUsersFeature` on the in-memory store, returned too so a test can seed the directory.
 */
import type { Knex } from 'knex';
import { createFakeUsersStore, type FakeUsersStore } from './fake-users-store.js';
import { createKnexUsersStore } from './knex-users-store.js';
import { createUsersService, type UsersService } from './users-service.js';

export function createUsersFeature(deps: { knex: Knex }): UsersService {
  return createUsersService({ store: createKnexUsersStore(deps.knex) });
}

export function createFakeUsersFeature(): { service: UsersService; store: FakeUsersStore } {
  const store = createFakeUsersStore();
  return { service: createUsersService({ store }), store };
}
