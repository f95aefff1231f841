/**
 * One process per PGlite data folder. PGlite has no server to arbitrate between processes, so two of them
 * opening the same folder would corrupt it. A lock file holding the owner's pid refuses the second opener;
 * a lock left behind by a process that died (kill -9, crash) is taken over. The engine and the Permit Manager
 * each lock their own folder with their own file name and message.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLockOptions {
  /** Name of the lock file in the folder. */
  lockFile: string;
  /** Whose folder, for the messages: "The engine data folder". */
  label: string;
  /** What to do when another process holds it. */
  whatToDo: string;
  /** Refuse a second open from this same process too (it would corrupt the folder just the same). */
  oncePerProcess?: boolean;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds (for `oncePerProcess`). */
const heldHere = new Set<string>();

/** Takes the folder's lock and returns the function that gives it back. */
export function lockDataDir(dir: string, options: DataDirLockOptions): () => void {
  const file = join(dir, options.lockFile);
  const me = String(process.pid);
  if (options.oncePerProcess && heldHere.has(file)) throw new Error(`${options.label} ${dir} is already open in this process: close that database first.`);
  try {
    writeFileSync(file, me, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(readFileSync(file, 'utf8').trim());
    // The same pid is taken over too: in a container the restarted process often gets the dead one's pid.
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
      throw new Error(`${options.label} ${dir} is in use by process ${owner}. ${options.whatToDo}`);
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
