/**
 * The web app: routes, the frame around every page (skip link, header with navigation, the signed-in person and
 * their roles, notifications with the unread count, sign-out) and sign-in before any page. Each route a
 * notification links to (docs/notifications.md "Links") is here.
 */
import { Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, NavLink, Route, Routes, useLocation } from 'react-router';
import { initSession, signIn, signOut } from './auth/session';
import { hasRole, useSession } from './auth/use-session';
import { Loading, ProblemMessage } from './components/ui';
import { startLiveUpdates, useLiveEvents } from './events';
import { HomePage } from './pages/home-page';
import { SignedInPage } from './pages/signed-in-page';
import { useApi } from './use-api';
import type { NotificationList } from './api/types';

const PermitsPage = lazy(() => import('./pages/permits-page').then((m) => ({ default: m.PermitsPage })));
const ApplyPage = lazy(() => import('./pages/apply-page').then((m) => ({ default: m.ApplyPage })));
const EditDraftPage = lazy(() => import('./pages/edit-draft-page').then((m) => ({ default: m.EditDraftPage })));
const PermitPage = lazy(() => import('./pages/permit-page').then((m) => ({ default: m.PermitPage })));
const WorkspacePage = lazy(() => import('./pages/workspace-page').then((m) => ({ default: m.WorkspacePage })));
const IngressPage = lazy(() => import('./pages/ingress-page').then((m) => ({ default: m.IngressPage })));
const OutputsPage = lazy(() => import('./pages/outputs-page').then((m) => ({ default: m.OutputsPage })));
const OutputRequestPage = lazy(() => import('./pages/output-request-page').then((m) => ({ default: m.OutputRequestPage })));
const InboxPage = lazy(() => import('./pages/inbox-page').then((m) => ({ default: m.InboxPage })));
const TaskPage = lazy(() => import('./pages/task-page').then((m) => ({ default: m.TaskPage })));
const DeliveriesPage = lazy(() => import('./pages/deliveries-page').then((m) => ({ default: m.DeliveriesPage })));
const NotificationsPage = lazy(() => import('./pages/notifications-page').then((m) => ({ default: m.NotificationsPage })));
const OperationsPage = lazy(() => import('./pages/operations-page').then((m) => ({ default: m.OperationsPage })));

export function App() {
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    initSession().then(
      () => setReady(true),
      (err: unknown) => setError(err),
    );
  }, []);
  if (error) {
    return (
      <main id="main" className="page">
        <h1>Sign-in is not available</h1>
        <ProblemMessage error={error} label="The platform's sign-in settings could not be read" />
        <p>Check that the platform runs and reload this page.</p>
      </main>
    );
  }
  if (!ready) return <Loading what="the app" />;
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/signed-in" element={<SignedInPage />} />
        <Route
          path="*"
          element={
            <RequireSignIn>
              <Frame>
                <Suspense fallback={<Loading what="the page" />}>
                  <Routes>
                    <Route path="/" element={<HomePage />} />
                    <Route path="/permits" element={<PermitsPage />} />
                    <Route path="/permits/new" element={<ApplyPage />} />
                    <Route path="/permits/:id" element={<PermitPage />} />
                    <Route path="/permits/:id/edit" element={<EditDraftPage />} />
                    <Route path="/permits/:id/workspace" element={<WorkspacePage />} />
                    <Route path="/permits/:id/ingress" element={<IngressPage />} />
                    <Route path="/permits/:id/outputs" element={<OutputsPage />} />
                    <Route path="/permits/:id/outputs/:rid" element={<OutputRequestPage />} />
                    <Route path="/tasks" element={<InboxPage />} />
                    <Route path="/tasks/:key" element={<TaskPage />} />
                    <Route path="/deliveries" element={<DeliveriesPage />} />
                    <Route path="/notifications" element={<NotificationsPage />} />
                    <Route path="/operations" element={<OperationsPage />} />
                    <Route path="*" element={<NotFound />} />
                  </Routes>
                </Suspense>
              </Frame>
            </RequireSignIn>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}

/** Any page needs a signed-in person: without one, off to the issuer, and back to this very page afterwards. */
function RequireSignIn({ children }: { children: ReactNode }) {
  const { user, expired } = useSession();
  const location = useLocation();
  const returnTo = `${location.pathname}${location.search}${location.hash}`;
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!user && !expired) signIn(returnTo).catch((err: unknown) => setError(err));
  }, [user, expired, returnTo]);
  useEffect(() => (user ? startLiveUpdates() : undefined), [user]);
  if (user || expired) return <>{children}</>;
  return (
    <main id="main" className="page">
      <h1>Signing you in…</h1>
      <ProblemMessage error={error} label="Sign-in could not start" />
    </main>
  );
}

function Frame({ children }: { children: ReactNode }) {
  const { user, expired } = useSession();
  const location = useLocation();
  const unread = useApi<NotificationList>(user ? '/notifications?unread=true&limit=1' : undefined);
  useLiveEvents(() => unread.reload(), (event) => event.name.startsWith('notification.'));
  const returnTo = `${location.pathname}${location.search}${location.hash}`;
  const count = unread.data?.unreadCount ?? 0;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand">SPE data permits</div>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Home
              </NavLink>
            </li>
            <li>
              <NavLink to="/permits">Permits</NavLink>
            </li>
            {hasRole(user, 'hdab-reviewer') || hasRole(user, 'admin') ? (
              <li>
                <NavLink to="/tasks">Inbox</NavLink>
              </li>
            ) : null}
            {hasRole(user, 'data-holder') ? (
              <li>
                <NavLink to="/deliveries">Deliveries</NavLink>
              </li>
            ) : null}
            {hasRole(user, 'admin') ? (
              <li>
                <NavLink to="/operations">Operations</NavLink>
              </li>
            ) : null}
            <li>
              <NavLink to="/notifications" aria-label={`Notifications, ${count} unread`}>
                Notifications {count > 0 ? <span className="count">{count}</span> : null}
              </NavLink>
            </li>
          </ul>
        </nav>
        <div className="who">
          {user ? (
            <>
              <span>
                Signed in as <strong>{user.name}</strong> <span className="muted">({user.roles.join(', ') || 'no roles'})</span>
              </span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : null}
        </div>
      </header>
      {expired ? (
        <div className="banner" role="alert">
          <p>
            Your session has ended. What you typed is kept on this page; sign in again to carry on.{' '}
            <button type="button" onClick={() => void signIn(returnTo)}>
              Sign in again
            </button>
          </p>
        </div>
      ) : null}
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page here. Go to <NavLink to="/">the start page</NavLink> or <NavLink to="/permits">your permits</NavLink>.
      </p>
    </>
  );
}
