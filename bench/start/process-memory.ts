/**
 * Resident memory of a process tree from /proc (Linux): `npm start` is npm → sh → node, and the figure that
 * matters is the platform's node process, the descendant holding the most memory.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  /** Resident set now (VmRSS), bytes. */
  rssBytes: number;
  /** Peak resident set since the process started (VmHWM), bytes. */
  peakRssBytes: number;
}

/** VmRSS and VmHWM from the text of /proc/<pid>/status; undefined when either is missing. */
export function parseStatus(text: string): { rssBytes: number; peakRssBytes: number } | undefined {
  const kb = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rss = kb('VmRSS');
  const peak = kb('VmHWM');
  return rss === undefined || peak === undefined ? undefined : { rssBytes: rss, peakRssBytes: peak };
}

/** The parent pid from the text of /proc/<pid>/stat (the field after the parenthesised command name). */
export function parseParentPid(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (not `root` itself). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const ppid = stat ? parseParentPid(stat) : undefined;
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** The process of the tree under `root` (root included) holding the most memory now. */
export function largestInTree(root: number): ProcessMemory | undefined {
  let best: ProcessMemory | undefined;
  for (const pid of [root, ...descendants(root)]) {
    const status = read(`/proc/${pid}/status`);
    const memory = status ? parseStatus(status) : undefined;
    if (memory && (!best || memory.rssBytes > best.rssBytes)) best = { pid, ...memory };
  }
  return best;
}
