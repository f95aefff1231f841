/**
 * Email through nodemailer: over SMTP when `smtpUrl` (SMTP_URL) is set, otherwise into an outbox folder
 * (NOTIFICATION_OUTBOX_DIR) as one `.eml` file per message, for the embedded platform and for looking at what
 * would have been sent. One copy per recipient (their own `To:`), with a Message-ID derived from the notification
 * and the recipient, so a copy sent twice after a crash is recognisably the same message (and overwrites the same
 * outbox file). People without an email address in the directory get no email (they still get in-app).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { derivedUuid } from '../../runtime/derived-uuid.js';
import type { NotificationChannel, OutgoingNotification } from './notification-channel.js';

export interface EmailChannelOptions {
  /** `From:` of every message (NOTIFICATION_FROM), e.g. `SPE platform <noreply@spe.example.org>`. */
  from?: string;
  /** `smtp://user:pass@host:587` or `smtps://…`; nodemailer URL options may follow as a query string. Unset: outbox. */
  smtpUrl?: string | undefined;
  /** Where `.eml` files go when `smtpUrl` is unset (default `./data/outbox`). */
  outboxDir?: string;
  /** A ready transport (tests); overrides `smtpUrl`. */
  transport?: Transporter;
  logger?: Logger;
}

export const DEFAULT_OUTBOX_DIR = './data/outbox';
export const DEFAULT_NOTIFICATION_FROM = 'SPE platform <noreply@localhost>';

export interface EmailChannel extends NotificationChannel {
  /** `smtp` or `outbox <dir>`, for the start-up log. */
  readonly describe: string;
  close(): void;
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const outboxDir = options.outboxDir ?? DEFAULT_OUTBOX_DIR;
  const toOutbox = !options.transport && !options.smtpUrl;
  const transport: Transporter = options.transport ?? (options.smtpUrl ? createTransport(options.smtpUrl) : createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  let outboxReady: Promise<unknown> | undefined;

  return {
    name: 'email',
    silenceable: true,
    describe: toOutbox ? `outbox ${outboxDir}` : 'smtp',

    targets(notification, recipients) {
      const withAddress = recipients.filter((r) => r.email);
      const without = recipients.filter((r) => !r.email).map((r) => r.userId);
      if (without.length > 0) options.logger?.debug({ template: notification.template, users: without }, 'no email address in the directory; no email for them');
      return withAddress.map((user) => ({ recipient: user.userId, user, address: user.email! }));
    },

    async send(notification, target) {
      const id = derivedUuid('notification.email', notification.idempotencyKey, target.recipient);
      const info = (await transport.sendMail({
        from: options.from ?? DEFAULT_NOTIFICATION_FROM,
        to: target.user ? { name: target.user.displayName, address: target.address } : target.address,
        subject: notification.content.subject,
        text: notification.content.text,
        html: notification.content.html,
        messageId: `<${id}@spe.notifications>`,
        headers: {
          'X-SPE-Permit': notification.permitId,
          'X-SPE-Template': notification.template,
          ...(notification.critical ? { 'X-Priority': '1 (Highest)' } : {}),
        },
      })) as { messageId?: string; message?: Buffer };
      if (toOutbox) {
        outboxReady ??= mkdir(outboxDir, { recursive: true });
        await outboxReady;
        await writeAtomically(join(outboxDir, outboxFileName(notification, id)), info.message ?? Buffer.alloc(0));
      }
      return info.messageId ? { providerMessageId: info.messageId } : {};
    },

    close() {
      transport.close();
    },
  };
}

/** `<template>-<id>.eml`: the same name for the same copy, so a re-send replaces the file instead of adding one. */
export function outboxFileName(notification: Pick<OutgoingNotification, 'template'>, id: string): string {
  return `${notification.template}-${id}.eml`;
}

async function writeAtomically(path: string, content: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
