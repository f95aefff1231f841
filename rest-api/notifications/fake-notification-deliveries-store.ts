/** In-memory NotificationDeliveriesStore for unit tests: `rows` are the ledger rows of every permit, in any order. */
import type { NotificationDelivery } from './notification-deliveries-schemas.js';
import type { NotificationDeliveriesStore } from './notification-deliveries-store.js';

export interface FakeNotificationDeliveriesStore extends NotificationDeliveriesStore {
  rows: (NotificationDelivery & { permitId: string; idempotencyKey: string })[];
}

export function createFakeNotificationDeliveriesStore(): FakeNotificationDeliveriesStore {
  const store: FakeNotificationDeliveriesStore = {
    rows: [],
    async listForPermit(permitId) {
      return store.rows
        .filter((row) => row.permitId === permitId)
        .sort(
          (a, b) =>
            a.claimedAt.localeCompare(b.claimedAt) || a.recipient.localeCompare(b.recipient) || a.channel.localeCompare(b.channel) || a.idempotencyKey.localeCompare(b.idempotencyKey),
        )
        .map(({ permitId: _permitId, idempotencyKey: _idempotencyKey, ...delivery }) => ({ ...delivery }));
    },
  };
  return store;
}
