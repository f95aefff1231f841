import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_LOCK, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  it('refuses a folder locked by a live process and names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, ENGINE_LOCK.lockFile), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over a lock left by a dead process and releases it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, ENGINE_LOCK.lockFile), '2147483646');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, ENGINE_LOCK.lockFile), 'utf8').split(' ')[0]).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, ENGINE_LOCK.lockFile))).toBe(false);
  });
});
