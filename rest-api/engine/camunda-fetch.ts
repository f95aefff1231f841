/**
 * The transport the official client sends its requests with, for an engine reached over plain HTTP with HTTP Basic
 * or no credential (the embedded engine). Two per-call costs of the SDK's defaults go (bench/api/review-call-cost.ts):
 *
 * - The SDK's Basic support adds the header in a request interceptor that builds a second `Request` around every
 *   request (a copy of its headers, a tee of its body stream). Here the header is set while sending, and the client
 *   runs with auth strategy NONE (`camundaTransport` rewrites the settings).
 * - Node's fetch (undici) runs the whole WHATWG fetch algorithm per call. Here the request the SDK built is sent with
 *   `node:http` over a keep-alive agent, and its answer handed back as a `Response`.
 *
 * Everything else (request building, retries, backpressure, error mapping) is the client's, as before. OAuth, and
 * any https address, keep the SDK's own transport.
 */
import { Agent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Camunda8 } from '@camunda8/sdk';
import type { CamundaRestClient } from './camunda-engine-port.js';

export interface CamundaTransport {
  /** The SDK settings to build the client with (auth strategy NONE when `fetch` carries the Basic credential). */
  settings: Record<string, string>;
  /** The fetch to configure the client with (`client.configure({ fetch })`); undefined: the SDK's own. */
  fetch?: typeof fetch;
}

/** Redirect statuses fetch follows. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Statuses whose answer has no body (a `Response` with one would throw). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function camundaTransport(settings: Record<string, string>): CamundaTransport {
  const strategy = settings.CAMUNDA_AUTH_STRATEGY?.trim().toUpperCase() || 'NONE';
  const address = settings.ZEEBE_REST_ADDRESS ?? settings.CAMUNDA_REST_ADDRESS ?? '';
  if (!address.startsWith('http://')) return { settings };
  if (strategy === 'NONE') return { settings, fetch: camundaFetch() };
  const username = settings.CAMUNDA_BASIC_AUTH_USERNAME;
  const password = settings.CAMUNDA_BASIC_AUTH_PASSWORD;
  if (strategy !== 'BASIC' || username === undefined || password === undefined) return { settings };
  return { settings: { ...settings, CAMUNDA_AUTH_STRATEGY: 'NONE' }, fetch: camundaFetch({ username, password }) };
}

/**
 * A fetch over `node:http` with a keep-alive agent (idle sockets are closed before the server's keep-alive timeout,
 * which Node reads from the server's `Keep-Alive` header). `basic`: the credential for every request. Addresses
 * other than http: go to `base`.
 */
export function camundaFetch(basic?: { username: string; password: string }, base: typeof fetch = globalThis.fetch): typeof fetch {
  const authorization = basic ? `Basic ${Buffer.from(`${basic.username}:${basic.password}`, 'utf8').toString('base64')}` : undefined;
  const agent = new Agent({ keepAlive: true });

  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    if (authorization && !request.headers.has('authorization')) request.headers.set('authorization', authorization);
    const url = new URL(request.url);
    if (url.protocol !== 'http:') return base(request);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body) headers['content-length'] = String(body.length);
    const target: RequestOptions = { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, path: `${url.pathname}${url.search}`, method: request.method, headers, agent };
    try {
      try {
        const answer = await send(target, body, request.signal);
        // A redirect (a proxy sending plain HTTP to https, say): sent again through fetch, which follows it.
        if (REDIRECTS.has(answer.status) && answer.headers.has('location') && request.redirect === 'follow') {
          return await base(new Request(request.url, { method: request.method, headers: request.headers, body: body ? new Blob([body]) : null, signal: request.signal }));
        }
        return answer;
      } catch (error) {
        // A kept-alive socket the server closed just as it was reused: the request never reached it; send it once more.
        if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return await send(target, body, request.signal);
        throw error;
      }
    } catch (error) {
      if (request.signal.aborted) throw error;
      // As fetch fails on a network error, so the SDK's retry classifies it as one (TypeError "fetch failed").
      throw new TypeError('fetch failed', { cause: error });
    }
  };
}

function send(target: RequestOptions, body: Buffer | undefined, signal: AbortSignal): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const outgoing = httpRequest(target, (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', fail);
      incoming.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        const status = incoming.statusCode ?? 500;
        const answerHeaders = new Headers();
        const raw = incoming.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) answerHeaders.append(raw[i]!, raw[i + 1]!);
        let body: Buffer = Buffer.concat(chunks);
        const coding = incoming.headers['content-encoding'];
        if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
          try {
            body = decoded(body, coding);
          } catch (error) {
            reject(error as Error);
            return;
          }
          // The body handed on is decoded: it no longer carries the coding, and its length is the decoded one.
          answerHeaders.delete('content-encoding');
          answerHeaders.set('content-length', String(body.length));
        }
        resolve(new Response(NULL_BODY.has(status) ? null : body, { status, statusText: incoming.statusMessage ?? '', headers: answerHeaders }));
      });
    });
    function fail(error: Error): void {
      signal.removeEventListener('abort', onAbort);
      Object.assign(error, { reusedSocket: outgoing.reusedSocket });
      reject(error);
    }
    function onAbort(): void {
      outgoing.destroy();
      reject(abortError(signal));
    }
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/**
 * The body without its content coding. The request asks for none (no Accept-Encoding), but a server or proxy may
 * still compress (RFC 9110: no Accept-Encoding means any coding is acceptable); fetch would decode it.
 */
function decoded(body: Buffer, coding: string): Buffer {
  switch (coding.trim().toLowerCase()) {
    case '':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new Error(`The engine answered with content coding "${coding}", which this transport cannot decode.`);
  }
}

/** What fetch rejects with when aborted: the signal's reason, else an AbortError. */
function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The official client (loose variant) at `address` with these SDK settings, over `camundaTransport`. */
export function createCamundaRestClient(address: string, settings: Record<string, string>): CamundaRestClient {
  const transport = camundaTransport({ ...settings, ZEEBE_REST_ADDRESS: address });
  const client = new Camunda8({ CAMUNDA_LOG_LEVEL: 'none', ...transport.settings } as never).getOrchestrationClusterApiClientLoose({}, { cached: false });
  // The SDK types fetch with its own (structurally equal) Response type.
  if (transport.fetch) client.configure({ fetch: transport.fetch as never });
  return client;
}
