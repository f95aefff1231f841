/**
 * The notifications feature wired: `createNotificationsFeature` puts the service on the knex store
 * (rest-api/features.ts calls it), `createFakeNotificationsFeature` on the in-memory store, returned too so a test
 * can add notifications and preferences.
 */
import type { Knex } from 'knex';
import { createFakeNotificationsStore, type FakeNotificationsStore } from './fake-notifications-store.js';
import { createKnexNotificationsStore } from './knex-notifications-store.js';
import { createNotificationsService, type NotificationsService } from './notifications-service.js';

export function createNotificationsFeature(deps: { knex: Knex; now?: () => Date }): NotificationsService {
  return createNotificationsService({ store: createKnexNotificationsStore(deps.knex), ...(deps.now ? { now: deps.now } : {}) });
}

export function createFakeNotificationsFeature(deps: { now?: () => Date } = {}): { service: NotificationsService; store: FakeNotificationsStore } {
  const store = createFakeNotificationsStore();
  return { service: createNotificationsService({ store, ...(deps.now ? { now: deps.now } : {}) }), store };
}
