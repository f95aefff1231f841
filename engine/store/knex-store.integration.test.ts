import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineRecord } from '../runtime/records.js';
import { createKnexStore, type KnexEngineStore } from './knex-store.js';
import type { FieldFilter, SearchQuery } from './store.js';
import { elementInstance, FIRST_KEY, processInstance, randomSchema, userTask, variable } from './testing/store-fixtures.js';

const databaseUrl = process.env.DATABASE_URL;
const schema = randomSchema();

const targets: Array<{ name: string; open: () => KnexEngineStore }> = [
  { name: 'PGlite (memory)', open: () => createKnexStore({ schema }) },
];
if (databaseUrl) targets.push({ name: 'PostgreSQL', open: () => createKnexStore({ databaseUrl, schema }) });

afterAll(async () => {
  if (!databaseUrl) return;
  const admin = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.destroy();
});

const page = (filters: FieldFilter[], over: Partial<SearchQuery> = {}): SearchQuery => ({ filters, sort: [], offset: 0, limit: 100, ...over });
const keysOf = (items: EngineRecord[]): string[] =>
  items.map((r) => (r.kind === 'userTask' ? r.userTaskKey : r.kind === 'processInstance' ? r.processInstanceKey : ''));

describe.each(targets)('knex store on $name', ({ open }) => {
  let store: KnexEngineStore;
  const pi1 = FIRST_KEY + 10;
  const pi2 = FIRST_KEY + 20;
  const pi3 = FIRST_KEY + 30;

  beforeAll(async () => {
    store = open();
    await store.migrate();
  });
  afterAll(async () => {
    await store.rollbackAll();
    await store.close();
  });

  it('runs the migrations down and up again, and migrate() is idempotent', async () => {
    await store.migrate();
    await store.rollbackAll();
    await expect(store.loadActive()).rejects.toThrow(/engine_records/);
    await store.migrate();
    await expect(store.loadActive()).resolves.toEqual({ records: [], keyHighWater: undefined });
  });

  it('loads back only active records, in key order, with the high-water mark', async () => {
    await store.commit({
      records: [
        processInstance(pi2),
        processInstance(pi1),
        processInstance(pi3, { state: 'COMPLETED', endDate: '2025-01-02T00:00:00.000Z' }),
        userTask(pi1 + 2, pi1, { assignee: 'alice' }),
        userTask(pi2 + 2, pi2, { candidateGroups: ['clerks', 'reviewers'], priority: 5 }),
        userTask(pi3 + 2, pi3, { state: 'COMPLETED', priority: 100 }),
        variable(pi1 + 3, pi1, 'amount', 12),
      ],
      keyHighWater: pi3 + 5,
    });
    const loaded = await store.loadActive();
    expect(loaded.keyHighWater).toBe(pi3 + 5);
    expect(loaded.records.map((r) => r.kind)).toEqual(['processInstance', 'userTask', 'variable', 'processInstance', 'userTask']);
    expect(loaded.records[1]).toEqual(userTask(pi1 + 2, pi1, { assignee: 'alice' }));
  });

  it('overwrites a record with its latest version, keeping the last of duplicates in one batch', async () => {
    const ei = elementInstance(pi1 + 4, pi1);
    await store.commit({ records: [ei], keyHighWater: pi3 + 6 });
    await store.commit({ records: [{ ...ei, elementName: 'first' }, { ...ei, state: 'COMPLETED', endDate: 'x' }], keyHighWater: pi3 + 6 });
    expect(await store.get('elementInstance', String(pi1 + 4))).toMatchObject({ state: 'COMPLETED', endDate: 'x', elementName: 'Task' });
    const loaded = await store.loadActive();
    expect(loaded.records.some((r) => r.kind === 'elementInstance')).toBe(false);
    expect(loaded.keyHighWater).toBe(pi3 + 6);
  });

  it('persists a moved high-water mark even without records, and accepts empty batches', async () => {
    await store.commit({ records: [], keyHighWater: pi3 + 7 });
    await store.commit({ records: [], keyHighWater: pi3 + 7 });
    expect((await store.loadActive()).keyHighWater).toBe(pi3 + 7);
  });

  it('writes a batch larger than one statement atomically', async () => {
    const base = FIRST_KEY + 100_000;
    const many = Array.from({ length: 2_500 }, (_, i) => variable(base + i, base, `v${i}`, i));
    await store.commit({ records: many, keyHighWater: base + 2_500 });
    const found = await store.search('variable', page([{ field: 'processInstanceKey', op: '$eq', value: String(base) }], { limit: 1 }));
    expect(found.total).toBe(2_500);
  });

  it('gets a record by kind and key, and nothing for another kind or a malformed key', async () => {
    expect(await store.get('processInstance', String(pi1))).toEqual(processInstance(pi1));
    expect(await store.get('userTask', String(pi1))).toBeUndefined();
    expect(await store.get('processInstance', 'abc')).toBeUndefined();
    expect(await store.get('processInstance', '99999999999999999999')).toBeUndefined();
  });

  it('searches with every filter operator', async () => {
    const tasks = async (filters: FieldFilter[]) => keysOf((await store.search('userTask', page(filters))).items);
    const t1 = String(pi1 + 2);
    const t2 = String(pi2 + 2);
    const t3 = String(pi3 + 2);
    expect(await tasks([])).toEqual([t1, t2, t3]);
    expect(await tasks([{ field: 'state', op: '$eq', value: 'CREATED' }])).toEqual([t1, t2]);
    expect(await tasks([{ field: 'processInstanceKey', op: '$eq', value: String(pi2) }])).toEqual([t2]);
    expect(await tasks([{ field: 'assignee', op: '$neq', value: 'alice' }])).toEqual([t2, t3]);
    expect(await tasks([{ field: 'priority', op: '$in', value: [5, 100] }])).toEqual([t2, t3]);
    expect(await tasks([{ field: 'assignee', op: '$notIn', value: ['alice'] }])).toEqual([t2, t3]);
    expect(await tasks([{ field: 'assignee', op: '$exists', value: true }])).toEqual([t1]);
    expect(await tasks([{ field: 'assignee', op: '$exists', value: false }])).toEqual([t2, t3]);
    expect(await tasks([{ field: 'assignee', op: '$like', value: 'a?i*' }])).toEqual([t1]);
    expect(await tasks([{ field: 'priority', op: '$gt', value: 9 }])).toEqual([t1, t3]);
    expect(await tasks([{ field: 'priority', op: '$lte', value: 50 }])).toEqual([t1, t2]);
    expect(await tasks([{ field: 'creationDate', op: '$gte', value: '2025-01-01T00:00:00.000Z' }])).toEqual([t1, t2, t3]);
    expect(await tasks([{ field: 'creationDate', op: '$lt', value: '2025-01-01T00:00:00.000Z' }])).toEqual([]);
    expect(await tasks([{ field: 'creationDate', op: '$lte', value: '2025-01-01T01:00:00+01:00' }])).toEqual([t1, t2, t3]);
    expect(await tasks([{ field: 'creationDate', op: '$gt', value: '2025-01-01T00:59:59+01:00' }])).toEqual([t1, t2, t3]);
    expect(await tasks([{ field: 'name', op: '$gte', value: 'Rev' }])).toEqual([t1, t2, t3]);
    expect(await tasks([{ field: 'name', op: '$lt', value: 'Rev' }])).toEqual([]);
    expect(await tasks([{ field: 'candidateGroups', op: '$contains', value: 'clerks' }])).toEqual([t2]);
    expect(await tasks([{ field: 'candidateGroups', op: '$contains', value: 'reviewers' }, { field: 'state', op: '$eq', value: 'CREATED' }])).toEqual([t1, t2]);
    expect(await tasks([{ field: 'priority', op: '$in', value: [] }])).toEqual([]);
  });

  it('sorts by document fields (numbers numerically), pages, and counts all matches', async () => {
    const sorted = await store.search('userTask', page([], { sort: [{ field: 'priority', order: 'DESC' }] }));
    expect(keysOf(sorted.items)).toEqual([String(pi3 + 2), String(pi1 + 2), String(pi2 + 2)]);
    const byKeyDesc = await store.search('processInstance', page([], { sort: [{ field: 'processInstanceKey', order: 'DESC' }], offset: 1, limit: 1 }));
    expect(byKeyDesc).toEqual({ items: [processInstance(pi2)], total: 3 });
    const beyond = await store.search('processInstance', page([], { offset: 10, limit: 5 }));
    expect(beyond).toEqual({ items: [], total: 3 });
    const byParentKey = await store.search('userTask', page([], { sort: [{ field: 'processInstanceKey', order: 'DESC' }], limit: 2 }));
    expect(keysOf(byParentKey.items)).toEqual([String(pi3 + 2), String(pi2 + 2)]);
    expect(byParentKey.total).toBe(3);
  });
});

describe('knex store on PGlite with a data folder', () => {
  it('keeps committed records across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-store-'));
    try {
      const first = createKnexStore({ dataDir: join(dir, 'nested', 'db') });
      await first.migrate();
      await first.commit({ records: [processInstance(FIRST_KEY + 1)], keyHighWater: FIRST_KEY + 1 });
      await first.close();
      const second = createKnexStore({ dataDir: join(dir, 'nested', 'db') });
      await second.migrate();
      expect(await second.loadActive()).toEqual({ records: [processInstance(FIRST_KEY + 1)], keyHighWater: FIRST_KEY + 1 });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
