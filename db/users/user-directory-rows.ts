/**
 * Columns of `user_directory` that more than one reader needs to understand (the REST API's directory and the job
 * workers' decision and permit stores).
 */

/** `user_directory.roles` (jsonb) as a list of roles; drivers hand jsonb over parsed, a string is parsed just in case. */
export function toDirectoryRoles(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((role): role is string => typeof role === 'string') : [];
}
