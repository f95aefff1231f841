import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkFile } from '../airlock/disclosure/check-file.js';
import type { DemoApi } from './demo-api.js';
import { figure2Png, TABLE1_FIRST, TABLE1_PATH, TABLE1_REWORKED, uploadIngressThen } from './demo-outputs.js';

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

describe('uploading the delivery while the platform is down', () => {
  afterEach(() => vi.unstubAllGlobals());
  const api = { baseUrl: 'http://platform.invalid', tokenFor: async () => 'token' } as unknown as DemoApi;

  it.each([
    ['the creation', 0],
    ['the PATCH', 1],
  ])('answers "lost in flight" when %s gets no answer, so the runner checks and uploads again', async (_, failAt) => {
    let calls = 0;
    vi.stubGlobal('fetch', async () => {
      if (calls++ === failAt) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      return new Response(null, { status: 201, headers: { location: '/api/permits/p1/ingress/files/u1' } });
    });
    const then = vi.fn();
    const answer = await uploadIngressThen(api, 'dana', 'p1', 'cohort.csv', 'a,b\n', then);
    expect(answer).toMatchObject({ status: -1, lostInFlight: true });
    expect(then).not.toHaveBeenCalled();
  });
});
