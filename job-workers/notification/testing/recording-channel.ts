/** A channel for tests: records every copy it is asked to send, and fails on demand (`failNext`, `failAlways`). */
import type { NotificationChannelName } from '../notification-store.js';
import type { DeliveryTarget, NotificationChannel, OutgoingNotification } from '../channels/notification-channel.js';

export interface RecordingChannel extends NotificationChannel {
  sent: { notification: OutgoingNotification; target: DeliveryTarget }[];
  /** The next `n` sends throw. */
  failNext(n?: number): void;
  /** Every send throws until called with `false`. */
  failAlways(on?: boolean): void;
}

export function createRecordingChannel(name: NotificationChannelName, options: { silenceable?: boolean } = {}): RecordingChannel {
  let failures = 0;
  let always = false;
  const channel: RecordingChannel = {
    name,
    silenceable: options.silenceable ?? name !== 'in-app',
    sent: [],
    failNext(n = 1) {
      failures += n;
    },
    failAlways(on = true) {
      always = on;
    },
    async send(notification, target) {
      if (always || failures > 0) {
        failures = Math.max(0, failures - 1);
        throw new Error(`${name} is down`);
      }
      channel.sent.push({ notification, target });
      return { providerMessageId: `${name}-${channel.sent.length}` };
    },
  };
  return channel;
}
