import { describe, expect, it } from 'vitest';
import { parseParentPid, parseStatus } from './process-memory.js';

describe('parseStatus', () => {
  it('reads the resident set and its peak in bytes', () => {
    const text = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  512000 kB\nVmRSS:\t  300000 kB\nThreads:\t11\n';
    expect(parseStatus(text)).toEqual({ rssBytes: 300000 * 1024, peakRssBytes: 512000 * 1024 });
  });

  it('gives undefined for a process without memory figures (a zombie)', () => {
    expect(parseStatus('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});

describe('parseParentPid', () => {
  it('takes the field after the command name, even when the name holds spaces and parentheses', () => {
    expect(parseParentPid('4242 (node (main) x) S 4100 4242 4100 0 -1')).toBe(4100);
  });
});
