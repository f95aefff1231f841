import { describe, expect, it } from 'vitest';
import { parseLockFile, parseProcStat } from './data-dir-lock.js';

describe('parseProcStat', () => {
  it('reads the state and the start time, also when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (x) y) Z 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 11 0 987654 1000000 500';
    expect(parseProcStat(stat)).toEqual({ state: 'Z', startTime: '987654' });
  });

  it('gives undefined for a line it cannot read', () => {
    expect(parseProcStat('4242 (node) S 1')).toBeUndefined();
  });
});

describe('parseLockFile', () => {
  it('reads the pid and the start time', () => {
    expect(parseLockFile('4242 987654')).toEqual({ pid: 4242, startTime: '987654' });
  });

  it('reads a lock written by an earlier version (the pid alone)', () => {
    expect(parseLockFile('4242\n')).toEqual({ pid: 4242, startTime: undefined });
  });
});
