import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { decodeCursor, encodeCursor, translateSearchRequest, type SearchSpec } from './search-request.js';

const spec: SearchSpec = {
  resource: 'thing',
  keyField: 'thingKey',
  filters: {
    thingKey: { kind: 'key' },
    name: { kind: 'string' },
    size: { kind: 'int' },
    when: { kind: 'date' },
    color: { kind: 'enum', values: ['RED', 'BLUE'] },
    group: { kind: 'string', field: 'groups', contains: true },
    kind: { kind: 'enum', constant: 'BPMN_ELEMENT' },
    tags: { kind: 'stringList' },
    done: { kind: 'bool' },
  },
  sort: { name: 'name', size: 'size', kind: null },
};

function refusal(body: unknown): string {
  try {
    translateSearchRequest(body, spec);
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return (err as EngineError).detail;
  }
  throw new Error('expected a refusal');
}

describe('translateSearchRequest', () => {
  it('defaults to the first 100 items sorted by key', () => {
    expect(translateSearchRequest(undefined, spec)).toEqual({
      query: { filters: [], sort: [{ field: 'thingKey', order: 'ASC' }], offset: 0, limit: 100 },
      matchesNothing: false,
    });
  });

  it('turns plain values into $eq and keeps advanced operators', () => {
    const { query } = translateSearchRequest(
      { filter: { name: 'a', size: { $gte: 2, $lt: 9 }, thingKey: { $in: ['1', '2'] }, when: { $gt: '2025-01-01T00:00:00Z' }, done: true } },
      spec,
    );
    expect(query.filters).toEqual([
      { field: 'name', op: '$eq', value: 'a' },
      { field: 'size', op: '$gte', value: 2 },
      { field: 'size', op: '$lt', value: 9 },
      { field: 'thingKey', op: '$in', value: ['1', '2'] },
      { field: 'when', op: '$gt', value: '2025-01-01T00:00:00.000Z' },
      { field: 'done', op: '$eq', value: true },
    ]);
  });

  it('maps array fields to $contains, one per list entry', () => {
    const { query } = translateSearchRequest({ filter: { group: 'ops', tags: ['a', 'b'] } }, spec);
    expect(query.filters).toEqual([
      { field: 'groups', op: '$contains', value: 'ops' },
      { field: 'tags', op: '$contains', value: 'a' },
      { field: 'tags', op: '$contains', value: 'b' },
    ]);
  });

  it('checks constant fields here and reports a search that cannot match', () => {
    expect(translateSearchRequest({ filter: { kind: 'BPMN_ELEMENT' } }, spec)).toMatchObject({ matchesNothing: false, query: { filters: [] } });
    expect(translateSearchRequest({ filter: { kind: { $neq: 'BPMN_ELEMENT' } } }, spec).matchesNothing).toBe(true);
  });

  it('translates sort and appends the key as a tie-breaker; ignores constant sort fields', () => {
    const { query } = translateSearchRequest({ sort: [{ field: 'size', order: 'DESC' }, { field: 'kind' }] }, spec);
    expect(query.sort).toEqual([{ field: 'size', order: 'DESC' }, { field: 'thingKey', order: 'ASC' }]);
  });

  it('reads enum values and the sort order regardless of case, as Camunda does, and gives them back in upper case', () => {
    const { query, matchesNothing } = translateSearchRequest(
      { filter: { color: 'red', kind: 'bpmn_Element', size: { $gte: 1 } }, sort: [{ field: 'size', order: 'desc' }, { field: 'name', order: 'Asc' }] },
      spec,
    );
    expect(matchesNothing).toBe(false);
    expect(query.filters).toEqual([
      { field: 'color', op: '$eq', value: 'RED' },
      { field: 'size', op: '$gte', value: 1 },
    ]);
    expect(query.sort).toEqual([{ field: 'size', order: 'DESC' }, { field: 'name', order: 'ASC' }, { field: 'thingKey', order: 'ASC' }]);
    expect(translateSearchRequest({ filter: { color: { $in: ['blue', 'RED'] } } }, spec).query.filters).toEqual([{ field: 'color', op: '$in', value: ['BLUE', 'RED'] }]);
    expect(refusal({ filter: { color: 'green' } })).toMatch(/color.*one of RED, BLUE/);
    expect(refusal({ sort: [{ field: 'size', order: 'sideways' }] })).toMatch(/order/);
  });

  it('takes at most 1000 values in one $in or $notIn (each is an SQL parameter; 100,000 was a 500 from PostgreSQL)', () => {
    const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));
    expect(translateSearchRequest({ filter: { thingKey: { $in: keys(1000) } } }, spec).query.filters[0]?.value).toHaveLength(1000);
    expect(() => translateSearchRequest({ filter: { thingKey: { $in: keys(100_000) } } }, spec)).toThrow(/'thingKey.\$in': at most 1000 values, got 100000/);
    expect(() => translateSearchRequest({ filter: { thingKey: { $notIn: keys(1001) } } }, spec)).toThrow(EngineError);
  });

  it('pages by offset and by cursors', () => {
    expect(translateSearchRequest({ page: { from: 20, limit: 10 } }, spec).query).toMatchObject({ offset: 20, limit: 10 });
    expect(translateSearchRequest({ page: { after: encodeCursor(9), limit: 5 } }, spec).query).toMatchObject({ offset: 10, limit: 5 });
    expect(translateSearchRequest({ page: { before: encodeCursor(3), limit: 5 } }, spec).query).toMatchObject({ offset: 0, limit: 3 });
    expect(decodeCursor(encodeCursor(42))).toBe(42);
  });

  it('refuses unknown fields, operators, wrong types and bad pages, naming them', () => {
    expect(refusal({ filter: { colour: 'RED' } })).toMatch(/'colour'/);
    expect(refusal({ filter: { color: 'GREEN' } })).toMatch(/RED, BLUE/);
    expect(refusal({ filter: { size: 'big' } })).toMatch(/'size'.*integer/);
    expect(refusal({ filter: { name: { $gt: 'a' } } })).toMatch(/'\$gt'/);
    expect(refusal({ filter: { thingKey: 'abc' } })).toMatch(/'thingKey'/);
    expect(refusal({ filter: { group: { $in: ['a'] } } })).toMatch(/'group'/);
    expect(refusal({ sort: [{ field: 'colour' }] })).toMatch(/'colour'/);
    expect(refusal({ page: { from: 1, after: encodeCursor(1) } })).toMatch(/only one/);
    expect(refusal({ page: { limit: 0 } })).toMatch(/limit/);
    expect(refusal({ page: { after: '%%%' } })).toMatch(/cursor/);
    expect(refusal({ filters: {} })).toMatch(/'filters'/);
  });
});
