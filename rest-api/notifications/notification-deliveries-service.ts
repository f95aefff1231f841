/**
 * Who was notified about a permit: its rows of the delivery ledger (every message, recipient and channel, whether
 * it went out). The ledger names people and their failed sends, so only the permit's HDAB team (hdab-reviewer on
 * HDAB_TEAM) and administrators read it (`read-deliveries` in permit-actions.ts): everyone else who sees the permit
 * gets 403 saying who may, and anyone who cannot see the permit gets 404.
 */
import type { Caller } from '../identity/caller.js';
import { assertReadAllowed } from '../permits/permit-actions.js';
import type { PermitAccess } from '../permits/permit-access.js';
import type { NotificationDelivery } from './notification-deliveries-schemas.js';
import type { NotificationDeliveriesStore } from './notification-deliveries-store.js';

export interface NotificationDeliveriesServiceDeps {
  access: PermitAccess;
  store: NotificationDeliveriesStore;
}

export type NotificationDeliveriesService = ReturnType<typeof createNotificationDeliveriesService>;

export function createNotificationDeliveriesService(deps: NotificationDeliveriesServiceDeps) {
  return {
    async listForPermit(caller: Caller, permitId: string): Promise<{ items: NotificationDelivery[] }> {
      const { permit, membership } = await deps.access.load(caller, permitId);
      assertReadAllowed('read-deliveries', permit, caller, membership);
      return { items: await deps.store.listForPermit(permitId) };
    },
  };
}
