/**
 * The delivery ledger view wired: `createNotificationDeliveriesFeature` puts the service on the knex store
 * (rest-api/features.ts calls it), `createFakeNotificationDeliveriesFeature` on the in-memory store, returned too
 * so a test can add ledger rows.
 */
import type { Knex } from 'knex';
import type { PermitAccess } from '../permits/permit-access.js';
import { createFakeNotificationDeliveriesStore, type FakeNotificationDeliveriesStore } from './fake-notification-deliveries-store.js';
import { createKnexNotificationDeliveriesStore } from './knex-notification-deliveries-store.js';
import { createNotificationDeliveriesService, type NotificationDeliveriesService } from './notification-deliveries-service.js';

export function createNotificationDeliveriesFeature(deps: { knex: Knex; access: PermitAccess }): NotificationDeliveriesService {
  return createNotificationDeliveriesService({ access: deps.access, store: createKnexNotificationDeliveriesStore(deps.knex) });
}

export function createFakeNotificationDeliveriesFeature(deps: { access: PermitAccess }): { service: NotificationDeliveriesService; store: FakeNotificationDeliveriesStore } {
  const store = createFakeNotificationDeliveriesStore();
  return { service: createNotificationDeliveriesService({ access: deps.access, store }), store };
}
