/** The permit's workspaces: phase, state, how to connect; the research team submits the setup for review here. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { PermitView, Workspace } from '../api/types';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useDraft } from '../drafts';
import { useLiveEvents } from '../events';
import { when, words } from '../format';
import { useApi } from '../use-api';

export function WorkspacePage() {
  const { id = '' } = useParams();
  const permit = useApi<PermitView>(`/permits/${id}`);
  const workspaces = useApi<{ items: Workspace[] }>(`/permits/${id}/workspaces`);
  useLiveEvents(() => {
    permit.reload();
    workspaces.reload();
  }, (e) => e.permitId === id);
  const [draft, setDraft, clear] = useDraft(`${id}:setup-note`, { note: '' });
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const p = permit.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> / {p ? <Link to={`/permits/${id}`}>{p.title}</Link> : null} /
      </p>
      <h1>Workspace</h1>
      <ProblemMessage error={permit.error ?? workspaces.error} />
      {p ? (
        <p>
          Permit status: <StatusBadge status={p.status} />
        </p>
      ) : null}
      {workspaces.loading && !workspaces.data ? <Loading what="workspaces" /> : null}
      {workspaces.data && workspaces.data.items.length === 0 ? <p>No workspace yet: it is set up once the prepared data are signed off.</p> : null}
      {workspaces.data?.items.map((w) => (
        <Section key={w.phase} title={`${words(w.phase)} workspace`} id={`ws-${w.phase}`}>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              {words(w.status)}
              {w.suspended ? ' (suspended)' : w.running ? ', running' : ', stopped'}
            </dd>
            <dt>Network</dt>
            <dd>{w.network === 'none' ? 'No internet' : 'Through the approved proxy only'}{w.networkLocked ? ' (locked for good)' : ''}</dd>
            <dt>Data</dt>
            <dd>{w.mounts.length === 0 ? 'none mounted' : w.mounts.map((m) => `${m.volume}${m.readOnly ? ' (read-only)' : ''}`).join(', ')}</dd>
            <dt>Who can connect</dt>
            <dd>{w.members.length === 0 ? 'nobody right now' : w.members.join(', ')}</dd>
            <dt>Last checked</dt>
            <dd>{when(w.observed?.observedAt)}</dd>
          </dl>
          {w.observed?.failure ? <p className="problem">Last change stopped: {w.observed.failure}</p> : null}
          {w.status === 'active' && !w.suspended ? (
            <p>
              How to connect: open the access gateway and sign in with your platform account; you land in the {w.phase} workspace
              {w.members.length > 0 ? '' : ' once you are on its access list'}. Data are under <code>/prepared_data</code>, outputs go to <code>/outputs</code>.
            </p>
          ) : null}
        </Section>
      ))}
      {p?.allowedActions.includes('submit-setup-for-review') ? (
        <Section title="Submit the setup for review">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              setError(undefined);
              api('POST', `/permits/${id}/workspace/submit-for-review`, draft.note.trim() ? { note: draft.note.trim() } : {}).then(
                () => {
                  clear();
                  setDraft({ note: '' });
                  setSent(true);
                  permit.reload();
                },
                (err: unknown) => setError(err),
              );
            }}
          >
            <label htmlFor="setup-note">What you installed and why (for the reviewer)</label>
            <textarea id="setup-note" rows={4} value={draft.note} onChange={(e) => setDraft({ note: e.target.value })} />
            <ProblemMessage error={error} label="The setup was not submitted" />
            <div>
              <button type="submit">Submit setup for review</button>
            </div>
          </form>
        </Section>
      ) : null}
      {sent ? <p role="status">Submitted: the workspace is frozen while the HDAB reviews it.</p> : null}
    </>
  );
}
