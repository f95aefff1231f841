/**
 * Writes `value` at a variable path such as `a.b.c` (mapping targets).
 *
 * Only `target` itself is mutated (its top-level entry). Every nested context on the way is copied
 * before it is changed, and missing or non-context entries are replaced by new contexts, so a value
 * that the caller (or a stored variable) still references is never modified.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const names = path.split('.').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new Error(`invalid variable path '${path}'`);
  let container = target;
  for (let i = 0; i < names.length - 1; i++) {
    const name = names[i]!;
    const existing = container[name];
    const copy: Record<string, unknown> = isContext(existing) ? { ...existing } : {};
    container[name] = copy;
    container = copy;
  }
  container[names[names.length - 1]!] = value;
}

function isContext(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
