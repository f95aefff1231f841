import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createKnexStore } from './knex-store.js';
import { FIRST_KEY } from './testing/store-fixtures.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'commit-forever.ts');

/** Runs the committing child until it has acknowledged at least `atLeast` batches, then SIGKILLs it. */
function commitThenKill(dataDir: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^acked (\d+)$/.exec(line);
      if (!m) return;
      acked = Number(m[1]);
      if (acked >= atLeast && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child ended with code ${String(code)} before it was killed:\n${stderr}`));
    });
  });
}

describe('PGlite store durability', () => {
  it('keeps every acknowledged commit when the process is killed with SIGKILL mid-flow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-kill-'));
    try {
      const acked = await commitThenKill(dir, 40);
      expect(acked).toBeGreaterThanOrEqual(40);

      const store = createKnexStore({ dataDir: dir });
      await store.migrate();
      const loaded = await store.loadActive();
      await store.close();

      const names = new Set(loaded.records.map((r) => (r.kind === 'variable' ? r.name : '')));
      for (let n = 1; n <= acked; n++) {
        for (let i = 0; i < 20; i++) expect(names.has(`b${n}v${i}`), `batch ${n} record ${i}`).toBe(true);
      }
      // The store may hold one batch more than was seen acknowledged (committed, killed before printing).
      expect(loaded.keyHighWater).toBeGreaterThanOrEqual(FIRST_KEY + acked * 100 + 19);
      expect(loaded.records.length % 20).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
