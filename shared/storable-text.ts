/**
 * What PostgreSQL (and PGlite) cannot store in a text or jsonb value: the NUL character (U+0000) and UTF-16
 * surrogates that are not part of a pair (JSON allows `"\ud800"`; jsonb refuses it, text silently replaces it).
 * The REST API and the engine's /v2 refuse such input at the edge, before anything happens anywhere, so a bad
 * character is a 400 naming the field and never a failed write half-way through a request.
 */

export interface UnstorableText {
  /** Dotted path of the offending value (or key), e.g. `body.manifest.files.0.path`. */
  path: string;
  message: string;
}

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains a lone UTF-16 surrogate)';
  return undefined;
}

/**
 * Every string (and object key) in `value` that cannot be stored, with its path under `prefix`. Walks plain
 * JSON-like values only (objects, arrays, strings); stops after `limit` findings.
 */
export function findUnstorableText(value: unknown, prefix: string, limit = 20): UnstorableText[] {
  const found: UnstorableText[] = [];
  const visit = (current: unknown, path: string, depth: number): void => {
    if (found.length >= limit || depth > 64) return;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) found.push({ path, message: reason });
      return;
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => visit(item, `${path}.${index}`, depth + 1));
      return;
    }
    if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current as Record<string, unknown>)) {
        const keyReason = unstorableReason(key);
        const safeKey = keyReason ? JSON.stringify(key).slice(1, -1) : key;
        if (keyReason) found.push({ path: `${path}.${safeKey}`, message: `the field name ${keyReason}` });
        visit(item, `${path}.${safeKey}`, depth + 1);
      }
    }
  };
  visit(value, prefix, 0);
  return found;
}
