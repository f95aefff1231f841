/** Operators (admin): incidents across permits with the failing step, the error, what to do and a retry; health. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Incident } from '../api/types';
import { ActionButton, Loading, ProblemMessage, Section } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

interface Readiness {
  status: 'pass' | 'fail';
  checks: Record<string, { status: 'pass' | 'fail'; durationMs: number; error?: string }>;
}

/** `GET /api/ready` answers 503 with the same body when a part is down: both are an answer here. */
function useReadiness() {
  const [data, setData] = useState<Readiness>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    fetch('/api/ready', { headers: { accept: 'application/json' } })
      .then(async (res) => {
        const body = (await res.json()) as Readiness;
        if (current) {
          setData(body);
          setError(undefined);
        }
      })
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [round]);
  return { data, error, loading: !data && !error, reload: () => setRound((r) => r + 1) };
}

export function OperationsPage() {
  const incidents = useApi<{ items: Incident[] }>('/operations/incidents');
  const health = useReadiness();
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
              Overall: <strong>{health.data.status === 'pass' ? 'all parts ready' : 'something needs attention'}</strong>{' '}
              <ActionButton kind="secondary" label="Check again" run={async () => health.reload()} />
            </p>
            <ul className="plain">
              {Object.entries(health.data.checks).map(([name, check]) => (
                <li key={name}>
                  <span className={check.status === 'pass' ? 'ok' : 'bad'}>{check.status === 'pass' ? 'Ready' : 'Not ready'}</span> <strong>{name}</strong>
                  {check.error ? ` — ${check.error}` : ` (answered in ${check.durationMs} ms)`}
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
