/**
 * The permit's output requests, the files in outputs (and, for the research team during analysis, putting one
 * there), a new request: pick files from outputs, describe each (a supporting file is checked and reviewed but
 * never released), submit. Releases with their downloads below.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { EgressRequest, OutputFile, PermitView, Release } from '../api/types';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useDraft } from '../drafts';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';
import { OutputsZone } from './egress/outputs-zone';
import { ReleasesSection } from './egress/releases-section';

interface FileRow {
  path: string;
  description: string;
  supporting?: boolean;
}

export function OutputsPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const permit = useApi<PermitView>(`/permits/${id}`);
  const requests = useApi<EgressRequest[]>(`/permits/${id}/egress-requests`);
  const outputs = useApi<OutputFile[]>(`/permits/${id}/outputs`);
  const releases = useApi<Release[]>(`/permits/${id}/releases`);
  useLiveEvents(() => {
    permit.reload();
    requests.reload();
    outputs.reload();
    releases.reload();
  }, (e) => e.permitId === id);
  const [draft, setDraft, clear] = useDraft(`${id}:output-request`, { title: '', files: [] as FileRow[] });
  const [error, setError] = useState<unknown>();
  const p = permit.data;
  const chosen = (path: string) => draft.files.find((f) => f.path === path);
  const toggle = (path: string, on: boolean) =>
    setDraft({ ...draft, files: on ? [...draft.files.filter((f) => f.path !== path), { path, description: '' }] : draft.files.filter((f) => f.path !== path) });
  const setFile = (path: string, row: Partial<FileRow>) => setDraft({ ...draft, files: draft.files.map((f) => (f.path === path ? { ...f, ...row } : f)) });
  const researcher = p?.myTeamRoles.includes('RESEARCH_TEAM') ?? false;
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
                <th scope="col">Reviews needed</th>
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
                  <td title={r.requiredReviewsReason ?? undefined}>{r.requiredReviews === null ? 'decided when submitted' : r.requiredReviews}</td>
                  <td>{when(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {outputs.error ? null : <OutputsZone permitId={id} files={outputs.data} canPut={researcher && (p?.status === 'ANALYSIS_ACTIVE' || p?.status === 'EGRESS_REVIEW_PENDING')} closed={p?.status === 'CLOSED'} onChange={outputs.reload} />}
      {p?.allowedActions.includes('create-egress-request') ? (
        <Section title="Request the release of outputs">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              setError(undefined);
              const files = draft.files.filter((f) => f.path.trim()).map((f) => ({ path: f.path.trim(), ...(f.description.trim() ? { description: f.description.trim() } : {}), ...(f.supporting ? { supporting: true } : {}) }));
              api<EgressRequest>('POST', `/permits/${id}/egress-requests`, { title: draft.title, files })
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
            {outputs.error ? (
              <fieldset>
                <legend>Files under /outputs</legend>
                {[...draft.files, { path: '', description: '' }].map((file, index) => (
                  <div className="file-row" key={index}>
                    <label htmlFor={`file-${index}`}>File {index + 1} path</label>
                    <input
                      id={`file-${index}`}
                      value={file.path}
                      onChange={(e) => setDraft({ ...draft, files: [...draft.files.slice(0, index), { ...file, path: e.target.value }, ...draft.files.slice(index + 1)].filter((f) => f.path !== '' || f.description !== '') })}
                      placeholder="tables/table1.csv"
                    />
                    <label htmlFor={`file-${index}-desc`}>File {index + 1} description</label>
                    <input id={`file-${index}-desc`} value={file.description} onChange={(e) => setDraft({ ...draft, files: [...draft.files.slice(0, index), { ...file, description: e.target.value }, ...draft.files.slice(index + 1)] })} />
                  </div>
                ))}
              </fieldset>
            ) : null}
            <fieldset hidden={Boolean(outputs.error)}>
              <legend>Files from outputs</legend>
              {(outputs.data ?? []).length === 0 ? <p>Put the files into outputs first (above).</p> : null}
              {(outputs.data ?? []).map((file, index) => {
                const row = chosen(file.path);
                return (
                  <div className="file-pick" key={file.path}>
                    <label className="check">
                      <input type="checkbox" checked={row !== undefined} onChange={(e) => toggle(file.path, e.target.checked)} /> <code>{file.path}</code>
                    </label>
                    {row ? (
                      <div className="file-row">
                        <label htmlFor={`file-${index}-desc`}>Description</label>
                        <input id={`file-${index}-desc`} value={row.description} onChange={(e) => setFile(file.path, { description: e.target.value })} />
                        <span />
                        <label className="check">
                          <input type="checkbox" checked={row.supporting === true} onChange={(e) => setFile(file.path, { supporting: e.target.checked })} /> Supporting file (for the checks and reviewers; not released)
                        </label>
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </fieldset>
            <p>
              How many HDAB reviewers look at the request is not yours to choose: the HDAB&apos;s output release policy decides it when you submit, from the files and what the
              disclosure checks find (one review, or two independent ones).
            </p>
            <ProblemMessage error={error} label="The output request was not submitted" />
            <div>
              <button type="submit" disabled={draft.files.length === 0}>
                Submit output request
              </button>
            </div>
          </form>
        </Section>
      ) : null}
      <ReleasesSection permitId={id} releases={releases.data} canDownload={researcher} />
    </>
  );
}
