/**
 * One engine per PGlite data folder. PGlite has no server to arbitrate, so two processes opening the same
 * folder would corrupt it; a lock file with the owner's pid refuses the second one. A lock left by a process
 * that died (kill -9) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'engine.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const me = String(process.pid);
  try {
    writeFileSync(file, me, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The engine data folder ${dir} is in use by process ${owner}. Stop that engine first, or point ENGINE_DATA_DIR at another folder.`,
      );
    }
    writeFileSync(file, me);
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === me) unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
