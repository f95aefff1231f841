/**
 * One process per PGlite data folder. PGlite has no server to arbitrate between processes, so two of them
 * opening the same folder would corrupt it. A lock file holding the owner's pid refuses the second opener;
 * a lock left behind by a process that died (kill -9, crash) is taken over, also while the dead process is
 * still a zombie its parent has not reaped yet (`kill -9` followed at once by a restart), and when its pid now
 * belongs to an unrelated process (the lock also records when its owner started, where /proc tells).
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

/** The state letter and start time (clock ticks after boot) of a process, from /proc (Linux); undefined elsewhere or when gone. */
export function procStat(pid: number): { state: string; startTime: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(stat);
}

/** Fields 3 (state) and 22 (starttime) of /proc/<pid>/stat; the command name in parentheses may hold spaces. */
export function parseProcStat(stat: string): { state: string; startTime: string } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state && startTime && /^\d+$/.test(startTime) ? { state, startTime } : undefined;
}

/** What a lock file says: the owner's pid and, when it was written where /proc exists, the owner's start time. */
export function parseLockFile(text: string): { pid: number; startTime: string | undefined } {
  const [pid = '', startTime] = text.trim().split(/\s+/);
  return { pid: Number(pid), startTime: startTime && /^\d+$/.test(startTime) ? startTime : undefined };
}

/**
 * Whether the lock's owner still runs. A zombie (state Z, or X) has died and only waits for its parent to reap it:
 * it holds no files and writes nothing, so its lock is free. A live process that started at another time than the
 * one recorded is a newer process that got the same pid.
 */
function holderRunning(pid: number, startTime: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc (not Linux) or it just went: trust the signal check
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

/** This process's lock file content: its pid, and its start time where /proc tells it. */
function lockContent(): string {
  const start = procStat(process.pid)?.startTime;
  return start ? `${process.pid} ${start}` : String(process.pid);
}

/** Lock files this process holds (for `oncePerProcess`). */
const heldHere = new Set<string>();

/** Takes the folder's lock and returns the function that gives it back. */
export function lockDataDir(dir: string, options: DataDirLockOptions): () => void {
  const file = join(dir, options.lockFile);
  const me = lockContent();
  if (options.oncePerProcess && heldHere.has(file)) throw new Error(`${options.label} ${dir} is already open in this process: close that database first.`);
  try {
    writeFileSync(file, me, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = parseLockFile(readFileSync(file, 'utf8'));
    // The same pid is taken over too: in a container the restarted process often gets the dead one's pid.
    if (Number.isInteger(owner.pid) && owner.pid > 0 && owner.pid !== process.pid && holderRunning(owner.pid, owner.startTime)) {
      throw new Error(`${options.label} ${dir} is in use by process ${owner.pid}. ${options.whatToDo}`);
    }
    writeFileSync(file, me);
  }
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    try {
      if (readFileSync(file, 'utf8') === me) unlinkSync(file);
    } catch {
      // Already gone: nothing to give back.
    }
  };
}
