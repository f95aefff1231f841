/** Words and dates as people read them. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

/** DATA_INGRESS_PENDING → "Data ingress pending". */
export function words(code: string): string {
  const text = code.replace(/[_.-]+/g, ' ').toLowerCase().trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TEAM_ROLE_LABELS: Record<string, string> = { RESEARCH_TEAM: 'Research team', HDAB_TEAM: 'HDAB team', DATA_HOLDER: 'Data holder' };

export function teamRoleLabel(role: string): string {
  return TEAM_ROLE_LABELS[role] ?? words(role);
}
