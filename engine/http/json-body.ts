/**
 * Reads a JSON request body into `req.body`: what `express.json({ strict: true })` did, at a fraction of its
 * cost per request (no body-parser, raw-body, type-is and debug layers; measured with bench/engine/engine-cpu.ts,
 * see docs/engine.md "Performance"). Requests with a body whose Content-Type is `application/json` or
 * `application/*+json` are read; others are left alone (create-engine-http-app.ts refuses them on JSON
 * endpoints). A body that is not a JSON object or array is 400 INVALID_ARGUMENT, one above the limit 413
 * PAYLOAD_TOO_LARGE (the rest is not read), a compressed body or a charset other than UTF-8 415. A body nested
 * deeper than MAX_JSON_DEPTH is 400 before it is parsed (as Camunda's gateway, whose JSON reader refuses more
 * than 1000 levels): the engine walks variables recursively, and 10,000 levels overflowed its stack (a 500).
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HttpProblemError } from './problem.js';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `16mb`, `100kb`, `512` (bytes) → bytes. */
export function parseByteLimit(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new Error(`JSON body limit '${limit}' is not a size; write e.g. '16mb', '100kb' or a number of bytes`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

/** `application/json` and `application/<anything>+json`, parameters ignored. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semi = header.indexOf(';');
  const type = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** The charset parameter when there is one, lower case. */
function charsetOf(header: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header);
  return match?.[1]?.toLowerCase();
}

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Deepest nesting of objects and arrays a body may have (Jackson's default, which Camunda's gateway uses). */
export const MAX_JSON_DEPTH = 1000;

/** Whether the JSON text nests objects and arrays deeper than `max` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses a complete body; throws 400 when it is not a JSON object or array, or nests deeper than MAX_JSON_DEPTH. */
export function parseJsonBody(text: string): unknown {
  // As body-parser's strict mode: only objects and arrays (after optional whitespace); an empty body is {}.
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  if (i === text.length) return {};
  if (text[i] !== '{' && text[i] !== '[') {
    throw new HttpProblemError(400, 'INVALID_ARGUMENT', `Request body is not valid JSON: it must be an object or an array, not '${text.slice(i, i + 20)}'. Send a JSON object.`);
  }
  // Nesting deeper than MAX_JSON_DEPTH takes more opening brackets than a shorter text holds.
  if (text.length > MAX_JSON_DEPTH && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpProblemError(400, 'INVALID_ARGUMENT', `Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; send a flatter JSON document.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblemError(400, 'INVALID_ARGUMENT', `Request body is not valid JSON: ${(error as Error).message}. Send a JSON object.`);
  }
}

/**
 * Whether the body may be read as JSON here: nothing to read, or a JSON media type in UTF-8, uncompressed and
 * not declared larger than `maxBytes`; else the problem to answer (415 or 413).
 */
export function jsonBodyProblem(req: IncomingMessage, maxBytes: number): HttpProblemError | undefined {
  const type = req.headers['content-type'];
  if (!hasBody(req) || !isJsonContentType(type)) return undefined;
  const charset = charsetOf(type!);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new HttpProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', `Charset '${charset}' is not supported; send the JSON body as UTF-8.`);
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return new HttpProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding '${encoding}' is not supported; send the JSON body uncompressed.`);
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge(maxBytes);
  return undefined;
}

/**
 * Reads the whole body as UTF-8 text (at most `maxBytes`, else 413 and the rest is not read) and hands it to
 * `done`; the caller checked `jsonBodyProblem` first.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number, done: (error: unknown, text?: string) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (error?: unknown): void => {
    if (finished) return;
    finished = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('aborted', onAborted);
    if (error) {
      // Stop reading: the rest of an oversized body is not wanted.
      req.resume();
      done(error);
      return;
    }
    const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
    done(undefined, buffer.toString('utf8'));
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > maxBytes) {
      finish(tooLarge(maxBytes));
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => finish();
  const onError = (error: Error): void => finish(new HttpProblemError(400, 'INVALID_ARGUMENT', `Request body could not be read: ${error.message}`));
  const onAborted = (): void => finish(new HttpProblemError(400, 'INVALID_ARGUMENT', 'Request body could not be read: the client closed the connection before sending all of it'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('aborted', onAborted);
}

export function readJsonBody(limit: string | number) {
  const maxBytes = parseByteLimit(limit);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req) || !isJsonContentType(req.headers['content-type'])) {
      next();
      return;
    }
    const problem = jsonBodyProblem(req, maxBytes);
    if (problem) {
      next(problem);
      return;
    }
    readBodyText(req, maxBytes, (error, text) => {
      if (error) {
        next(error);
        return;
      }
      try {
        req.body = parseJsonBody(text!);
      } catch (parseError) {
        next(parseError);
        return;
      }
      next();
    });
  };
}

function tooLarge(maxBytes: number): HttpProblemError {
  return new HttpProblemError(413, 'PAYLOAD_TOO_LARGE', `Request body is too large (the limit is ${maxBytes} bytes); send a smaller payload.`);
}
