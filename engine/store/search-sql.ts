/**
 * Translates a SearchQuery into SQL over `engine_records`, with knex-style `?` placeholders. Pure: no I/O,
 * so it is unit-tested on its own.
 *
 * Filters and sorts address top-level fields of the record document (`data`). Field names and kinds are
 * checked against strict patterns and inlined (so PostgreSQL can match expression/partial indexes); every
 * value travels as a binding. Values compare as text (`data->>'field'`): keys are strings in the documents,
 * and a filter value given as a number or boolean prints the same way PostgreSQL prints the JSON scalar.
 * Only `$gt/$gte/$lt/$lte` differ: a number compares numerically, an ISO date-time as an instant, any
 * other text in byte order.
 */
import { invalidArgument } from '../errors.js';
import type { RecordKind } from '../runtime/records.js';
import type { FieldFilter, SearchQuery } from './store.js';

export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

/** The field of each kind that holds its key (sorting on it uses the bigint `key` column). */
export const KEY_FIELD: Record<RecordKind, string> = {
  deployment: 'deploymentKey',
  processDefinition: 'processDefinitionKey',
  form: 'formKey',
  processInstance: 'processInstanceKey',
  elementInstance: 'elementInstanceKey',
  variable: 'variableKey',
  job: 'jobKey',
  userTask: 'userTaskKey',
  incident: 'incidentKey',
  messageSubscription: 'messageSubscriptionKey',
  message: 'messageKey',
  timer: 'timerKey',
  signalSubscription: 'signalSubscriptionKey',
  decisionRequirements: 'decisionRequirementsKey',
  decisionDefinition: 'decisionDefinitionKey',
  decisionInstance: 'instanceKey',
};

const FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function fieldName(field: string): string {
  if (!FIELD_PATTERN.test(field)) {
    throw invalidArgument(`Field name '${field}' is not a valid record field; use letters, digits and '_' only`);
  }
  return field;
}

function kindLiteral(kind: string): string {
  if (!Object.hasOwn(KEY_FIELD, kind)) throw invalidArgument(`Unknown record kind '${kind}'`);
  return `'${kind}'`;
}

/** `data->>'field'`: the field as text (SQL NULL when missing or JSON null). */
const textOf = (field: string): string => `data->>'${fieldName(field)}'`;
/** `data->'field'`: the field as jsonb. */
const jsonOf = (field: string): string => `data->'${fieldName(field)}'`;

/** Camunda's `$like` pattern (`*` any run, `?` one character; `\*`, `\?`, `\\` literal) as a SQL LIKE pattern with `\` escape. */
export function likePattern(camunda: string): string {
  let out = '';
  for (let i = 0; i < camunda.length; i++) {
    const c = camunda[i]!;
    const next = camunda[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      out += next === '\\' ? '\\\\' : next;
      i++;
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else if (c === '%' || c === '_' || c === '\\') out += `\\${c}`;
    else out += c;
  }
  return out;
}

function asText(value: unknown, field: string, op: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw invalidArgument(`Filter ${op} on '${field}' expects a string, number or boolean, got ${JSON.stringify(value)}`);
}

function listOf(value: unknown, field: string, op: string): string[] {
  if (!Array.isArray(value)) throw invalidArgument(`Filter ${op} on '${field}' expects a list of values`);
  return value.map((v) => asText(v, field, op));
}

/** An ISO 8601 date-time with an offset, as REST filters give them. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The same as a PostgreSQL regex guarding the cast of stored values (`{0,1}`: a `?` would be a knex placeholder). */
const STORED_DATE_TIME = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9}){0,1}){0,1}(Z|[+-][0-9]{2}:{0,1}[0-9]{2})$';

