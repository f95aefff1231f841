/** An audit entry in words for the permit's timeline. */
import type { AuditEntry } from '../../api/types';
import { words } from '../../format';

const FIELD_WORDS: Record<string, string> = { title: 'title', purpose: 'purpose', validFrom: 'start of validity', validUntil: 'end of validity', deletionGracePeriod: 'deletion grace period' };

/** One line in words for an audit entry; the details that matter most for each kind. */
export function describe(entry: AuditEntry): string {
  const d = entry.details;
  const text = (key: string): string | undefined => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  if (entry.action === 'permit.edit-draft' && typeof d.changes === 'object' && d.changes !== null) {
    return `Application edited: ${Object.keys(d.changes).map((field) => FIELD_WORDS[field] ?? field).join(', ')}`;
  }
  if (text('newStatus')) return `Status ${words(text('previousStatus') ?? 'new')} → ${words(text('newStatus') ?? '')}${text('reason') ? ` (${text('reason')})` : ''}`;
  if (text('decision')) return `${words(entry.action)}: ${words(text('decision') ?? '')}${text('stage') ? ` at ${words(text('stage') ?? '')}` : ''}${text('comment') ? ` — “${text('comment')}”` : ''}`;
  if (text('template')) return `${words(entry.action)}: ${text('template')}${text('recipient') ? ` to ${text('recipient')}` : ''}${text('channel') ? ` by ${text('channel')}` : ''}`;
  if (text('phase')) return `${words(entry.action)} (${text('phase')})`;
  return words(entry.action);
}
