/**
 * `URL.parse` (Node 22.1+) for Node 20: oidc-provider v9 calls it to check redirect URIs and resource
 * indicators. Installed only where it is missing; same contract as Node's (a URL, or null when it does not parse).
 */
type UrlParse = (url: string | URL, base?: string | URL) => URL | null;

export function parseUrlOrNull(url: string | URL, base?: string | URL): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

export function installUrlParse(): void {
  const withParse = URL as unknown as { parse?: UrlParse };
  if (typeof withParse.parse !== 'function') withParse.parse = parseUrlOrNull;
}
