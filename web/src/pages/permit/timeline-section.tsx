/** The permit's timeline from its audit log: status changes, decisions, workspace changes, notifications. */
import type { AuditEntry } from '../../api/types';
import { Loading, ProblemMessage, Section } from '../../components/ui';
import { useLiveEvents } from '../../events';
import { when } from '../../format';
import { describe } from './audit-words';
import { useApi } from '../../use-api';

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
