import { describe, expect, it } from 'vitest';
import { TENANT, type DeploymentRecord } from '../runtime/records.js';
import { processInstance, variable } from './testing/store-fixtures.js';
import { commitStatements, latestPerKey, ROWS_PER_STATEMENT, rowsPayload } from './upsert-sql.js';

const R = '"s"."engine_records"';
const M = '"s"."engine_meta"';

describe('latestPerKey', () => {
  it('keeps only the last version of a key', () => {
    const a = processInstance(1);
    const b = { ...processInstance(1), state: 'COMPLETED' as const };
    expect(latestPerKey([a, processInstance(2), b])).toEqual([processInstance(2), b]);
  });
});

describe('commitStatements', () => {
  it('writes a small batch and the high-water mark in one statement with one JSON parameter for the rows', () => {
    const [only, ...rest] = commitStatements(R, M, [processInstance(7), variable(8, 7, 'x', 1)], 9);
    expect(rest).toEqual([]);
    expect(only!.sql).toMatch(/^WITH meta AS \(INSERT INTO "s"."engine_meta" .*\) INSERT INTO "s"."engine_records" .* ON CONFLICT \(key\) DO UPDATE/);
    expect(only!.bindings).toEqual(['keyHighWater', '9', rowsPayload([processInstance(7), variable(8, 7, 'x', 1)])]);
  });
  it('derives active and the process instance column from the record', () => {
    const done = { ...processInstance(7), state: 'COMPLETED' as const };
    expect(JSON.parse(rowsPayload([done, variable(8, 7, 'x', 1)]))).toEqual([
      ['7', 'processInstance', '7', false, done],
      ['8', 'variable', '7', true, variable(8, 7, 'x', 1)],
    ]);
    const [only] = commitStatements(R, M, [done], undefined);
    expect(only!.sql.startsWith('INSERT INTO')).toBe(true);
  });
  it('leaves the process instance column empty for records outside an instance', () => {
    const deployment: DeploymentRecord = {
      kind: 'deployment', deploymentKey: '3', tenantId: TENANT, processDefinitionKeys: [], formKeys: [], createdAt: '2025-01-01T00:00:00.000Z',
    };
    expect(JSON.parse(rowsPayload([deployment]))).toEqual([['3', 'deployment', null, false, deployment]]);
  });
  it('splits large batches into several statements, the first carrying the high-water mark', () => {
    const many = Array.from({ length: ROWS_PER_STATEMENT * 2 + 1 }, (_, i) => variable(100 + i, 1, `v${i}`, i));
    const statements = commitStatements(R, M, many, 5000);
    expect(statements).toHaveLength(3);
    expect(statements.map((s) => (JSON.parse(s.bindings.at(-1) as string) as unknown[]).length)).toEqual([ROWS_PER_STATEMENT, ROWS_PER_STATEMENT, 1]);
    expect(statements[0]!.bindings.slice(0, 2)).toEqual(['keyHighWater', '5000']);
  });
  it('writes only the high-water mark for an empty batch', () => {
    expect(commitStatements(R, M, [], 3)).toEqual([
      { sql: `INSERT INTO ${M} (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, bindings: ['keyHighWater', '3'] },
    ]);
    expect(commitStatements(R, M, [], undefined)).toEqual([]);
  });
});
