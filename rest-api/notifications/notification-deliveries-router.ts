/** HTTP edge of a permit's notification deliveries: who was told what, on which channel, and did it go out. */
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { PermitIdParams } from '../permits/permits-schemas.js';
import { NotificationDeliveryListSchema } from './notification-deliveries-schemas.js';
import type { NotificationDeliveriesService } from './notification-deliveries-service.js';

const TAGS = ['Notifications'];

export function createNotificationDeliveriesRouter(deps: { service: NotificationDeliveriesService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'notification-deliveries',
    routes: [
      defineRoute({
        method: 'get',
        path: '/permits/{id}/notifications',
        summary: "Who was notified about the permit: its delivery ledger (the permit's HDAB team, administrators)",
        description:
          "Every message the notification worker sent or tried to send for this permit, one row per recipient and channel, with its status, attempts and last error. Only hdab-reviewers on the permit's HDAB_TEAM and administrators may read it; other members get 403.",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'The deliveries, by claim time, then recipient and channel', body: NotificationDeliveryListSchema } },
        problems: [403, 404],
        handler: ({ params }, { caller }) => service.listForPermit(caller, params.id),
      }),
    ],
  };
}
