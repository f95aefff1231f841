/** The permit's output requests, and a new one: choose the files under /outputs, describe each, submit. */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { EgressRequest, PermitView } from '../api/types';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useDraft } from '../drafts';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

interface FileRow {
  path: string;
  description: string;
}

export function OutputsPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const permit = useApi<PermitView>(`/permits/${id}`);
  const requests = useApi<EgressRequest[]>(`/permits/${id}/egress-requests`);
  useLiveEvents(() => {
    permit.reload();
    requests.reload();
  }, (e) => e.permitId === id);
  const [draft, setDraft, clear] = useDraft(`${id}:output-request`, { title: '', twoReviewers: true, files: [{ path: '', description: '' }] as FileRow[] });
  const [error, setError] = useState<unknown>();
  const p = permit.data;
  const setFile = (index: number, row: Partial<FileRow>) => setDraft({ ...draft, files: draft.files.map((f, i) => (i === index ? { ...f, ...row } : f)) });
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> / {p ? <Link to={`/permits/${id}`}>{p.title}</Link> : null} /
      </p>
      <h1>Output requests</h1>
      <ProblemMessage error={permit.error ?? requests.error} />
      {requests.loading && !requests.data ? <Loading what="output requests" /> : null}
      {requests.data ? (
        requests.data.length === 0 ? (
          <p>No output requests yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Files</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/permits/${id}/outputs/${r.id}`}>{r.title}</Link>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.files.length}</td>
                  <td>{when(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {p?.allowedActions.includes('create-egress-request') ? (
        <Section title="Request the release of outputs">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              setError(undefined);
              const files = draft.files.filter((f) => f.path.trim()).map((f) => ({ path: f.path.trim(), ...(f.description.trim() ? { description: f.description.trim() } : {}) }));
              api<EgressRequest>('POST', `/permits/${id}/egress-requests`, { title: draft.title, files, requiredReviews: draft.twoReviewers ? 2 : 1 })
                .then((created) => api('POST', `/permits/${id}/egress-requests/${created.id}/submit`).then(() => created))
                .then(
                  (created) => {
                    clear();
                    void navigate(`/permits/${id}/outputs/${created.id}`);
                  },
                  (err: unknown) => {
                    setError(err);
                    requests.reload();
                  },
                );
            }}
          >
            <label htmlFor="egress-title">What these outputs are</label>
            <input id="egress-title" required minLength={3} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
            <fieldset>
              <legend>Files under /outputs</legend>
              {draft.files.map((file, index) => (
                <div className="file-row" key={index}>
                  <label htmlFor={`file-${index}`}>File {index + 1} path</label>
                  <input id={`file-${index}`} required={index === 0} value={file.path} onChange={(e) => setFile(index, { path: e.target.value })} placeholder="tables/table1.csv" />
                  <label htmlFor={`file-${index}-desc`}>File {index + 1} description</label>
                  <input id={`file-${index}-desc`} value={file.description} onChange={(e) => setFile(index, { description: e.target.value })} />
                </div>
              ))}
              <button type="button" className="secondary" onClick={() => setDraft({ ...draft, files: [...draft.files, { path: '', description: '' }] })}>
                Add another file
              </button>
            </fieldset>
            <label className="check">
              <input type="checkbox" checked={draft.twoReviewers} onChange={(e) => setDraft({ ...draft, twoReviewers: e.target.checked })} /> Two independent reviewers
            </label>
            <ProblemMessage error={error} label="The output request was not submitted" />
            <div>
              <button type="submit">Submit output request</button>
            </div>
          </form>
        </Section>
      ) : null}
    </>
  );
}
