/**
 * Where the demo points people at the end: the platform's one public base URL, as `npm start` on this machine
 * works it out from the same environment (`PUBLIC_URL`, else its own origin `http://<HOST>:<PORT>`), so the
 * permit's page is the very link the emails carry. A platform elsewhere (a non-local `--url`) without `PUBLIC_URL`
 * here is pointed at through the URL the demo talks to. The page is the web app route built by the one link builder.
 */
import { checkPublicBaseUrl, createNotificationLinks } from '../job-workers/notification/notification-links.js';
import { loadConfig } from '../rest-api/config.js';

export interface DemoLinks {
  /** The base URL the lines are built on, without a trailing slash. */
  base: string;
  /** The permit's page in the web app (`<base>/permits/{id}`). */
  permitPage(permitId: string): string;
  /** A REST API path under `<base>/api`. */
  api(path: string): string;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** The public base URL of the platform at `demoUrl`, read as the platform reads it. */
export function platformPublicUrl(env: NodeJS.ProcessEnv, demoUrl: string): string {
  const configured = env.PUBLIC_URL?.trim();
  if (configured && checkPublicBaseUrl(configured) === undefined) return configured;
  const target = new URL(demoUrl);
  if (LOOPBACK.includes(target.hostname)) {
    try {
      return loadConfig({ ...env, PUBLIC_URL: undefined, PORT: target.port || '80' }).publicUrl;
    } catch {
      // A configuration the platform would refuse: fall back to the URL the demo reached it on.
    }
  }
  return demoUrl;
}

export function demoLinks(env: NodeJS.ProcessEnv, demoUrl: string): DemoLinks {
  const base = platformPublicUrl(env, demoUrl).replace(/\/+$/, '');
  const links = createNotificationLinks(base);
  return { base, permitPage: (permitId) => links.permit(permitId), api: (path) => `${base}/api${path.startsWith('/') ? path : `/${path}`}` };
}
