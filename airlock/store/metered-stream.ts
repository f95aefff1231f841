/**
 * The bytes of a put, passed through as they stream in: SHA-256 and size computed on the way, the stream refused
 * (an error, so the back end keeps nothing) as soon as it passes the size limit, or ends at another length than
 * announced. Memory stays bounded by the stream's buffers, whatever the file's size.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MeterLimits {
  maxBytes: number;
  expectedBytes?: number | undefined;
}

export interface Metered {
  stream: Readable;
  /** SHA-256 (hex) and size, once the stream has ended. */
  result(): { sha256: string; sizeBytes: number };
}

export class SizeLimitError extends Error {
  constructor(
    message: string,
    readonly limit: 'max' | 'expected',
  ) {
    super(message);
    this.name = 'SizeLimitError';
  }
}

export function meter(body: Readable | AsyncIterable<Uint8Array>, limits: MeterLimits): Metered {
  const hash = createHash('sha256');
  let size = 0;
  let done: { sha256: string; sizeBytes: number } | undefined;
  async function* pass(): AsyncGenerator<Buffer> {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      size += bytes.length;
      if (size > limits.maxBytes) throw new SizeLimitError(`the file is larger than the largest file accepted (${limits.maxBytes} bytes, AIRLOCK_MAX_FILE_BYTES)`, 'max');
      if (limits.expectedBytes !== undefined && size > limits.expectedBytes) {
        throw new SizeLimitError(`the file is longer than the ${limits.expectedBytes} bytes announced`, 'expected');
      }
      hash.update(bytes);
      yield bytes;
    }
    if (limits.expectedBytes !== undefined && size !== limits.expectedBytes) {
      throw new SizeLimitError(`the file ended after ${size} of the ${limits.expectedBytes} bytes announced`, 'expected');
    }
    done = { sha256: hash.digest('hex'), sizeBytes: size };
  }
  return {
    stream: Readable.from(pass(), { objectMode: false, highWaterMark: 1024 * 1024 }),
    result() {
      if (!done) throw new Error('the metered stream has not ended');
      return done;
    },
  };
}
