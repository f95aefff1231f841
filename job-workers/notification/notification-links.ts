/**
 * Links in emails, Slack and in-app notifications: the one public base URL (`PUBLIC_URL`, validated at start in
 * `rest-api/config.ts`) plus the route of the web app's page where the person reads or acts. The routes are
 * listed in `docs/notifications.md` ("Links") for the web app to serve; this is the one place that builds them.
 * Every link is absolute, each path segment and query value encoded; a base URL with a path (`https://x.org/spe`)
 * keeps it.
 */
import type { LinkTarget } from './template-catalog.js';

export interface LinkInput {
  permitId: string;
  egressRequestId?: string | undefined;
}

/** The web app's routes, relative to the base URL; `{…}` are filled in encoded. */
export const WEB_ROUTES = {
  permit: '/permits/{permitId}',
  tasks: '/tasks?permitId={permitId}',
  ingress: '/permits/{permitId}/ingress',
  workspace: '/permits/{permitId}/workspace',
  'egress-request': '/permits/{permitId}/outputs/{egressRequestId}',
} as const satisfies Record<LinkTarget, string>;

export interface NotificationLinks {
  /** The page the message sends the person to (an output request without its id falls back to the permit). */
  link(target: LinkTarget, input: LinkInput): string;
  permit(permitId: string): string;
}

/** A base URL links can be built on: absolute http(s), no query, fragment or credentials. */
export function checkPublicBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be http:// or https:// (got ${url.protocol})`;
  if (url.search || url.hash) return 'must not have a query (?…) or fragment (#…)';
  if (url.username || url.password) return 'must not carry a user name or password';
  return undefined;
}

export function createNotificationLinks(publicUrl: string): NotificationLinks {
  const problem = checkPublicBaseUrl(publicUrl);
  if (problem) throw new Error(`the public base URL for notification links ${problem}: "${publicUrl}"`);
  const base = new URL(publicUrl).href.replace(/\/+$/, '');
  const build = (target: LinkTarget, values: Record<string, string>) =>
    base + WEB_ROUTES[target].replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
  return {
    link(target, input) {
      if (target === 'egress-request' && !input.egressRequestId) return build('permit', { permitId: input.permitId });
      return build(target, { permitId: input.permitId, egressRequestId: input.egressRequestId ?? '' });
    },
    permit(permitId) {
      return build('permit', { permitId });
    },
  };
}
