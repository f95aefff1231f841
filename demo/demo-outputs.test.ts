import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../airlock/disclosure/check-file.js';
import { figure2Png, TABLE1_FIRST, TABLE1_PATH, TABLE1_REWORKED } from './demo-outputs.js';

describe('the files the demo releases', () => {
  it('Table 1 as first submitted fails the threshold rule at North / 18-39 / Female (7); merged, it passes', async () => {
    const first = await checkFile(Readable.from([TABLE1_FIRST]), { path: TABLE1_PATH });
    expect(first.status).toBe('fail');
    expect(first.findings.map((f) => [f.rule, f.rowLabel, f.columnLabel, f.value])).toEqual([['threshold', 'North / 18-39', 'Female', '7']]);
    expect((await checkFile(Readable.from([TABLE1_REWORKED]), { path: TABLE1_PATH })).status).toBe('pass');
  });

  it('Figure 2 is a valid 64×32 greyscale PNG', () => {
    const png = figure2Png();
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 32]);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength(32 * 65);
  });
});
