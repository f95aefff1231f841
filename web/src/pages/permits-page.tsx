/** The permits the person is on (administrators: all), filterable by status and text. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Permit } from '../api/types';
import { hasRole, useSession } from '../auth/use-session';
import { Loading, ProblemMessage, StatusBadge } from '../components/ui';
import { useLiveEvents } from '../events';
import { day, when } from '../format';
import { useApi } from '../use-api';

export function PermitsPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const list = useApi<{ items: Permit[]; total: number }>(`/permits?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  useLiveEvents(() => list.reload(), (e) => e.name.startsWith('permit.'));
  return (
    <>
      <h1>Permits</h1>
      <div className="toolbar">
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setParams(text ? { q: text } : {});
          }}
        >
          <label htmlFor="permit-search">Search titles</label>
          <input id="permit-search" type="search" value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="secondary">
            Search
          </button>
        </form>
        {hasRole(user, 'researcher') ? (
          <Link className="button" to="/permits/new">
            Apply for a permit
          </Link>
        ) : null}
      </div>
      {list.loading && !list.data ? <Loading what="permits" /> : null}
      <ProblemMessage error={list.error} />
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>No permits{q ? ` match “${q}”` : ' yet'}.</p>
        ) : (
          <table>
            <caption className="visually-hidden">Permits, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Valid until</th>
                <th scope="col">Applicant</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/permits/${p.id}`}>{p.title}</Link>
                  </td>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                  <td>{day(p.validUntil)}</td>
                  <td>{p.createdBy}</td>
                  <td>{when(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </>
  );
}
