/**
 * Canonical JSON: one exact text for one JSON value, so a hash over it can be recomputed later from the
 * stored data. Object keys are sorted (by UTF-16 code units, as `Array.prototype.sort` does), there is no
 * whitespace, strings and numbers are written as `JSON.stringify` writes them. For JSON-safe input this is
 * the JSON Canonicalization Scheme (RFC 8785).
 *
 * Like `JSON.stringify`: `toJSON()` is honoured (Dates become ISO strings), object members whose value is
 * undefined, a function or a symbol are left out, and such array elements become null. Unlike it, values
 * that have no faithful JSON form are refused rather than silently changed: NaN, ±Infinity, bigint, a
 * top-level undefined, and cycles throw a TypeError.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form (undefined, a function or a symbol)');
  return text;
}

function write(input: unknown, ancestors: Set<object>): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${String(value)} has no JSON form`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form; convert it to a string or number first');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item: unknown) => write(item, ancestors) ?? 'null').join(',')}]`;
    }
    const members: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const text = write((object as Record<string, unknown>)[key], ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}
