/**
 * The one credential the embedded engine accepts (HTTP Basic, as Camunda 8.8 self-managed does with basic
 * authentication), and the official client's settings that send it. The names are the client's own documented
 * variables, so one set of CAMUNDA_* variables configures both the engine and its clients.
 */
import { randomBytes } from 'node:crypto';

export interface EngineCredentials {
  username: string;
  password: string;
}

/** The user name of a generated credential. */
export const GENERATED_USERNAME = 'spe-engine';

/** The official client's settings for this engine (`@camunda8/sdk` and `@camunda8/orchestration-cluster-api` read the same names). */
// A type alias, not an interface, so it fits `Record<string, string>` settings parameters.
export type EngineClientSettings = {
  ZEEBE_REST_ADDRESS: string;
  CAMUNDA_REST_ADDRESS: string;
  CAMUNDA_AUTH_STRATEGY: 'BASIC';
  CAMUNDA_BASIC_AUTH_USERNAME: string;
  CAMUNDA_BASIC_AUTH_PASSWORD: string;
};

/** 32 random bytes, base64url: safe in a shell `export`, a .env file and a Basic header alike. */
export function generateCredentials(): EngineCredentials {
  return { username: GENERATED_USERNAME, password: randomBytes(32).toString('base64url') };
}

export function clientSettingsFor(url: string, credentials: EngineCredentials): EngineClientSettings {
  return {
    ZEEBE_REST_ADDRESS: url,
    CAMUNDA_REST_ADDRESS: url,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: credentials.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: credentials.password,
  };
}

/**
 * A user name and password HTTP Basic can carry: the user name may not contain ':' (RFC 7617), neither may hold
 * control characters (they would not survive a header).
 */
export function credentialProblem(credentials: EngineCredentials): string | undefined {
  if (credentials.username.length === 0) return 'the user name is empty';
  if (credentials.username.includes(':')) return "the user name contains ':', which HTTP Basic cannot carry";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(credentials.username + credentials.password)) return 'the user name or password contains a control character';
  if (credentials.password.length < 8) return 'the password is shorter than 8 characters';
  return undefined;
}
