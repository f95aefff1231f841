/**
 * One task: the context a decision needs (permit title, purpose, team, earlier decisions, workspace state) and the
 * task's deployed Camunda Form rendered with form-js, completed through the REST API. A refusal (the decision
 * listener's denial reason, a form value) is shown as the API words it.
 */
import { Suspense, lazy, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { InboxTask, Member, PermitView, ReviewDecision, Workspace } from '../api/types';
import { useSession } from '../auth/use-session';
import { ActionButton, Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { teamRoleLabel, words } from '../format';
import { useApi } from '../use-api';
import { DecisionList } from './permit/decisions-section';

const TaskForm = lazy(() => import('./task/task-form').then((m) => ({ default: m.TaskForm })));

interface TaskDetail {
  task: InboxTask;
  form: { formId: string; schema: unknown } | null;
  variables: Record<string, unknown>;
}

export function TaskPage() {
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const detail = useApi<TaskDetail>(`/tasks/${key}`);
  const permitId = detail.data?.task.permit.id;
  const permit = useApi<PermitView>(permitId ? `/permits/${permitId}` : undefined);
  const members = useApi<Member[]>(permitId ? `/permits/${permitId}/members` : undefined);
  const reviews = useApi<ReviewDecision[]>(permitId ? `/permits/${permitId}/reviews` : undefined);
  const workspaces = useApi<{ items: Workspace[] }>(permitId ? `/permits/${permitId}/workspaces` : undefined);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  if (detail.error) {
    return (
      <>
        <h1>Task</h1>
        <ProblemMessage error={detail.error} />
        <p>
          <Link to="/tasks">Back to the inbox</Link>
        </p>
      </>
    );
  }
  const d = detail.data;
  if (!d) return <Loading what="the task" />;
  const t = d.task;
  return (
    <>
      <p className="crumbs">
        <Link to="/tasks">Inbox</Link> /
      </p>
      <h1>{t.name}</h1>
      <p>
        Permit <Link to={`/permits/${t.permit.id}`}>{t.permit.title}</Link> <StatusBadge status={t.permit.status} /> · assigned to{' '}
        {t.assignee ? (t.assignee === user?.userId ? 'you' : t.assignee) : 'nobody'}{' '}
        {t.assignee === user?.userId ? (
          <ActionButton kind="secondary" label="Unassign" run={() => api('DELETE', `/tasks/${key}/assignment`)} onDone={detail.reload} />
        ) : !t.assignee ? (
          <ActionButton kind="secondary" label="Assign to me" run={() => api('POST', `/tasks/${key}/assignment`)} onDone={detail.reload} />
        ) : null}
      </p>
      <div className="task-layout">
        <div>
          <Section title="Purpose">
            <p className="prewrap">{permit.data?.purpose ?? '…'}</p>
          </Section>
          <Section title="Team">
            <ul className="plain">
              {(members.data ?? []).map((m) => (
                <li key={`${m.userId}:${m.teamRole}`}>
                  {m.userId} <span className="muted">({teamRoleLabel(m.teamRole)})</span>
                </li>
              ))}
            </ul>
          </Section>
          <Section title="Earlier decisions">{reviews.data ? <DecisionList decisions={reviews.data} /> : <Loading what="decisions" />}</Section>
          <Section title="Workspace state">
            {(workspaces.data?.items ?? []).length === 0 ? (
              <p className="muted">No workspace yet.</p>
            ) : (
              <ul className="plain">
                {workspaces.data?.items.map((w) => (
                  <li key={w.phase}>
                    {words(w.phase)}: {words(w.status)}
                    {w.running ? ', running' : ', stopped'}, network {w.network}
                    {w.networkLocked ? ' (locked)' : ''}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
        <Section title="Decision form" id="form">
          {done ? (
            <p role="status">
              Completed. <Link to="/tasks">Back to the inbox</Link>
            </p>
          ) : d.form ? (
            <Suspense fallback={<Loading what="the form" />}>
              <TaskForm
                draftKey={`task:${key}`}
                schema={d.form.schema}
                data={d.variables}
                onSubmit={(variables) => {
                  setError(undefined);
                  api('POST', `/tasks/${key}/complete`, { variables }).then(
                    () => {
                      setDone(true);
                      setTimeout(() => void navigate(`/tasks?permitId=${t.permit.id}`), 1500);
                    },
                    (err: unknown) => setError(err),
                  );
                }}
              />
            </Suspense>
          ) : (
            <ActionButton
              label="Complete task"
              run={() => api('POST', `/tasks/${key}/complete`, { variables: {} })}
              onDone={() => setDone(true)}
            />
          )}
          <ProblemMessage error={error} label="The decision was not accepted" />
        </Section>
      </div>
    </>
  );
}
