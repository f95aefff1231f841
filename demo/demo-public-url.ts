/**
 * Where the demo points people at the end: the platform's one public base URL (`PUBLIC_URL`, as `npm start` reads it
 * from the same environment), else the URL the demo talks to (which is the platform's own default, its origin). The
 * permit's page is the web app route the emails link to, built by the one link builder.
 */
import { checkPublicBaseUrl, createNotificationLinks } from '../job-workers/notification/notification-links.js';

export interface DemoLinks {
  /** The base URL the lines are built on, without a trailing slash. */
  base: string;
  /** The permit's page in the web app (`<base>/permits/{id}`). */
  permitPage(permitId: string): string;
  /** A REST API path under `<base>/api`. */
  api(path: string): string;
}

export function demoLinks(env: { PUBLIC_URL?: string | undefined }, demoUrl: string): DemoLinks {
  const configured = env.PUBLIC_URL?.trim();
  const base = (configured && checkPublicBaseUrl(configured) === undefined ? configured : demoUrl).replace(/\/+$/, '');
  const links = createNotificationLinks(base);
  return { base, permitPage: (permitId) => links.permit(permitId), api: (path) => `${base}/api${path.startsWith('/') ? path : `/${path}`}` };
}
