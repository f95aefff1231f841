/**
 * Translates a Camunda 8.8 search request `{ filter, sort, page }` into the store's SearchQuery.
 *
 * - filter: each REST field maps to one record field (see SearchSpec). A plain value means `$eq`; an object
 *   uses the 8.8 advanced operators `$eq $neq $exists $in $notIn $like $gt $gte $lt $lte` (which ones depend
 *   on the field's kind). `$like` passes Camunda's wildcards through unchanged (`*` any run, `?` one char).
 *   Fields that are arrays in the record (candidateGroups) take `$contains`. Fields the engine does not
 *   store but whose value is constant are checked here; a mismatch means "matches nothing". Fields stored only
 *   where they differ from a default (job `kind`, `listenerEventType`) match records without them as that default.
 * - sort: `[{ field, order }]`, field names from the spec; the record key is appended as a tie-breaker.
 * - page: `{ from, limit }` or `{ after | before, limit }` with cursors from an earlier response.
 * Unknown fields, operators or wrongly typed values are 400 INVALID_ARGUMENT naming the field.
 */
import { z } from 'zod';
import { invalidArgument } from '../errors.js';
import type { FieldFilter, SearchQuery } from '../store/store.js';
import { parseWith } from './validation.js';

/** `stringList`: the REST value is an array of strings that must all be in the record's array field. */
export type FieldKind = 'string' | 'key' | 'int' | 'date' | 'bool' | 'enum' | 'stringList';

export interface FilterFieldSpec {
  kind: FieldKind;
  /** Record field, when it differs from the REST name. */
  field?: string;
  /** The record field is an array of strings; `$eq` becomes `$contains`. */
  contains?: boolean;
  /** Allowed values for `enum` fields. */
  values?: readonly string[];
  /** Converts a validated REST value to the stored value (e.g. ISO date → epoch ms). */
  toStored?: (value: unknown) => unknown;
  /** Not stored: every record has this value. */
  constant?: unknown;
  /** Stored only where it differs from this value: a record without the field has this value. */
  ifMissing?: string;
}

export interface SearchSpec {
  /** For messages: "process instance", "user task", ... */
  resource: string;
  filters: Record<string, FilterFieldSpec>;
  /** REST sort field → record field (`null`: constant field, sorting by it is a no-op). */
  sort: Record<string, string | null>;
  /** The record's key field: the tie-breaking sort. */
  keyField: string;
}

export interface TranslatedSearch {
  query: SearchQuery;
  /** A constant-field filter can never match: answer an empty page without asking the engine. */
  matchesNothing: boolean;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

const OPS: Record<FieldKind, readonly string[]> = {
  string: ['$eq', '$neq', '$exists', '$in', '$notIn', '$like'],
  enum: ['$eq', '$neq', '$exists', '$in', '$notIn', '$like'],
  key: ['$eq', '$neq', '$exists', '$in', '$notIn'],
  int: ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn'],
  date: ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn'],
  bool: ['$eq', '$neq', '$exists'],
  stringList: [],
};

const limitSchema = z.number().int().min(1).max(MAX_LIMIT);
const pageSchema = z
  .strictObject({
    from: z.number().int().min(0).optional(),
    limit: limitSchema.optional(),
    after: z.string().optional(),
    before: z.string().optional(),
  })
  .refine((p) => [p.from, p.after, p.before].filter((v) => v !== undefined).length <= 1, {
    message: "use only one of 'from', 'after' and 'before'",
  });

export const searchRequestSchema = z.strictObject({
  filter: z.record(z.string(), z.unknown()).nullish(),
  // `order` regardless of case, as Camunda's gateway reads it (the SDK's older REST client sends `asc`).
  sort: z.array(z.strictObject({ field: z.string(), order: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['ASC', 'DESC'])).optional() })).nullish(),
  page: pageSchema.nullish(),
});

export type SearchRequest = z.output<typeof searchRequestSchema>;

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    const offset = (parsed as { offset?: unknown } | null)?.offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw invalidArgument(`Invalid page cursor '${cursor}'; pass a startCursor/endCursor from an earlier response`);
}

function checkValue(name: string, spec: FilterFieldSpec, value: unknown): unknown {
  const fail = (expected: string): never => {
    throw invalidArgument(`Invalid filter '${name}': expected ${expected}, got ${JSON.stringify(value)}`);
  };
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'enum': {
      if (typeof value !== 'string') return fail('a string');
      // Read regardless of case, as Camunda's gateway does (older clients send e.g. `created`).
      const same = (v: unknown): v is string => typeof v === 'string' && v.toUpperCase() === value.toUpperCase();
      if (!spec.values) return same(spec.constant) ? spec.constant : value;
      return spec.values.find(same) ?? fail(`one of ${spec.values.join(', ')}`);
    }
    case 'key':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
      return typeof value === 'string' && /^\d{1,25}$/.test(value) ? value : fail('a key (a string of digits)');
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? value : fail('an integer');
    case 'bool':
      return typeof value === 'boolean' ? value : fail('a boolean');
    case 'stringList':
      return fail('an array of strings');
    case 'date': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(ms) ? fail('an ISO 8601 date-time') : new Date(ms).toISOString();
    }
  }
}

