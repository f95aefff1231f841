/**
 * One permit for everyone on it: status and validity, what the person may do now (from the API's
 * `allowedActions`), the team, decisions with comments, the timeline from the audit log and the process drawn with
 * bpmn-js. Live events about the permit reload it.
 */
import { Suspense, lazy } from 'react';
import { Link, useParams } from 'react-router';
import type { PermitView } from '../api/types';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useLiveEvents } from '../events';
import { day, teamRoleLabel, when } from '../format';
import { useApi } from '../use-api';
import { PermitActions } from './permit/permit-actions';
import { DecisionsSection } from './permit/decisions-section';
import { TeamSection } from './permit/team-section';
import { TimelineSection } from './permit/timeline-section';

const ProcessDiagram = lazy(() => import('./permit/process-diagram').then((m) => ({ default: m.ProcessDiagram })));

export function PermitPage() {
  const { id = '' } = useParams();
  const permit = useApi<PermitView>(`/permits/${encodeURIComponent(id)}`);
  useLiveEvents(() => permit.reload(), (e) => e.permitId === id);
  if (permit.error) {
    return (
      <>
        <h1>Permit</h1>
        <ProblemMessage error={permit.error} />
        <p>
          <Link to="/permits">Back to your permits</Link>
        </p>
      </>
    );
  }
  const p = permit.data;
  if (!p) return <Loading what="the permit" />;
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> /
      </p>
      <h1>{p.title}</h1>
      <div className="summary">
        <p>
          Status: <StatusBadge status={p.status} />
        </p>
        <p>
          Valid {p.validFrom ? `from ${day(p.validFrom)} ` : ''}until {day(p.validUntil)} · applied by {p.createdBy} on {when(p.createdAt)}
          {p.myTeamRoles.length > 0 ? ` · your role: ${p.myTeamRoles.map(teamRoleLabel).join(', ')}` : ''}
        </p>
      </div>
      <nav aria-label="Permit pages" className="subnav">
        <ul>
          <li>
            <Link to={`/permits/${p.id}/workspace`}>Workspace</Link>
          </li>
          <li>
            <Link to={`/permits/${p.id}/ingress`}>Data delivery</Link>
          </li>
          <li>
            <Link to={`/permits/${p.id}/outputs`}>Output requests</Link>
          </li>
          {p.myTeamRoles.includes('HDAB_TEAM') ? (
            <li>
              <Link to={`/tasks?permitId=${p.id}`}>Tasks for this permit</Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <Section title="Purpose">
        <p className="prewrap">{p.purpose}</p>
      </Section>
      <PermitActions permit={p} onChanged={permit.reload} />
      <div className="grid">
        <TeamSection permit={p} />
        <DecisionsSection permitId={p.id} />
      </div>
      <Section title="Process" id="process">
        <Suspense fallback={<Loading what="the diagram" />}>
          <ProcessDiagram permitId={p.id} />
        </Suspense>
      </Section>
      <TimelineSection permitId={p.id} />
    </>
  );
}
