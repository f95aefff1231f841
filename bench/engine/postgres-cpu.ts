/**
 * CPU time used so far by the PostgreSQL server processes serving one schema's engine, when PostgreSQL runs on
 * this machine: the backends connected to the database (from pg_stat_activity, read from /proc/<pid>/stat)
 * plus the WAL writer, which flushes their commits. Undefined when /proc has none of them (a remote server).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** A probe for engineThroughput's extra CPU counters; `close()` ends its own connection. */
export async function postgresCpuProbe(databaseUrl: string): Promise<{ cpuMs: () => Promise<number | undefined>; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const cpuMs = async (): Promise<number | undefined> => {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE (datname = current_database() AND pid <> pg_backend_pid()) OR backend_type = 'walwriter'",
    );
    const times = rows.map((r) => processCpuMs(r.pid)).filter((t): t is number => t !== undefined);
    return times.length === 0 ? undefined : times.reduce((a, b) => a + b, 0);
  };
  return { cpuMs, close: () => client.end() };
}
