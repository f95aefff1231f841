/**
 * The browser's session: OpenID Connect authorization code + PKCE with oidc-client-ts against the issuer that
 * `GET /api/web-config` names (the development issuer on `npm start`, Keycloak or another provider in production).
 * Tokens live in sessionStorage (gone with the tab); the access token is renewed silently before it expires. When
 * renewal fails or the API answers 401, the app says so and offers to sign in again; forms keep their drafts
 * (drafts.ts) and the sign-in returns to the same page.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';

export interface WebConfig {
  issuer: string;
  clientId: string;
  scope: string;
  audience?: string;
}

export interface SessionUser {
  userId: string;
  name: string;
  email?: string;
  roles: string[];
}

type Listener = () => void;

let manager: UserManager | undefined;
let user: User | null = null;
let expired = false;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The claims of a JWT's payload (the access token the API reads), or {} when it is not a JWT. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Who is signed in, as the API sees it: the access token's subject, name and roles. */
export function sessionUser(): SessionUser | null {
  if (!user || user.expired) return null;
  const claims = { ...(user.profile as Record<string, unknown>), ...jwtClaims(user.access_token) };
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : typeof claims.roles === 'string' ? claims.roles.split(/\s+/) : [];
  const userId = text(claims.sub) ?? '';
  const email = text(claims.email);
  return { userId, name: text(claims.name) ?? text(claims.preferred_username) ?? userId, roles, ...(email ? { email } : {}) };
}

export function sessionExpired(): boolean {
  return expired;
}

async function loadConfig(): Promise<WebConfig> {
  const response = await fetch('/api/web-config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The platform did not give its sign-in settings (GET /api/web-config answered ${response.status}).`);
  return (await response.json()) as WebConfig;
}

export async function initSession(): Promise<void> {
  const config = await loadConfig();
  const origin = window.location.origin;
  manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}/signed-in`,
    post_logout_redirect_uri: `${origin}/`,
    silent_redirect_uri: `${origin}/signed-in`,
    response_type: 'code',
    scope: config.scope,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // The access token's audience is the provider's business (a resource indicator default, a Keycloak audience
    // mapper); the app only passes the token on.
  });
  manager.events.addUserLoaded((loaded) => {
    user = loaded;
    expired = false;
    emit();
  });
  manager.events.addUserUnloaded(() => {
    user = null;
    emit();
  });
  manager.events.addAccessTokenExpired(() => {
    expired = true;
    emit();
  });
  manager.events.addSilentRenewError(() => {
    expired = true;
    emit();
  });
  user = await manager.getUser();
  if (user?.expired) {
    expired = true;
    user = null;
  }
}

export async function accessToken(): Promise<string | undefined> {
  if (!user || user.expired) return undefined;
  return user.access_token;
}

/** Sends the browser to the issuer; it comes back to /signed-in and then to `returnTo`. */
export async function signIn(returnTo: string): Promise<void> {
  if (!manager) throw new Error('The session is not ready yet.');
  await manager.signinRedirect({ state: { returnTo } });
}

/** Finishes the sign-in on /signed-in; returns where to go next. */
export async function completeSignIn(): Promise<string> {
  if (!manager) throw new Error('The session is not ready yet.');
  const signedIn = await manager.signinCallback();
  if (signedIn) {
    user = signedIn;
    expired = false;
    emit();
  }
  const state = signedIn?.state as { returnTo?: unknown } | undefined;
  const returnTo = typeof state?.returnTo === 'string' && state.returnTo.startsWith('/') && !state.returnTo.startsWith('//') ? state.returnTo : '/';
  return returnTo;
}

export async function signOut(): Promise<void> {
  if (!manager) return;
  const idToken = user?.id_token;
  await manager.removeUser();
  user = null;
  emit();
  await manager.signoutRedirect(idToken ? { id_token_hint: idToken } : {}).catch(() => window.location.assign('/'));
}

/** The API said 401: the token is no longer accepted; the app offers to sign in again. */
export function onUnauthorized(): void {
  if (!expired) {
    expired = true;
    emit();
  }
}
