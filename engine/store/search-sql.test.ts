import { describe, expect, it } from 'vitest';
import { buildSearchSql, filterSql, likePattern } from './search-sql.js';
import type { SearchQuery } from './store.js';

const T = '"public"."engine_records"';
const query = (over: Partial<SearchQuery> = {}): SearchQuery => ({ filters: [], sort: [], offset: 0, limit: 20, ...over });

describe('likePattern', () => {
  it('turns Camunda wildcards into LIKE wildcards', () => {
    expect(likePattern('a*b?c')).toBe('a%b_c');
  });
  it('escapes LIKE metacharacters that are meant literally', () => {
    expect(likePattern('50%_off\\x')).toBe('50\\%\\_off\\\\x');
  });
  it('keeps backslash-escaped Camunda wildcards literal', () => {
    expect(likePattern('a\\*b\\?c\\\\')).toBe('a*b?c\\\\');
  });
});

describe('filterSql', () => {
  it('compares $eq as text, so keys and numbers match their JSON form', () => {
    expect(filterSql({ field: 'processInstanceKey', op: '$eq', value: '2251799813685249' })).toEqual({
      sql: "data->>'processInstanceKey' = ?",
      bindings: ['2251799813685249'],
    });
    expect(filterSql({ field: 'priority', op: '$eq', value: 50 }).bindings).toEqual(['50']);
    expect(filterSql({ field: 'hasIncident', op: '$eq', value: false }).bindings).toEqual(['false']);
  });
  it('treats $eq null as a missing field and $neq as IS DISTINCT FROM', () => {
    expect(filterSql({ field: 'assignee', op: '$eq', value: null }).sql).toBe("data->>'assignee' IS NULL");
    expect(filterSql({ field: 'assignee', op: '$neq', value: 'bob' }).sql).toBe("data->>'assignee' IS DISTINCT FROM ?");
  });
  it('expands $in and $notIn into one placeholder per value, and handles empty lists', () => {
    expect(filterSql({ field: 'state', op: '$in', value: ['A', 'B'] })).toEqual({ sql: "data->>'state' IN (?, ?)", bindings: ['A', 'B'] });
    expect(filterSql({ field: 'state', op: '$notIn', value: ['A'] }).sql).toBe("(data->>'state' IS NULL OR data->>'state' NOT IN (?))");
    expect(filterSql({ field: 'state', op: '$in', value: [] }).sql).toBe('FALSE');
    expect(filterSql({ field: 'state', op: '$notIn', value: [] }).sql).toBe('TRUE');
  });
  it('reads a field stored only where it differs from a default through COALESCE, and checks that default', () => {
    expect(filterSql({ field: 'jobKind', op: '$eq', value: 'BPMN_ELEMENT', ifMissing: 'BPMN_ELEMENT' })).toEqual({
      sql: "COALESCE(data->>'jobKind', 'BPMN_ELEMENT') = ?",
      bindings: ['BPMN_ELEMENT'],
    });
    expect(() => filterSql({ field: 'jobKind', op: '$eq', value: 'x', ifMissing: "x'; drop" })).toThrow(/Invalid default/);
  });
  it('checks presence with $exists', () => {
    expect(filterSql({ field: 'dueDate', op: '$exists', value: true }).sql).toBe("data->>'dueDate' IS NOT NULL");
    expect(filterSql({ field: 'dueDate', op: '$exists', value: false }).sql).toBe("data->>'dueDate' IS NULL");
  });
  it('uses LIKE with a backslash escape for $like', () => {
    expect(filterSql({ field: 'name', op: '$like', value: 'Rev*' })).toEqual({ sql: "data->>'name' LIKE ? ESCAPE '\\'", bindings: ['Rev%'] });
  });
  it('compares numbers numerically (only against JSON numbers) and everything else as text', () => {
    const numeric = filterSql({ field: 'priority', op: '$gte', value: 10 });
    expect(numeric.sql).toBe("(CASE WHEN jsonb_typeof(data->'priority') = 'number' THEN (data->>'priority')::numeric END) >= ?");
    expect(numeric.bindings).toEqual([10]);
    expect(filterSql({ field: 'name', op: '$lt', value: 'M' })).toEqual({ sql: `data->>'name' COLLATE "C" < ? COLLATE "C"`, bindings: ['M'] });
  });
  it('compares ISO date-times as instants', () => {
    const frag = filterSql({ field: 'startDate', op: '$lt', value: '2025-01-01T01:00:00+01:00' });
    expect(frag.sql).toMatch(/^\(CASE WHEN data->>'startDate' ~ '\^\[0-9\]\{4\}.*' THEN \(data->>'startDate'\)::timestamptz END\) < \?::timestamptz$/);
    expect(frag.sql.replace(/\?::timestamptz$/, '')).not.toContain('?');
    expect(frag.bindings).toEqual(['2025-01-01T01:00:00+01:00']);
  });
  it('tests array membership with $contains', () => {
    expect(filterSql({ field: 'candidateGroups', op: '$contains', value: 'clerks' })).toEqual({
      sql: "data->'candidateGroups' @> jsonb_build_array(?::text)",
      bindings: ['clerks'],
    });
  });
  it('refuses field names that could break out of the SQL', () => {
    expect(() => filterSql({ field: "x' OR '1'='1", op: '$eq', value: 'a' })).toThrow(/not a valid record field/);
  });
  it('refuses object values and non-list $in values', () => {
    expect(() => filterSql({ field: 'state', op: '$eq', value: { a: 1 } })).toThrow(/expects a string, number or boolean/);
    expect(() => filterSql({ field: 'state', op: '$in', value: 'A' })).toThrow(/expects a list/);
  });
});

describe('buildSearchSql', () => {
  it('filters by kind, sorts by key by default, and pages with bindings last', () => {
    const { select, count } = buildSearchSql(T, 'userTask', query({ filters: [{ field: 'state', op: '$eq', value: 'CREATED' }], offset: 40 }));
    expect(select.sql).toBe(
      `SELECT data, count(*) OVER () AS total FROM ${T} WHERE kind = 'userTask' AND data->>'state' = ? ORDER BY key ASC LIMIT ? OFFSET ?`,
    );
    expect(select.bindings).toEqual(['CREATED', 20, 40]);
    expect(count).toEqual({ sql: `SELECT count(*) AS total FROM ${T} WHERE kind = 'userTask' AND data->>'state' = ?`, bindings: ['CREATED'] });
  });
  it('sorts the own key field by the key column and other fields numerically-then-by-jsonb, key as tie-breaker', () => {
    const own = buildSearchSql(T, 'processInstance', query({ sort: [{ field: 'processInstanceKey', order: 'DESC' }] }));
    expect(own.select.sql).toContain('ORDER BY key DESC LIMIT');
    const other = buildSearchSql(T, 'userTask', query({ sort: [{ field: 'priority', order: 'ASC' }] }));
    expect(other.select.sql).toContain(
      "ORDER BY (CASE WHEN jsonb_typeof(data->'priority') = 'string' AND data->>'priority' ~ '^[0-9]{1,18}$' THEN (data->>'priority')::bigint END) ASC, data->'priority' ASC, key ASC",
    );
  });
  it('refuses an unknown kind', () => {
    expect(() => buildSearchSql(T, 'nope' as never, query())).toThrow(/Unknown record kind/);
  });
});
