/**
 * The in-app channel: one row in `notifications` (the user's list in the REST API, `GET /api/notifications`) and,
 * in the same transaction, an outbox event `notification.created` that the relay streams to that user only
 * (`GET /api/events/stream` delivers events whose payload names a `userId` to that user alone).
 *
 * Idempotent on its own, whatever the ledger says: the notification id and the event id are derived from the
 * notification's idempotency key and the user, and `notifications` is unique on (idempotency_key, user_id), so a
 * repeat writes nothing new. In-app cannot be silenced: the list is where every message is kept.
 *
 *   const inApp = createInAppChannel({ knex });
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { enqueueEvent, TABLES } from '../../../db/index.js';
import { EVENTS } from '../../../shared/index.js';
import { derivedUuid } from '../../runtime/derived-uuid.js';
import type { DeliveryTarget, NotificationChannel, OutgoingNotification, SendResult } from './notification-channel.js';

export interface InAppChannelDeps {
  knex: Knex;
  logger?: Logger;
  /** For `created_at`; default: the database's clock. */
  clock?: () => Date;
}

/** The payload of a `notification.created` event. */
export interface NotificationCreatedPayload {
  notificationId: string;
  /** The one user the event is streamed to. */
  userId: string;
  permitId: string;
  title: string;
  link: string | null;
  critical: boolean;
}

/** The id the in-app row of one notification for one user gets (the same for every delivery of the job). */
export function inAppNotificationId(idempotencyKey: string, userId: string): string {
  return derivedUuid('notification', idempotencyKey, userId);
}

export function createInAppChannel(deps: InAppChannelDeps): NotificationChannel {
  const { knex } = deps;

  async function send(notification: OutgoingNotification, target: DeliveryTarget): Promise<SendResult> {
    const userId = target.user?.userId ?? target.recipient;
    if (!userId) throw new Error(`In-app notification ${notification.template} (${notification.idempotencyKey}) has no recipient user id.`);
    const candidateId = inAppNotificationId(notification.idempotencyKey, userId);
    const { content } = notification;
    const link = content.link === '' ? null : content.link;

    const id = await knex.transaction(async (trx) => {
      const inserted = (await trx(TABLES.notifications)
        .insert({
          id: candidateId,
          user_id: userId,
          permit_id: notification.permitId,
          template: notification.template,
          title: content.subject,
          body: content.inApp,
          link,
          critical: notification.critical,
          idempotency_key: notification.idempotencyKey,
          ...(deps.clock ? { created_at: deps.clock() } : {}),
        })
        .onConflict()
        .ignore()
        .returning('id')) as { id: string }[];
      const notificationId =
        inserted[0]?.id ??
        ((await trx(TABLES.notifications).where({ idempotency_key: notification.idempotencyKey, user_id: userId }).first('id')) as { id: string } | undefined)?.id ??
        candidateId;
      const payload: NotificationCreatedPayload = { notificationId, userId, permitId: notification.permitId, title: content.subject, link, critical: notification.critical };
      await enqueueEvent(trx, { id: derivedUuid(EVENTS.notificationCreated, notificationId), name: EVENTS.notificationCreated, permitId: notification.permitId, payload: { ...payload } });
      return notificationId;
    });
    deps.logger?.debug({ notificationId: id, userId, template: notification.template }, 'in-app notification stored');
    return { providerMessageId: id };
  }

  return { name: 'in-app', silenceable: false, send };
}
