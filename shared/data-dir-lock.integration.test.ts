import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir, parseLockFile, procStat } from './data-dir-lock.js';

const LOCK = { lockFile: 'test.lock', label: 'The test data folder', whatToDo: 'Stop it first.' };
const MODULE = fileURLToPath(new URL('./data-dir-lock.ts', import.meta.url));

/**
 * A process that takes the folder's lock and keeps it, started by a shell that then becomes `sleep` (exec): the
 * holder's parent never waits for its children, so once the holder is killed it stays a zombie, unreaped, as
 * after `kill -9` of a platform whose parent (a shell script, a container's init) has not reaped it yet.
 */
function startHolder(dir: string): { parent: ChildProcess; holderPid: Promise<number> } {
  const script = `const { lockDataDir } = await import(${JSON.stringify(MODULE)}); lockDataDir(process.argv[1], ${JSON.stringify(LOCK)}); console.log('locked ' + process.pid); setInterval(() => undefined, 1 << 30);`;
  const parent = spawn('sh', ['-c', `node --import tsx --input-type=module -e "$0" "$1" & exec sleep 600`, script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const holderPid = new Promise<number>((resolve, reject) => {
    let out = '';
    parent.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /locked (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    parent.once('exit', (code) => reject(new Error(`the holder's parent exited (${code}) before the lock was taken`)));
  });
  return { parent, holderPid };
}

async function untilZombie(pid: number): Promise<void> {
  while (procStat(pid)?.state !== 'Z') await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('lockDataDir', () => {
  const dirs: string[] = [];
  const parents: ChildProcess[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const parent of parents.splice(0)) parent.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('takes over the lock of a holder killed with SIGKILL that its parent has not reaped yet (a zombie)', async () => {
    const dir = tempDir();
    const { parent, holderPid } = startHolder(dir);
    parents.push(parent);
    const pid = await holderPid;
    expect(() => lockDataDir(dir, LOCK)).toThrow(`is in use by process ${pid}`);

    process.kill(pid, 'SIGKILL');
    await untilZombie(pid);
    // Still there, still this pid: only its state says it is dead.
    expect(parseLockFile(readFileSync(join(dir, LOCK.lockFile), 'utf8')).pid).toBe(pid);
    const release = lockDataDir(dir, LOCK);
    expect(parseLockFile(readFileSync(join(dir, LOCK.lockFile), 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(join(dir, LOCK.lockFile))).toBe(false);
  });

  it('takes over a lock whose pid now belongs to a process that started at another time', () => {
    const dir = tempDir();
    const parentStart = procStat(process.ppid)!.startTime;
    writeFileSync(join(dir, LOCK.lockFile), `${process.ppid} ${BigInt(parentStart) + 1n}`);
    const release = lockDataDir(dir, LOCK);
    expect(parseLockFile(readFileSync(join(dir, LOCK.lockFile), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('refuses a lock whose pid and start time are those of a running process', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK.lockFile), `${process.ppid} ${procStat(process.ppid)!.startTime}`);
    expect(() => lockDataDir(dir, LOCK)).toThrow(`in use by process ${process.ppid}. Stop it first.`);
  });
});
