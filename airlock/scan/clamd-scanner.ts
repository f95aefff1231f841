/**
 * clamd's INSTREAM command over its Unix or TCP socket: the file goes as length-prefixed chunks (never touching
 * clamd's disk), clamd answers one line. clamd refuses streams longer than its StreamMaxLength (25 MB by default;
 * raise it, with MaxFileSize and MaxScanSize, and set AlertExceedsMax so nothing passes unscanned: docs/airlock.md).
 */
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { parseClamLine, type MalwareScanner, type ScanVerdict } from './malware-scanner.js';

export type ClamdAddress = { socket: string } | { host: string; port: number };

export class ScannerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScannerError';
  }
}

function open(address: ClamdAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = 'socket' in address ? connect(address.socket) : connect(address.port, address.host);
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error) => reject(new ScannerError(`cannot reach clamd at ${describe(address)}: ${error.message}; is clamd running?`)));
  });
}

function describe(address: ClamdAddress): string {
  return 'socket' in address ? address.socket : `${address.host}:${address.port}`;
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

export function createClamdScanner(address: ClamdAddress): MalwareScanner {
  return {
    name: `clamd (${describe(address)})`,
    async scan(body: Readable): Promise<ScanVerdict> {
      const socket = await open(address);
      const answer = new Promise<string>((resolve, reject) => {
        const parts: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => {
          parts.push(chunk);
          if (chunk.includes(0)) resolve(Buffer.concat(parts).toString('utf8'));
        });
        socket.once('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        socket.once('error', (error) => (parts.length > 0 ? resolve(Buffer.concat(parts).toString('utf8')) : reject(error)));
      });
      try {
        await write(socket, Buffer.from('zINSTREAM\0'));
        let early = false;
        void answer.then(() => {
          early = true;
        }, () => undefined);
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (early) break; // clamd answered before the end (a size limit): stop sending
          const header = Buffer.alloc(4);
          header.writeUInt32BE(chunk.length);
          await write(socket, Buffer.concat([header, chunk])).catch(() => undefined);
        }
        body.destroy();
        if (!early) await write(socket, Buffer.alloc(4)).catch(() => undefined);
        const verdict = parseClamLine(await answer);
        if (verdict.status === 'error') throw new ScannerError(`clamd at ${describe(address)} could not scan the file: ${verdict.message}`);
        return verdict;
      } finally {
        socket.destroy();
      }
    },
  };
}
