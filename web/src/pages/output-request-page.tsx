/** One output request: its files, its status, the reviewers' decisions and comments; rework means resubmitting. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { EgressRequest, PermitView, Release, RequestFile, ReviewDecision } from '../api/types';
import { ActionButton, Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';
import { DecisionList } from './permit/decisions-section';
import { ReleasesSection } from './egress/releases-section';
import { RequestFiles } from './egress/request-files';

export function OutputRequestPage() {
  const { id = '', rid = '' } = useParams();
  const permit = useApi<PermitView>(`/permits/${id}`);
  const request = useApi<EgressRequest>(`/permits/${id}/egress-requests/${rid}`);
  const reviews = useApi<ReviewDecision[]>(`/permits/${id}/reviews`);
  const files = useApi<RequestFile[]>(`/permits/${id}/egress-requests/${rid}/files`);
  const releases = useApi<Release[]>(`/permits/${id}/releases`);
  useLiveEvents(() => {
    permit.reload();
    request.reload();
    reviews.reload();
    files.reload();
    releases.reload();
  }, (e) => e.permitId === id);
  const r = request.data;
  const researcher = permit.data?.myTeamRoles.includes('RESEARCH_TEAM') ?? false;
  const reviewer = permit.data?.myTeamRoles.includes('HDAB_TEAM') ?? false;
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> / {permit.data ? <Link to={`/permits/${id}`}>{permit.data.title}</Link> : null} / <Link to={`/permits/${id}/outputs`}>Output requests</Link> /
      </p>
      <h1>{r ? r.title : 'Output request'}</h1>
      <ProblemMessage error={request.error} />
      {!r ? <Loading what="the output request" /> : null}
      {r ? (
        <>
          <p>
            Status: <StatusBadge status={r.status} /> · created by {r.createdBy} on {when(r.createdAt)}
          </p>
          <RequiredReviews request={r} />
          {researcher && (r.status === 'DRAFT' || r.status === 'REWORK_REQUESTED') ? (
            <div className="actions">
              <ActionButton
                label={r.status === 'DRAFT' ? 'Submit for review' : 'Resubmit after rework'}
                run={() => api('POST', `/permits/${id}/egress-requests/${rid}/submit`)}
                onDone={() => {
                  request.reload();
                  files.reload();
                }}
              />
            </div>
          ) : null}
          <Section title="Files">
            <p>
              The platform checks every table for disclosure risk when the request is submitted (minimum cell count, dominance, totals that give a suppressed cell away).
              The checks advise; the reviewers decide.
            </p>
            <ProblemMessage error={files.error} />
            {files.data ? (
              <RequestFiles permitId={id} requestId={rid} files={files.data} reviewer={reviewer} />
            ) : (
              <ul>
                {r.files.map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code>
                    {f.description ? ` — ${f.description}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <ReleasesSection permitId={id} releases={releases.data} canDownload={researcher} only={rid} />
          <Section title="Decisions and comments">
            <DecisionList decisions={(reviews.data ?? []).filter((d) => d.egressRequestId === rid)} />
          </Section>
        </>
      ) : null}
    </>
  );
}

/** How many independent reviews the HDAB's output release policy requires, and why; shown to the team and the reviewers. */
function RequiredReviews({ request }: { request: EgressRequest }) {
  if (request.requiredReviews === null) {
    return <p>Reviews needed: decided by the HDAB&apos;s output release policy when the request is submitted (one review, or two independent ones).</p>;
  }
  return (
    <p>
      Reviews needed: <strong>{request.requiredReviews === 2 ? 'two independent reviewers' : 'one reviewer'}</strong> (the HDAB&apos;s output release policy)
      {request.requiredReviewsReason ? ` — ${request.requiredReviewsReason}` : ''}
    </p>
  );
}
