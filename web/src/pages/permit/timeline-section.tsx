/** The permit's timeline from its audit log: status changes, decisions, workspace changes, notifications. */
import type { AuditEntry } from '../../api/types';
import { Loading, ProblemMessage, Section } from '../../components/ui';
import { useLiveEvents } from '../../events';
import { when, words } from '../../format';
import { useApi } from '../../use-api';

/** One line in words for an audit entry; the details that matter most for each kind. */
export function describe(entry: AuditEntry): string {
  const d = entry.details;
  const text = (key: string): string | undefined => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  if (text('newStatus')) return `Status ${words(text('previousStatus') ?? 'new')} → ${words(text('newStatus') ?? '')}${text('reason') ? ` (${text('reason')})` : ''}`;
  if (text('decision')) return `${words(entry.action)}: ${words(text('decision') ?? '')}${text('stage') ? ` at ${words(text('stage') ?? '')}` : ''}${text('comment') ? ` — “${text('comment')}”` : ''}`;
  if (text('template')) return `${words(entry.action)}: ${text('template')}${text('recipient') ? ` to ${text('recipient')}` : ''}${text('channel') ? ` by ${text('channel')}` : ''}`;
  if (text('phase')) return `${words(entry.action)} (${text('phase')})`;
  return words(entry.action);
}

export function TimelineSection({ permitId }: { permitId: string }) {
  const audit = useApi<{ items: AuditEntry[] }>(`/audit?permitId=${permitId}&limit=1000`);
  useLiveEvents(() => audit.reload(), (e) => e.permitId === permitId);
  return (
    <Section title="Timeline">
      {audit.loading && !audit.data ? <Loading what="the timeline" /> : null}
      <ProblemMessage error={audit.error} />
      {audit.data ? (
        <ol className="timeline" tabIndex={0} aria-label="Timeline, newest first">
          {[...audit.data.items].reverse().map((entry) => (
            <li key={entry.seq}>
              <time dateTime={entry.occurredAt}>{when(entry.occurredAt)}</time> <span className="actor">{entry.actor}</span> <span>{describe(entry)}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </Section>
  );
}
