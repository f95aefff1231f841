import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockPermitDataDir } from './data-dir-lock.js';

describe('lockPermitDataDir', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'permit-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a folder locked by another running process and names it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), String(process.ppid));
    expect(() => lockPermitDataDir(dir)).toThrow(`is in use by process ${process.ppid}`);
  });

  it('refuses a second open from the same process until the first gives the lock back', () => {
    const dir = tempDir();
    const release = lockPermitDataDir(dir);
    expect(() => lockPermitDataDir(dir)).toThrow('is already open in this process');
    release();
    lockPermitDataDir(dir)();
  });

  it('takes over a lock left by a process that died, and removes it on release', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '2147483646');
    const release = lockPermitDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').split(' ')[0]).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
