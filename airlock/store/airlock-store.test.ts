import { describe, expect, it } from 'vitest';
import { AIRLOCK_ZONES, PUT_ZONES, transitionMode, ZONE_TRANSITIONS } from './airlock-store.js';

describe('airlock zone transitions', () => {
  const allowed = new Map([
    ['quarantine->raw', 'move'],
    ['raw->prepared', 'copy'],
    ['outputs->released', 'copy'],
  ]);

  it('allows exactly quarantine→raw (move), raw→prepared and outputs→released (copy), and refuses every other pair', () => {
    for (const from of AIRLOCK_ZONES) {
      for (const to of AIRLOCK_ZONES) expect(transitionMode(from, to), `${from}->${to}`).toBe(allowed.get(`${from}->${to}`));
    }
  });

  it('has a mode for every transition in the table, and new bytes enter only quarantine and outputs', () => {
    for (const [from, targets] of Object.entries(ZONE_TRANSITIONS)) {
      for (const to of targets as readonly string[]) expect(allowed.has(`${from}->${to}`)).toBe(true);
    }
    expect([...PUT_ZONES]).toEqual(['quarantine', 'outputs']);
  });
});
