/**
 * The one rule for file paths people name inside a workspace folder (upload manifests under /raw, output requests
 * under /outputs): the REST API refuses a path that breaks it when the request arrives, and the workspace workers
 * (manifest check, release) check it again before touching a file. A safe path is relative and stays inside its
 * folder: not empty, at most 1000 characters, not absolute, no backslash, no control character (newline, NUL...),
 * no empty, `.` or `..` segment, and no segment starting with `-` (a tool would read it as an option).
 */

export const MAX_PATH_LENGTH = 1000;

/** Why the path is not safe, in words for a 400 or a finding, or undefined when it is. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return 'must not be empty';
  if (path.length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`;
  if (path.startsWith('/')) return 'must be relative to the folder (no leading "/")';
  if (path.includes('\\')) return 'must use "/" between folders, not backslashes';
  for (let i = 0; i < path.length; i += 1) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'must not contain control characters (newline, tab, NUL...)';
  }
  const segments = path.split('/');
  if (segments.some((segment) => segment === '')) return 'must not contain empty segments ("//" or a trailing "/")';
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'must not contain "." or ".." segments';
  if (segments.some((segment) => segment.startsWith('-'))) return 'must not have a file or folder name starting with "-"';
  return undefined;
}

export function isSafeRelativePath(path: string): boolean {
  return unsafePathReason(path) === undefined;
}
