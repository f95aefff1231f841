/**
 * ClamAV for tests without a signature download: a database folder with one test signature (a body signature on
 * the EICAR test string, so it matches anywhere in a file), and clamd started on it with a Unix socket in a
 * temporary folder. Debian's clamav (clamscan) and clamav-daemon (clamd) must be installed (.ci/run installs them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The EICAR anti-virus test file, built from parts so this source file itself never matches a scanner. */
export const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS', '-TEST-FILE!$H+H*'].join('');
export const TEST_SIGNATURE = 'Airlock.Test.EICAR';

export const CLAMSCAN = ['/usr/bin/clamscan'].find((p) => existsSync(p));
export const CLAMD = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((p) => existsSync(p));

/** A folder with one signature file (`<name>:0:*:<hex>`, ClamAV's .ndb body signature). */
export async function writeTestSignatureDatabase(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clamav-db-'));
  const hex = Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('hex');
  await writeFile(path.join(dir, 'airlock-test.ndb'), `${TEST_SIGNATURE}:0:*:${hex}\n`);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestClamd {
  socket: string;
  databaseDir: string;
  stop(): Promise<void>;
}

/** clamd in the foreground on the test database, answering on a Unix socket; resolves when the socket is there. */
export async function startTestClamd(): Promise<TestClamd> {
  if (!CLAMD) throw new Error('clamd is not installed (Debian: apt-get install clamav-daemon)');
  const database = await writeTestSignatureDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'clamd-'));
  const socket = path.join(dir, 'clamd.sock');
  const config = path.join(dir, 'clamd.conf');
  await writeFile(
    config,
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${database.dir}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      'Foreground yes',
      `LogFile ${path.join(dir, 'clamd.log')}`,
      'StreamMaxLength 4000M',
      'MaxFileSize 4000M',
      'MaxScanSize 4000M',
      'AlertExceedsMax yes',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(CLAMD, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = Date.now();
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`clamd exited (${child.exitCode}): ${stderr}`);
    if (Date.now() - started > 50_000) throw new Error(`clamd did not open ${socket}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    socket,
    databaseDir: database.dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
      await database.dispose();
    },
  };
}