const COMPARE: Record<'$gt' | '$gte' | '$lt' | '$lte', string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** One filter as a SQL condition. */
export function filterSql(filter: FieldFilter): SqlFragment {
  const { field, op, value } = filter;
  const ifMissing = 'ifMissing' in filter ? filter.ifMissing : undefined;
  if (ifMissing !== undefined && !/^[A-Za-z_]{1,63}$/.test(ifMissing)) throw invalidArgument(`Invalid default '${ifMissing}' for field '${field}'`);
  const text = ifMissing === undefined ? textOf(field) : `COALESCE(${textOf(field)}, '${ifMissing}')`;
  switch (op) {
    case '$eq':
      if (value === null || value === undefined) return { sql: `${text} IS NULL`, bindings: [] };
      return { sql: `${text} = ?`, bindings: [asText(value, field, op)] };
    case '$neq':
      if (value === null || value === undefined) return { sql: `${text} IS NOT NULL`, bindings: [] };
      return { sql: `${text} IS DISTINCT FROM ?`, bindings: [asText(value, field, op)] };
    case '$in': {
      const list = listOf(value, field, op);
      if (list.length === 0) return { sql: 'FALSE', bindings: [] };
      return { sql: `${text} IN (${list.map(() => '?').join(', ')})`, bindings: list };
    }
    case '$notIn': {
      const list = listOf(value, field, op);
      if (list.length === 0) return { sql: 'TRUE', bindings: [] };
      return { sql: `(${text} IS NULL OR ${text} NOT IN (${list.map(() => '?').join(', ')}))`, bindings: list };
    }
    case '$exists':
      return { sql: value === false ? `${text} IS NULL` : `${text} IS NOT NULL`, bindings: [] };
    case '$like':
      return { sql: `${text} LIKE ? ESCAPE '\\'`, bindings: [likePattern(asText(value, field, op))] };
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const cmp = COMPARE[op];
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw invalidArgument(`Filter ${op} on '${field}' expects a finite number`);
        // Only JSON numbers take part; a text value in a number comparison never matches (and never fails a cast).
        return {
          sql: `(CASE WHEN jsonb_typeof(${jsonOf(field)}) = 'number' THEN (${text})::numeric END) ${cmp} ?`,
          bindings: [value],
        };
      }
      const operand = asText(value, field, op);
      if (DATE_TIME.test(operand)) {
        // Date-times compare as instants, so '...T01:00:00+01:00' and '...T00:00:00.000Z' are equal.
        return {
          sql: `(CASE WHEN ${text} ~ '${STORED_DATE_TIME}' THEN (${text})::timestamptz END) ${cmp} ?::timestamptz`,
          bindings: [operand],
        };
      }
      // Byte order, the same on every server whatever its default collation.
      return { sql: `${text} COLLATE "C" ${cmp} ? COLLATE "C"`, bindings: [operand] };
    }
    case '$contains':
      return { sql: `${jsonOf(field)} @> jsonb_build_array(?::text)`, bindings: [asText(value, field, op)] };
    default:
      throw invalidArgument(`Unknown filter operator '${String(op)}' on '${field}'`);
  }
}

/**
 * ORDER BY terms for one sort field. The record's own key field sorts by the bigint key column; any other
 * field sorts strings made of digits (keys) numerically first, then by jsonb order (numbers numerically,
 * strings as text). Missing fields sort last ascending, first descending (PostgreSQL's NULL default).
 */
function sortTerms(kind: RecordKind, field: string, order: 'ASC' | 'DESC'): string[] {
  const dir = order === 'DESC' ? 'DESC' : 'ASC';
  if (field === KEY_FIELD[kind]) return [`key ${dir}`];
  const text = textOf(field);
  return [
    `(CASE WHEN jsonb_typeof(${jsonOf(field)}) = 'string' AND ${text} ~ '^[0-9]{1,18}$' THEN (${text})::bigint END) ${dir}`,
    `${jsonOf(field)} ${dir}`,
  ];
}

/**
 * The whole search: one statement returning `data` and `total` (count of all matches, via a window) per row.
 * When the page is empty the total is unknown from the rows; `countSql` answers it.
 */
export function buildSearchSql(table: string, kind: RecordKind, query: SearchQuery): { select: SqlFragment; count: SqlFragment } {
  const where: string[] = [`kind = ${kindLiteral(kind)}`];
  const bindings: unknown[] = [];
  for (const f of query.filters) {
    const frag = filterSql(f);
    where.push(frag.sql);
    bindings.push(...frag.bindings);
  }
  const order = query.sort.flatMap((s) => sortTerms(kind, s.field, s.order));
  if (!query.sort.some((s) => s.field === KEY_FIELD[kind])) order.push('key ASC');
  const limit = Math.max(0, Math.floor(query.limit));
  const offset = Math.max(0, Math.floor(query.offset));
  const whereSql = where.join(' AND ');
  return {
    select: {
      sql: `SELECT data, count(*) OVER () AS total FROM ${table} WHERE ${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
      bindings: [...bindings, limit, offset],
    },
    count: { sql: `SELECT count(*) AS total FROM ${table} WHERE ${whereSql}`, bindings },
  };
}
