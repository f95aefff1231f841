/** The person's notifications, newest first, with the unread ones marked; each links to where to act. */
import { Link } from 'react-router';
import { api } from '../api/client';
import type { NotificationList } from '../api/types';
import { ActionButton, Loading, ProblemMessage } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

/** A link the platform built on PUBLIC_URL becomes an in-app path when it points at this origin. */
function inApp(link: string): string {
  try {
    const url = new URL(link, window.location.origin);
    return `${url.pathname}${url.search}`;
  } catch {
    return link;
  }
}

export function NotificationsPage() {
  const list = useApi<NotificationList>('/notifications?limit=100');
  useLiveEvents(() => list.reload(), (e) => e.name.startsWith('notification.'));
  return (
    <>
      <h1>Notifications</h1>
      {list.data ? (
        <p>
          {list.data.unreadCount} unread.{' '}
          {list.data.unreadCount > 0 ? <ActionButton kind="secondary" label="Mark all as read" run={() => api('POST', '/notifications/read-all')} onDone={list.reload} /> : null}
        </p>
      ) : null}
      {list.loading && !list.data ? <Loading what="notifications" /> : null}
      <ProblemMessage error={list.error} />
      <ul className="notifications">
        {list.data?.items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <h2 className="h3">
              {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
              {n.critical ? <span className="badge badge-critical">Important</span> : null} {n.title}
            </h2>
            <p>{n.body}</p>
            <p className="muted">
              {when(n.createdAt)}
              {n.link ? (
                <>
                  {' · '}
                  <Link to={inApp(n.link)} aria-label={`Open: ${n.title}`} onClick={() => void (n.readAt ? undefined : api('POST', `/notifications/${encodeURIComponent(n.id)}/read`))}>
                    Open
                  </Link>
                </>
              ) : null}
              {n.readAt ? null : (
                <>
                  {' · '}
                  <ActionButton kind="secondary" label="Mark as read" run={() => api('POST', `/notifications/${encodeURIComponent(n.id)}/read`)} onDone={list.reload} />
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
