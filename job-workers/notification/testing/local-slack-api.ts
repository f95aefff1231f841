/**
 * A stand-in for the Slack Web API on loopback, for the real `WebClient` (`slackApiUrl`): records every
 * `chat.postMessage` (token, channel, text, blocks) and answers like Slack. `failWith` makes it answer
 * `{ ok: false, error }` (or an HTTP 503 for `'http'`) until cleared.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackPost {
  token: string | undefined;
  channel: string;
  text: string;
  blocks: unknown[];
}

export interface LocalSlackApi {
  /** `http://127.0.0.1:<port>/api/` */
  url: string;
  posts: SlackPost[];
  failWith(error: string | 'http' | undefined): void;
  close(): Promise<void>;
}

export async function startLocalSlackApi(): Promise<LocalSlackApi> {
  const posts: SlackPost[] = [];
  let failure: string | undefined;
  let ts = 1_700_000_000;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url !== '/api/chat.postMessage') return reply(404, { ok: false, error: 'unknown_method' });
      if (failure === 'http') return reply(503, { ok: false, error: 'service_unavailable' });
      if (failure) return reply(200, { ok: false, error: failure });
      const raw = Buffer.concat(chunks).toString('utf8');
      const body: Record<string, unknown> = (request.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(raw) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(raw));
      const blocks = typeof body.blocks === 'string' ? (JSON.parse(body.blocks) as unknown[]) : ((body.blocks as unknown[]) ?? []);
      const channel = String(body.channel);
      posts.push({ token: request.headers.authorization?.replace(/^Bearer /, ''), channel, text: String(body.text ?? ''), blocks });
      ts += 1;
      return reply(200, { ok: true, channel, ts: `${ts}.000100`, message: { text: body.text } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    posts,
    failWith(error) {
      failure = error;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
