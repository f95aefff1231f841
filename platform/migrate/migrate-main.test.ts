import { describe, expect, it } from 'vitest';
import { exitCodeOf, parseArguments, UsageError } from './migrate-main.js';
import type { MigrationOutcome } from './run-migration.js';

const outcome = (result: MigrationOutcome['result'], ready: boolean, failed = 0): MigrationOutcome =>
  ({ result, plan: { ready } as MigrationOutcome['plan'], migrated: [], failed: Array.from({ length: failed }, () => ({ processInstanceKey: '1', permitId: null, error: 'no' })) });

describe('npm run migrate arguments and exit codes', () => {
  it('takes one mapping file, a dry run unless --apply', () => {
    expect(parseArguments(['m.yaml'])).toEqual({ mappingFile: 'm.yaml', apply: false });
    expect(parseArguments(['--apply', 'm.json'])).toEqual({ mappingFile: 'm.json', apply: true });
  });

  it('refuses no file, two files and unknown options with the usage', () => {
    expect(() => parseArguments([])).toThrow(UsageError);
    expect(() => parseArguments([])).toThrow(/^Name the mapping file\.\n\nusage: npm run migrate -- <mapping-file\.yaml\|\.json> \[--apply\]/);
    expect(() => parseArguments(['a.yaml', 'b.yaml'])).toThrow(/^Name one mapping file, not 2\./);
    expect(() => parseArguments(['a.yaml', '--force'])).toThrow(/^Unknown option\(s\): --force\./);
  });

  it('exits 0 only when the plan or the migration went through in full', () => {
    expect(exitCodeOf(outcome('dry-run', true))).toBe(0);
    expect(exitCodeOf(outcome('dry-run', false))).toBe(1);
    expect(exitCodeOf(outcome('refused', false))).toBe(1);
    expect(exitCodeOf(outcome('applied', true))).toBe(0);
    expect(exitCodeOf(outcome('applied', true, 1))).toBe(1);
  });
});
