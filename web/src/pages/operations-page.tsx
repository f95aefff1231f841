/** Operators (admin): incidents across permits with the failing step, the error, what to do and a retry; health. */
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Incident } from '../api/types';
import { ActionButton, Loading, ProblemMessage, Section } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

interface Health {
  status: string;
  checks: Record<string, { ok: boolean; detail?: unknown; error?: string }>;
}

export function OperationsPage() {
  const incidents = useApi<{ items: Incident[] }>('/operations/incidents');
  const health = useApi<Health>('/operations/health');
  useLiveEvents(() => incidents.reload());
  return (
    <>
      <h1>Operations</h1>
      <Section title="Health of the platform's parts">
        {health.loading && !health.data ? <Loading what="health" /> : null}
        <ProblemMessage error={health.error} />
        {health.data ? (
          <>
            <p>
              Overall: <strong>{health.data.status === 'ok' ? 'all parts ready' : 'something needs attention'}</strong>{' '}
              <ActionButton kind="secondary" label="Check again" run={async () => health.reload()} />
            </p>
            <ul className="plain">
              {Object.entries(health.data.checks).map(([name, check]) => (
                <li key={name}>
                  <span className={check.ok ? 'ok' : 'bad'}>{check.ok ? 'Ready' : 'Not ready'}</span> <strong>{name}</strong>
                  {check.error ? ` — ${check.error}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>
      <Section title="Incidents">
        {incidents.loading && !incidents.data ? <Loading what="incidents" /> : null}
        <ProblemMessage error={incidents.error} />
        {incidents.data ? (
          incidents.data.items.length === 0 ? (
            <p role="status">No open incidents: every process is moving.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Permit</th>
                  <th scope="col">Failing step</th>
                  <th scope="col">Error</th>
                  <th scope="col">What to do</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {incidents.data.items.map((i) => (
                  <tr key={i.incidentKey}>
                    <td>{i.permitId ? <Link to={`/permits/${i.permitId}`}>{i.permitTitle ?? i.permitId}</Link> : <span className="muted">none</span>}</td>
                    <td>
                      {i.elementName ?? i.elementId} <span className="muted">({i.processDefinitionId})</span>
                    </td>
                    <td>
                      <code>{i.errorType}</code> {i.errorMessage}
                    </td>
                    <td>{i.whatToDo}</td>
                    <td>{when(i.creationTime)}</td>
                    <td>
                      <ActionButton label="Retry" run={() => api('POST', `/operations/incidents/${i.incidentKey}/retry`)} onDone={incidents.reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
      </Section>
    </>
  );
}
