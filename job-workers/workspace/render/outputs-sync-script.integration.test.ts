/**
 * The outputs-sync Job's script (render-zone-copy.ts), run as the copier runs it (`/bin/sh -c SCRIPT outputs-sync
 * <url> <interval> [root]`, with the system's `find`, `stat` and `curl`) against a real HTTP server on loopback that
 * records each request: every file under the folder reaches the outputs URL as a PUT with its exact bytes and its
 * path URL-encoded, hidden files stay, and a refused file neither stops the others nor fails the pass.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS_SYNC_SCRIPT } from './render-zone-copy.js';

interface Received {
  method: string;
  path: string | null;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const curlMissing = await new Promise<boolean>((resolve) => execFile('curl', ['--version'], (error) => resolve(Boolean(error))));

describe.skipIf(curlMissing)('the outputs-sync script against a real HTTP server', () => {
  let server: Server;
  let url: string;
  let root: string;
  const received: Received[] = [];
  /** Paths the server answers with 400, as the platform does for a refused path. */
  const refuse = new Set<string>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const target = new URL(request.url ?? '/', 'http://localhost');
        const filePath = target.searchParams.get('path');
        received.push({ method: request.method ?? '', path: filePath, authorization: request.headers.authorization, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        const refused = filePath !== null && refuse.has(filePath);
        response.writeHead(refused ? 400 : 201, { 'content-type': 'application/json' }).end(refused ? '{"title":"refused"}' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/permits/permit-42/outputs`;
    root = await mkdtemp(path.join(tmpdir(), 'spe-outputs-sync-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (root) await rm(root, { recursive: true, force: true });
  });

  function runOnce(folder: string): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile('/bin/sh', ['-c', OUTPUTS_SYNC_SCRIPT, 'outputs-sync', url, '0', folder], { env: { PATH: process.env.PATH, TMPDIR: root, SPE_OUTPUTS_TOKEN: 'token-123' } }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
  }

  it('puts every file with its bytes and its URL-encoded path, and skips hidden files', async () => {
    const outputs = path.join(root, 'outputs');
    await mkdir(path.join(outputs, 'sub dir'), { recursive: true });
    await writeFile(path.join(outputs, 'table1.csv'), 'group,n\na,12\nb,40\n');
    await writeFile(path.join(outputs, 'sub dir', 'notes & $(id).txt'), 'free text\n');
    await writeFile(path.join(outputs, '.Rhistory'), 'not an output');
    received.length = 0;

    const result = await runOnce(outputs);
    expect(result).toEqual({ code: 0, stderr: '' });
    const byPath = Object.fromEntries(received.map((r) => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(['sub dir/notes & $(id).txt', 'table1.csv']);
    expect(byPath['table1.csv']).toEqual({ method: 'PUT', path: 'table1.csv', authorization: 'Bearer token-123', contentType: 'application/octet-stream', body: 'group,n\na,12\nb,40\n' });
    expect(byPath['sub dir/notes & $(id).txt']?.body).toBe('free text\n');
  });

  it('goes on after a refused file, says which, and ends the pass successfully', async () => {
    const outputs = path.join(root, 'outputs-refused');
    await mkdir(outputs, { recursive: true });
    await writeFile(path.join(outputs, 'a.csv'), 'a\n');
    await writeFile(path.join(outputs, 'b.csv'), 'b\n');
    refuse.add('a.csv');
    received.length = 0;

    const result = await runOnce(outputs);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('outputs-sync: a.csv not taken');
    expect(received.filter((r) => r.path === 'b.csv').map((r) => r.body)).toEqual(['b\n']);
    // curl --retry does not retry a 400: the refused file was sent once in this pass.
    expect(received.filter((r) => r.path === 'a.csv')).toHaveLength(1);
  });
});
