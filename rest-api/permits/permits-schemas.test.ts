import { describe, expect, it } from 'vitest';
import { CreateEgressBody } from '../egress/egress-schemas.js';
import { ConfirmUploadBody } from '../ingress/ingress-schemas.js';
import { IsoDuration, isoDurationDays } from './permits-schemas.js';

const messagesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('request schemas refuse what the workers would refuse later', () => {
  it('accepts ISO durations up to ten years and refuses longer or absurd ones with a clear message', () => {
    for (const ok of ['P30D', 'P6M', 'PT12H', 'P10Y', 'P1Y2M3W4DT5H6M7S', 'P0D']) expect(IsoDuration.safeParse(ok).success).toBe(true);
    expect(messagesOf(IsoDuration.safeParse('P11Y'))).toEqual([expect.stringMatching(/at most ten years/)]);
    expect(messagesOf(IsoDuration.safeParse('P3660D'))).toEqual([expect.stringMatching(/at most ten years/)]);
    expect(messagesOf(IsoDuration.safeParse('P99999999999999999999D'))).toEqual([expect.stringMatching(/ISO 8601 duration/)]);
    expect(IsoDuration.safeParse('P').success).toBe(false);
    expect(IsoDuration.safeParse('30 days').success).toBe(false);
    expect(isoDurationDays('P1W')).toBe(7);
  });

  it('refuses unsafe output paths in output requests (the release worker rule), naming the reason', () => {
    for (const path of ['/etc/passwd', '..\\..\\x', 'a\nb.csv', '-rf', 'a//b', '../x']) {
      const result = CreateEgressBody.safeParse({ title: 'Tables', files: [{ path }] });
      expect(result.success, path).toBe(false);
    }
    expect(CreateEgressBody.safeParse({ title: 'Tables', files: [{ path: 'tables/summary.csv' }] }).success).toBe(true);
    expect(CreateEgressBody.safeParse({ title: 'Tables', files: [{ path: 'ok.csv' }], disclosureChecks: [{ path: '/abs', checks: ['k'] }] }).success).toBe(false);
  });

  it('refuses unsafe paths in upload manifests (the manifest check rule)', () => {
    const manifest = (path: string) => ({ manifest: { files: [{ path, sha256: 'a'.repeat(64), sizeBytes: 1 }] } });
    expect(ConfirmUploadBody.safeParse(manifest('raw/cohort.parquet')).success).toBe(true);
    for (const path of ['/etc/passwd', 'a\\b', 'x\ny', '-rf']) expect(ConfirmUploadBody.safeParse(manifest(path)).success, path).toBe(false);
  });
});
