/**
 * The chaos run's stand-in for the gateway in front of N Permit Manager instances: round-robin over the instances
 * marked up; a request no instance accepted (connection refused) goes to the next one, and 502 when none did.
 * A request whose instance died while answering has its client connection cut, as a real gateway would, so the
 * client cannot tell whether it took effect (the demo's driver then looks at the permit). No sticky sessions.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  name: string;
  port: number;
  up: boolean;
}

export interface HttpGateway {
  url: string;
  backends: Backend[];
  /** Requests answered per backend name, and 502s. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

export async function startHttpGateway(backends: Backend[]): Promise<HttpGateway> {
  const counts = new Map<string, number>();
  let next = 0;

  const forward = (backend: Backend, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<'refused' | 'done'> =>
    new Promise((resolve) => {
      const upstream = request(
        { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${backend.port}` }, agent: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          answer.on('aborted', () => res.destroy());
          answer.on('end', () => {
            counts.set(backend.name, (counts.get(backend.name) ?? 0) + 1);
            resolve('done');
          });
          res.on('close', () => resolve('done'));
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!res.headersSent && error.code === 'ECONNREFUSED') return resolve('refused');
        // The instance died with the request in flight: the client must not get a made-up answer.
        res.destroy();
        resolve('done');
      });
      upstream.end(body);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const order = backends.map((_, i) => backends[(next + i) % backends.length]!);
        next = (next + 1) % backends.length;
        for (const backend of [...order.filter((b) => b.up), ...order.filter((b) => !b.up)]) {
          if ((await forward(backend, req, body, res)) === 'done') return;
        }
        counts.set('502', (counts.get('502') ?? 0) + 1);
        res.writeHead(502, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Bad gateway', status: 502, detail: 'No Permit Manager instance is answering; retry shortly.' }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    backends,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
