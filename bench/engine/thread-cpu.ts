/**
 * CPU time (user + system) used so far by the calling thread, in milliseconds, from /proc/thread-self/stat
 * (Linux; 10 ms resolution). A worker thread's JavaScript runs on its own OS thread, so inside the engine's
 * thread this is the engine's CPU alone, whatever else the machine runs: the figure to compare changes with on
 * a busy machine. Undefined where /proc is not there.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function threadCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
