/**
 * Response schemas of a permit's notification deliveries: the rows of the ledger `notification_deliveries`
 * (migration 0006) that the notification worker writes, one per message, recipient and channel.
 */
import { z } from 'zod';
import { NOTIFICATION_CHANNELS } from '../../shared/notification-channels.js';

/**
 * The ledger's statuses (the table's CHECK constraint): `claimed` (a delivery is sending it now, or died doing
 * so), then `sent`, or `failed` (the next delivery of the job tries again).
 */
export const DELIVERY_STATUSES = ['claimed', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const NotificationDeliverySchema = z
  .object({
    template: z.string().describe('Which message, e.g. `workspace-ready` (docs/notifications.md)'),
    recipient: z.string().describe('A user id, or the Slack channel of a channel post'),
    channel: z.enum(NOTIFICATION_CHANNELS),
    status: z.enum(DELIVERY_STATUSES).describe('`claimed`: being sent (or the sender died; taken over after the lease); `sent`; `failed`: retried with the job'),
    claimedAt: z.string().describe('When the last attempt claimed it'),
    deliveredAt: z.string().nullable().describe('When it went out; null until sent'),
    attempts: z.number().int().describe('How many times it was claimed'),
    lastError: z.string().nullable().describe("The last failed send's error; null once sent"),
  })
  .meta({ id: 'NotificationDelivery' });

export const NotificationDeliveryListSchema = z
  .object({ items: z.array(NotificationDeliverySchema).describe('By claim time, then recipient, then channel') })
  .meta({ id: 'NotificationDeliveryList' });

export type NotificationDelivery = z.output<typeof NotificationDeliverySchema>;
