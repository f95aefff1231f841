/** The start page: what each of the person's roles has waiting. */
import { Link } from 'react-router';
import type { InboxTask, Permit } from '../api/types';
import { hasRole, useSession } from '../auth/use-session';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useApi } from '../use-api';

export function HomePage() {
  const { user } = useSession();
  const reviewer = hasRole(user, 'hdab-reviewer') || hasRole(user, 'admin');
  const permits = useApi<{ items: Permit[]; total: number }>('/permits?limit=5');
  const tasks = useApi<InboxTask[]>(reviewer ? '/tasks' : undefined);
  return (
    <>
      <h1>Welcome, {user?.name}</h1>
      <div className="grid">
        <Section title="Your permits">
          {permits.loading ? <Loading what="permits" /> : null}
          <ProblemMessage error={permits.error} />
          {permits.data ? (
            permits.data.items.length === 0 ? (
              <p>You are not on any permit yet.</p>
            ) : (
              <ul className="plain">
                {permits.data.items.map((p) => (
                  <li key={p.id}>
                    <Link to={`/permits/${p.id}`}>{p.title}</Link> <StatusBadge status={p.status} />
                  </li>
                ))}
              </ul>
            )
          ) : null}
          <p>
            <Link to="/permits">All permits</Link>
            {hasRole(user, 'researcher') ? (
              <>
                {' · '}
                <Link to="/permits/new">Apply for a permit</Link>
              </>
            ) : null}
          </p>
        </Section>
        {reviewer ? (
          <Section title="Your inbox">
            {tasks.loading ? <Loading what="tasks" /> : null}
            <ProblemMessage error={tasks.error} />
            {tasks.data ? (
              <p>
                <Link to="/tasks">
                  {tasks.data.length} open task{tasks.data.length === 1 ? '' : 's'}
                </Link>
                , {tasks.data.filter((t) => t.assignee === user?.userId).length} assigned to you.
              </p>
            ) : null}
          </Section>
        ) : null}
        {hasRole(user, 'data-holder') ? (
          <Section title="Data deliveries">
            <p>
              <Link to="/deliveries">Deliveries expected of you</Link>
            </p>
          </Section>
        ) : null}
        {hasRole(user, 'admin') ? (
          <Section title="Operations">
            <p>
              <Link to="/operations">Incidents and the health of the platform</Link>
            </p>
          </Section>
        ) : null}
      </div>
    </>
  );
}
