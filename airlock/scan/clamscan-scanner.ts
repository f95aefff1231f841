/**
 * `clamscan -` as a child process, reading the file from stdin. It loads the signature database on every run
 * (seconds with the full database, so clamd is the choice for production); with `-d` it uses only the given
 * database folder (tests write a one-line signature file there, so no download is needed). Files over the
 * size limits are reported, not passed (`--alert-exceeds-max`), with the limits at their maximum (4000M).
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ScannerError } from './clamd-scanner.js';
import { parseClamLine, type MalwareScanner, type ScanVerdict } from './malware-scanner.js';

export interface ClamscanOptions {
  path: string;
  databaseDir?: string | undefined;
}

export function createClamscanScanner(options: ClamscanOptions): MalwareScanner {
  const args = [
    '--no-summary',
    '--stdout',
    '--alert-exceeds-max=yes',
    '--max-filesize=4000M',
    '--max-scansize=4000M',
    ...(options.databaseDir ? ['-d', options.databaseDir] : []),
    '-',
  ];
  return {
    name: `clamscan (${options.path}${options.databaseDir ? ` -d ${options.databaseDir}` : ''})`,
    async scan(body: Readable): Promise<ScanVerdict> {
      const child = spawn(options.path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
      const exited = new Promise<number | null>((resolve, reject) => {
        child.once('error', (error) => reject(new ScannerError(`cannot run ${options.path}: ${error.message}; is ClamAV installed (Debian: apt-get install clamav)?`)));
        child.once('close', (code) => resolve(code));
      });
      // clamscan may stop reading early (an error); the exit code and output decide, not the pipe.
      await pipeline(body, child.stdin).catch(() => undefined);
      const code = await exited;
      const line = stdout.split('\n').find((l) => l.startsWith('stdin:')) ?? '';
      const verdict = parseClamLine(line);
      if (code === 1 && verdict.status === 'infected') return verdict;
      if (code === 0 && verdict.status === 'clean') return verdict;
      throw new ScannerError(`clamscan could not scan the file (exit ${code}): ${(verdict.status === 'error' ? verdict.message : '') || stderr.trim() || 'no output'}`);
    },
  };
}
