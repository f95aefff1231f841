/**
 * Inputs for the fuzzer, from the OpenAPI document: a plausible value for a JSON schema (so requests get past
 * the first check and reach deeper ones), then one hostile change somewhere in it: a NUL byte, a lone surrogate,
 * control characters, an oversized or deeply nested value, a wrong type, a missing required field, an unknown
 * field, path traversal, injection strings. fast-check draws every choice, so a run is reproducible by its seed.
 */
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
};

/** Strings the platform must refuse or store harmlessly, never crash on. */
const HOSTILE_STRINGS = [
  'a\u0000b', '\u0000', '\ud800', 'x\udfff', '\ud83d', 'a\nb.csv', '\r\n\r\n', '\u001b[31m', '\u007f', '\u202e',
  '/etc/passwd', '../../../etc/passwd', '..\\..\\x', '-rf', 'a//b', '.', '..', '~root', 'C:\\Windows',
  "' OR 1=1 --", '"; DROP TABLE permits; --', '%00', '%', '%%', '\\', '${jndi:ldap://x}', '{{7*7}}', '<script>alert(1)</script>',
  '__proto__', 'constructor', 'prototype', 'NaN', 'Infinity', '-1', '1e309', '9'.repeat(40), 'P99999999999999999999D', 'P1000Y',
  '', ' ', '\t', '😀'.repeat(50), 'ı̇', 'true', 'null', '[]', '{}',
];

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'x'.repeat(n)) },
);

/** Any JSON-ish value of the wrong kind. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 2 ** 53 + 1, -(2 ** 63), 1e308) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], { __proto__: { admin: true } }, JSON.parse('{"__proto__": {"polluted": 1}}') as unknown) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.array(fc.constant('a\u0000'), { minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function nest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

export interface SchemaContext {
  components: Record<string, JsonSchema>;
  /** Values for ids the API knows (permit ids, user ids), so some requests reach the handlers. */
  ids: { permitIds: string[]; userIds: string[]; other: string[]; engineKeys?: string[]; elementIds?: string[] };
}

function resolve(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let current = schema;
  for (let i = 0; i < 10 && current.$ref; i += 1) current = ctx.components[current.$ref.replace('#/components/schemas/', '')] ?? {};
  return current;
}

/** A plausible value for the schema (drawn with `pick`). */
export function plausible(schema: JsonSchema, ctx: SchemaContext, pick: <T>(values: readonly T[]) => T, depth = 0): unknown {
  const s = resolve(schema, ctx);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return pick(s.enum);
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return plausible(pick(variants), ctx, pick, depth + 1);
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((part) => plausible(part, ctx, pick, depth + 1)) as object[]);
  const type = Array.isArray(s.type) ? pick(s.type.filter((t) => t !== 'null').length ? s.type.filter((t) => t !== 'null') : s.type) : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) || pick([true, false])) out[name] = plausible(property, ctx, pick, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 0, pick([1, 1, 2])) }, () => plausible(s.items ?? {}, ctx, pick, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? s.minimum : pick([1, 2, 10]);
    case 'boolean':
      return pick([true, false]);
    case 'null':
      return null;
    case 'string':
      if (s.format === 'uuid') return pick([...ctx.ids.permitIds, ...ctx.ids.other]);
      // The engine's own ids (fuzz-run.ts marks them with these pseudo-patterns): real keys and element ids.
      if (s.pattern === 'engineKey' && ctx.ids.engineKeys?.length) return pick(ctx.ids.engineKeys);
      if (s.pattern === 'elementId' && ctx.ids.elementIds?.length) return pick(ctx.ids.elementIds);
      if (s.format === 'date-time') return pick(['2030-01-01T00:00:00Z', '2027-06-01T12:00:00+02:00']);
      if (s.pattern?.includes('a-f') && s.pattern.includes('64')) return 'a'.repeat(64);
      if (s.pattern?.startsWith('^P')) return 'P30D';
      return pick([...ctx.ids.userIds, 'Diabetes outcomes study', 'tables/summary.csv', 'A reason long enough']).slice(0, s.maxLength ?? 1000).padEnd(s.minLength ?? 0, 'x');
    default:
      return pick(['x', 1, null]);
  }
}

/** Every path into a JSON value (for choosing where to put the hostile change). */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown, mode: 'replace' | 'delete' | 'add'): unknown {
  if (path.length === 0) return mode === 'replace' ? replacement : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mode === 'delete' && !Array.isArray(parent)) delete parent[last];
  else if (mode === 'add' && typeof parent === 'object') (parent as Record<string, unknown>)[`unexpected${String(last)}`] = replacement;
  else parent[last] = replacement;
  return copy;
}

/** A plausible value with one hostile change (or none, now and then, to reach the handlers). */
export function mutate(value: unknown, draw: <T>(arb: fc.Arbitrary<T>) => T): unknown {
  const kind = draw(fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add', 'whole', 'none'));
  if (kind === 'none') return value;
  if (kind === 'whole') return draw(hostileValue);
  const paths = pathsOf(value);
  const path = draw(fc.constantFrom(...paths));
  return setAt(value, path, draw(hostileValue), kind as 'replace' | 'delete' | 'add');
}

export function hostile(draw: <T>(arb: fc.Arbitrary<T>) => T): string {
  return draw(hostileString);
}