/** Most values one `$in` / `$notIn` takes. */
export const MAX_IN_VALUES = 1000;

function operandOf(name: string, spec: FilterFieldSpec, op: string, operand: unknown): unknown {
  if (op === '$exists') {
    if (typeof operand !== 'boolean') throw invalidArgument(`Invalid filter '${name}.$exists': expected a boolean`);
    return operand;
  }
  if (op === '$in' || op === '$notIn') {
    if (!Array.isArray(operand)) throw invalidArgument(`Invalid filter '${name}.${op}': expected an array`);
    // Each value is one SQL parameter, and PostgreSQL takes at most 65,535 in a statement (100,000 was a 500).
    if (operand.length > MAX_IN_VALUES) throw invalidArgument(`Invalid filter '${name}.${op}': at most ${MAX_IN_VALUES} values, got ${operand.length}; search in several pages of values`);
    return operand.map((v) => stored(spec, checkValue(name, spec, v)));
  }
  if (op === '$like') {
    if (typeof operand !== 'string') throw invalidArgument(`Invalid filter '${name}.$like': expected a string`);
    return operand;
  }
  return stored(spec, checkValue(name, spec, operand));
}

function stored(spec: FilterFieldSpec, value: unknown): unknown {
  return spec.toStored ? spec.toStored(value) : value;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Evaluates one condition against a constant (fields the engine does not store). */
function constantMatches(constant: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq': return constant === operand;
    case '$neq': return constant !== operand;
    case '$exists': return operand === (constant !== undefined && constant !== null);
    case '$in': return (operand as unknown[]).includes(constant);
    case '$notIn': return !(operand as unknown[]).includes(constant);
    case '$like': return typeof constant === 'string' && likeToRegExp(operand as string).test(constant);
    default: return false;
  }
}

function conditionsOf(name: string, spec: FilterFieldSpec, raw: unknown): Array<{ op: string; operand: unknown }> {
  const isOperatorObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  if (!isOperatorObject) return [{ op: '$eq', operand: stored(spec, checkValue(name, spec, raw)) }];
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw invalidArgument(`Invalid filter '${name}': empty operator object`);
  const allowed = OPS[spec.kind];
  return entries.map(([op, operand]) => {
    if (!allowed.includes(op)) {
      throw invalidArgument(`Invalid filter '${name}': operator '${op}' is not supported; use one of ${allowed.join(', ')}`);
    }
    return { op, operand: operandOf(name, spec, op, operand) };
  });
}

export function translateSearchRequest(body: unknown, spec: SearchSpec): TranslatedSearch {
  const request = parseWith(searchRequestSchema, body ?? {}, `${spec.resource} search request`);
  const filters: FieldFilter[] = [];
  let matchesNothing = false;
  for (const [name, raw] of Object.entries(request.filter ?? {})) {
    const fieldSpec = spec.filters[name];
    if (!fieldSpec) {
      throw invalidArgument(
        `Unknown filter field '${name}' for ${spec.resource} search; supported: ${Object.keys(spec.filters).join(', ')}`,
      );
    }
    if (raw === undefined || raw === null) continue;
    const field = fieldSpec.field ?? name;
    if (fieldSpec.kind === 'stringList') {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
        throw invalidArgument(`Invalid filter '${name}': expected an array of strings`);
      }
      for (const value of raw as string[]) filters.push({ field, op: '$contains', value });
      continue;
    }
    for (const { op, operand } of conditionsOf(name, fieldSpec, raw)) {
      if ('constant' in fieldSpec) {
        if (!constantMatches(fieldSpec.constant, op, operand)) matchesNothing = true;
      } else if (fieldSpec.contains) {
        if (op !== '$eq') throw invalidArgument(`Invalid filter '${name}': only a plain value or '$eq' is supported`);
        filters.push({ field, op: '$contains', value: operand as string });
      } else {
        filters.push({ field, op: op as FieldFilter['op'], value: operand, ...(fieldSpec.ifMissing ? { ifMissing: fieldSpec.ifMissing } : {}) } as FieldFilter);
      }
    }
  }

  const sort: SearchQuery['sort'] = [];
  for (const { field, order } of request.sort ?? []) {
    if (!(field in spec.sort)) {
      throw invalidArgument(`Unknown sort field '${field}' for ${spec.resource} search; supported: ${Object.keys(spec.sort).join(', ')}`);
    }
    const target = spec.sort[field];
    if (target) sort.push({ field: target, order: order ?? 'ASC' });
  }
  if (!sort.some((s) => s.field === spec.keyField)) sort.push({ field: spec.keyField, order: 'ASC' });

  const page = request.page ?? {};
  const limit = page.limit ?? DEFAULT_LIMIT;
  let offset = page.from ?? 0;
  let effectiveLimit = limit;
  if (page.after !== undefined) offset = decodeCursor(page.after) + 1;
  if (page.before !== undefined) {
    const start = decodeCursor(page.before);
    offset = Math.max(0, start - limit);
    effectiveLimit = Math.min(limit, start);
  }
  return { query: { filters, sort, offset, limit: effectiveLimit }, matchesNothing };
}
