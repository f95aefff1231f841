/**
 * One process per PGlite data folder. PGlite has no server to arbitrate between processes, so two of them
 * opening the same folder would corrupt it. A lock file holding the owner's pid refuses the second opener;
 * a lock left behind by a process that died (kill -9, crash) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'permit-db.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds: a second open from the same process is refused as well. */
const heldHere = new Set<string>();

/** Takes the folder's lock and returns the function that gives it back. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const me = String(process.pid);
  if (heldHere.has(file)) throw new Error(`The Permit Manager data folder ${dir} is already open in this process: close that database first.`);
  try {
    writeFileSync(file, me, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(readFileSync(file, 'utf8').trim());
    // The same pid is taken over too: in a container the restarted process often gets the dead one's pid.
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
      throw new Error(
        `The Permit Manager data folder ${dir} is in use by process ${owner}. Stop that process first, or use another data folder.`,
      );
    }
    writeFileSync(file, me);
  }
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    try {
      if (readFileSync(file, 'utf8').trim() === me) unlinkSync(file);
    } catch {
      // Already gone: nothing to give back.
    }
  };
}
