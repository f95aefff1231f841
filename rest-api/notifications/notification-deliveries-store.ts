/**
 * What the delivery ledger view reads (the port): a permit's rows of `notification_deliveries` (migration 0006) as
 * plain objects. The notification worker writes them (job-workers/notification/knex-notification-store.ts); this
 * store only reads. `createKnexNotificationDeliveriesStore` implements it, `createFakeNotificationDeliveriesStore`
 * in memory for unit tests.
 */
import type { NotificationDelivery } from './notification-deliveries-schemas.js';

export interface NotificationDeliveriesStore {
  /** Ordered by claimed_at, recipient, channel (and the idempotency key, so equal rows keep one order). */
  listForPermit(permitId: string): Promise<NotificationDelivery[]>;
}
