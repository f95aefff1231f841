/**
 * The few parts of oidc-provider (v9, untyped JavaScript) the development OpenID Provider uses. Only what
 * dev-openid-provider.ts touches is declared; the configuration object is checked by oidc-provider at start.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcClient {
    clientId: string;
    clientName?: string;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
  }

  export interface OidcToken {
    kind: string;
    accountId?: string;
    clientId?: string;
  }

  export interface OidcGrant {
    jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface OidcSession {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface OidcContext {
    host: string;
    /** Koa's protocol://host of the request. */
    origin: string;
    type: string;
    body: unknown;
    status: number;
    set(field: string, value: string): void;
    oidc: {
      client?: OidcClient;
      session?: OidcSession;
      params?: Record<string, unknown>;
      result?: { consent?: { grantId?: string } };
      requestParamOIDCScopes?: Set<string>;
      provider: Provider;
    };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    returnTo: string;
  }

  export interface OidcAccount {
    accountId: string;
    claims(use: string, scope: string): Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: {
      new (init: { clientId: string; accountId: string }): OidcGrant;
      find(id: string): Promise<OidcGrant | undefined>;
    };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export const errors: Record<string, new (description?: string) => Error>;

  export interface InteractionPolicy {
    get(name: string): { checks: { remove(reason: string): void } } | undefined;
  }
  export const interactionPolicy: { base(): InteractionPolicy };
  export default Provider;
}

/** oidc-provider's own in-memory store, one per provider (no shared module state, no start-up warning). */
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
