/**
 * A path that stays inside the folder it is relative to: not absolute, no `.`/`..`/empty segments, no backslash
 * and no control characters. Used for upload manifests (/raw) and released outputs (/outputs).
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 1000 || path.startsWith('/') || path.includes('\\')) return false;
  for (let i = 0; i < path.length; i += 1) if (path.charCodeAt(i) < 0x20 || path.charCodeAt(i) === 0x7f) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
