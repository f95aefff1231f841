/** `NotificationDeliveriesStore` on the Permit Manager's database: the `notification_deliveries` ledger, read only. */
import type { Knex } from 'knex';
import { TABLES, toIso, type TimestampValue } from '../../db/index.js';
import type { NotificationDelivery } from './notification-deliveries-schemas.js';
import type { NotificationDeliveriesStore } from './notification-deliveries-store.js';

interface DeliveryRow {
  template: string;
  recipient: string;
  channel: NotificationDelivery['channel'];
  status: NotificationDelivery['status'];
  claimed_at: TimestampValue;
  delivered_at: TimestampValue | null;
  attempts: number;
  last_error: string | null;
}

function toDelivery(row: DeliveryRow): NotificationDelivery {
  return {
    template: row.template,
    recipient: row.recipient,
    channel: row.channel,
    status: row.status,
    claimedAt: toIso(row.claimed_at),
    deliveredAt: row.delivered_at === null ? null : toIso(row.delivered_at),
    attempts: Number(row.attempts),
    lastError: row.last_error,
  };
}

export function createKnexNotificationDeliveriesStore(knex: Knex): NotificationDeliveriesStore {
  return {
    async listForPermit(permitId) {
      const rows = (await knex(TABLES.notificationDeliveries)
        .where({ permit_id: permitId })
        .orderBy(['claimed_at', 'recipient', 'channel', 'idempotency_key'])
        .select('template', 'recipient', 'channel', 'status', 'claimed_at', 'delivered_at', 'attempts', 'last_error')) as DeliveryRow[];
      return rows.map(toDelivery);
    },
  };
}
