/**
 * A reviewer's inbox (embedded mode's Tasklist): open tasks of the permits they review, assign to me / unassign,
 * due and follow-up dates, filter by stage and permit (`/tasks?permitId=` from emails), sort.
 */
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { InboxTask } from '../api/types';
import { useSession } from '../auth/use-session';
import { ActionButton, Loading, ProblemMessage } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

const SORTS = {
  due: { label: 'Due date', key: (t: InboxTask) => t.dueDate ?? '9999' },
  created: { label: 'Created', key: (t: InboxTask) => t.creationDate ?? '' },
  permit: { label: 'Permit', key: (t: InboxTask) => t.permit.title.toLowerCase() },
  task: { label: 'Task', key: (t: InboxTask) => t.name.toLowerCase() },
} as const;
type SortKey = keyof typeof SORTS;

export function InboxPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const tasks = useApi<InboxTask[]>('/tasks');
  useLiveEvents(() => tasks.reload(), (e) => e.name.startsWith('permit.') || e.name.startsWith('task') || e.name.startsWith('review'));
  const permitId = params.get('permitId') ?? '';
  const stage = params.get('stage') ?? '';
  const sort = (params.get('sort') ?? 'due') as SortKey;
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const all = tasks.data ?? [];
  const stages = [...new Set(all.map((t) => t.name))].sort();
  const permits = [...new Map(all.map((t) => [t.permit.id, t.permit.title])).entries()];
  const sortKey = (SORTS[sort] ?? SORTS.due).key;
  const shown = all
    .filter((t) => (!permitId || t.permit.id === permitId) && (!stage || t.name === stage))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.userTaskKey.localeCompare(b.userTaskKey));
  return (
    <>
      <h1>Inbox</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label="Filter and sort tasks">
        <label htmlFor="filter-stage">Stage</label>
        <select id="filter-stage" value={stage} onChange={(e) => update('stage', e.target.value)}>
          <option value="">All stages</option>
          {stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="filter-permit">Permit</label>
        <select id="filter-permit" value={permitId} onChange={(e) => update('permitId', e.target.value)}>
          <option value="">All permits</option>
          {permits.map(([pid, title]) => (
            <option key={pid} value={pid}>
              {title}
            </option>
          ))}
          {permitId && !permits.some(([pid]) => pid === permitId) ? <option value={permitId}>This permit (no open tasks)</option> : null}
        </select>
        <label htmlFor="sort">Sort by</label>
        <select id="sort" value={sort} onChange={(e) => update('sort', e.target.value)}>
          {Object.entries(SORTS).map(([key, { label }]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </form>
      {tasks.loading && !tasks.data ? <Loading what="your tasks" /> : null}
      <ProblemMessage error={tasks.error} />
      {tasks.data ? (
        shown.length === 0 ? (
          <p role="status">No open tasks{permitId || stage ? ' match the filter' : ''}. New tasks appear here as the permits move on.</p>
        ) : (
          <table>
            <caption className="visually-hidden">Open tasks</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Permit</th>
                <th scope="col">Assignee</th>
                <th scope="col">Due</th>
                <th scope="col">Follow up</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.userTaskKey}>
                  <td>
                    <Link to={`/tasks/${t.userTaskKey}`}>{t.name}</Link>
                  </td>
                  <td>
                    <Link to={`/permits/${t.permit.id}`}>{t.permit.title}</Link>
                  </td>
                  <td>{t.assignee ? (t.assignee === user?.userId ? 'you' : t.assignee) : <span className="muted">nobody</span>}</td>
                  <td>{when(t.dueDate)}</td>
                  <td>{when(t.followUpDate)}</td>
                  <td>{when(t.creationDate)}</td>
                  <td>
                    {t.assignee === user?.userId ? (
                      <ActionButton kind="secondary" label="Unassign" run={() => api('DELETE', `/tasks/${t.userTaskKey}/assignment`)} onDone={tasks.reload} />
                    ) : !t.assignee ? (
                      <ActionButton kind="secondary" label="Assign to me" run={() => api('POST', `/tasks/${t.userTaskKey}/assignment`)} onDone={tasks.reload} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </>
  );
}
