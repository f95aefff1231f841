/**
 * An SMTP server on loopback for tests (`smtp-server`), parsing every message it accepts with `mailparser`.
 * `rejectRecipient` makes it refuse RCPT TO for an address (a permanent 552, as a mailbox over its quota would);
 * `delayAcceptance` makes it answer DATA late (the message is kept at once, the 250 comes later).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** SMTP envelope recipients (RCPT TO). */
  envelopeTo: string[];
  envelopeFrom: string;
  parsed: ParsedMail;
}

export interface LocalSmtpServer {
  url: string;
  received: ReceivedMail[];
  rejectRecipient(address: string | undefined): void;
  /** Answers every message's DATA this much later (a slow mail server); 0 = at once. */
  delayAcceptance(ms: number): void;
  close(): Promise<void>;
}

export async function startLocalSmtpServer(): Promise<LocalSmtpServer> {
  const received: ReceivedMail[] = [];
  let rejected: string | undefined;
  let delayMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected && address.address === rejected) {
        const error = new Error(`mailbox ${address.address} is full`) as Error & { responseCode: number };
        error.responseCode = 552;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            parsed,
          });
          if (delayMs > 0) setTimeout(() => callback(), delayMs);
          else callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRecipient(address) {
      rejected = address;
    },
    delayAcceptance(ms) {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
