/** Every review decision on the permit with its comment, newest last. */
import type { ReviewDecision } from '../../api/types';
import { Loading, ProblemMessage, Section } from '../../components/ui';
import { useLiveEvents } from '../../events';
import { when, words } from '../../format';
import { useApi } from '../../use-api';

export function DecisionList({ decisions }: { decisions: ReviewDecision[] }) {
  if (decisions.length === 0) return <p className="muted">No decisions yet.</p>;
  return (
    <ol className="decisions">
      {decisions.map((d) => (
        <li key={d.id}>
          <strong>{words(d.stage)}</strong>: {words(d.decision)} by {d.reviewer} <span className="muted">({when(d.decidedAt)})</span>
          {d.comment ? <blockquote>{d.comment}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}

export function DecisionsSection({ permitId }: { permitId: string }) {
  const reviews = useApi<ReviewDecision[]>(`/permits/${permitId}/reviews`);
  useLiveEvents(() => reviews.reload(), (e) => e.permitId === permitId && (e.name.startsWith('review') || e.name.startsWith('permit.status')));
  return (
    <Section title="Decisions">
      {reviews.loading && !reviews.data ? <Loading what="decisions" /> : null}
      <ProblemMessage error={reviews.error} />
      {reviews.data ? <DecisionList decisions={reviews.data} /> : null}
    </Section>
  );
}
