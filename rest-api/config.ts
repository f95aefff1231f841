/**
 * The REST API's configuration: read once from the environment at start-up, validated with zod, passed down as
 * `Pick<Config, ...>`. Nothing else in rest-api/ reads process.env. Every error names the variable and says
 * what to do; see docs/rest-api.md ("Configuration") for the table.
 */
import { z } from 'zod';
import { AIRLOCK_ENV, airlockConfigFrom, type AirlockConfig } from '../airlock/airlock-config.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

const url = (variable: string, example: string) =>
  z.url({ error: `${variable} must be an absolute URL, e.g. ${example}` });

const booleanWord = (variable: string) =>
  z.string().transform((value, ctx) => {
    const parsed = BOOLEAN_WORDS[value.trim().toLowerCase()];
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `${variable} must be true or false (got "${value}")` });
      return z.NEVER;
    }
    return parsed;
  });

/** Sizes as body-parser takes them: `100kb`, `1mb`, `512` (bytes). */
const SIZE = /^(\d+)\s*(b|kb|mb)?$/i;
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** Raw variables, one key per environment variable so issues name the variable. */
const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT must be a port number 0-65535 (0 picks a free port)' })
    .int({ error: 'PORT must be a whole number 0-65535' })
    .min(0, { error: 'PORT must be 0-65535' })
    .max(65535, { error: 'PORT must be 0-65535' })
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: url('PUBLIC_URL', 'https://spe.example.org (the address people and clients use to reach the platform)')
    .refine((value) => !URL.canParse(value) || /^https?:$/.test(new URL(value).protocol), { error: 'PUBLIC_URL must be an http:// or https:// URL, e.g. https://spe.example.org' })
    .refine((value) => !URL.canParse(value) || isBareBase(new URL(value)), {
      error: 'PUBLIC_URL must be a base URL without query (?…), fragment (#…) or credentials, e.g. https://spe.example.org or https://example.org/spe',
    })
    .optional(),
  DATABASE_URL: url('DATABASE_URL', 'postgres://user:password@db:5432/spe (unset: embedded PGlite in PERMIT_DATA_DIR)').optional(),
  PERMIT_DATA_DIR: z.string().min(1).default('./data/permits'),
  AMQP_URL: url('AMQP_URL', 'amqp://guest:guest@127.0.0.1:5672 (unset: in-process event delivery)').optional(),
  AMQP_EXCHANGE: z.string().min(1).default('spe.events'),
  OIDC_ISSUER: url('OIDC_ISSUER', 'https://login.example.org/realms/spe (the `iss` of accepted tokens)').optional(),
  OIDC_AUDIENCE: z.string().min(1).default('spe-api'),
  OIDC_JWKS_URL: url('OIDC_JWKS_URL', 'https://login.example.org/realms/spe/protocol/openid-connect/certs (unset: from the issuer discovery document)').optional(),
  OIDC_WEB_CLIENT_ID: z.string().regex(/^[\x21-\x7e]+$/, { error: 'OIDC_WEB_CLIENT_ID must be the client id of the web app at your identity provider (printable, no spaces), e.g. spe-web' }).default('spe-web'),
  DEV_AUTH: booleanWord('DEV_AUTH').optional(),
  NODE_ENV: z.string().default('development'),
  OIDC_MAX_TOKEN_LIFETIME: z.coerce
    .number({ error: 'OIDC_MAX_TOKEN_LIFETIME must be a whole number of seconds (the longest token lifetime exp - iat accepted)' })
    .int({ error: 'OIDC_MAX_TOKEN_LIFETIME must be a whole number of seconds' })
    .min(60, { error: 'OIDC_MAX_TOKEN_LIFETIME must be at least 60 seconds' })
    .max(7 * 86_400, { error: 'OIDC_MAX_TOKEN_LIFETIME must be at most 604800 seconds (7 days)' })
    .default(86_400),
  ZEEBE_REST_ADDRESS: url('ZEEBE_REST_ADDRESS', 'http://zeebe:8080 (unset: the embedded engine)').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'RATE_LIMIT_PER_MINUTE must be a whole number of requests per caller per minute' })
    .int({ error: 'RATE_LIMIT_PER_MINUTE must be a whole number' })
    .min(1, { error: 'RATE_LIMIT_PER_MINUTE must be at least 1' })
    .default(600),
  EVENT_STREAMS_PER_USER: z.coerce
    .number({ error: 'EVENT_STREAMS_PER_USER must be a whole number of open event streams per user' })
    .int({ error: 'EVENT_STREAMS_PER_USER must be a whole number' })
    .min(1, { error: 'EVENT_STREAMS_PER_USER must be at least 1' })
    .default(5),
  BODY_LIMIT: z.string().regex(SIZE, { error: 'BODY_LIMIT must be a size such as 100kb, 1mb or 2048 (bytes)' }).default('100kb'),
  TRUST_PROXY: booleanWord('TRUST_PROXY').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, { error: 'SMTP_URL must start with smtp:// or smtps://, e.g. smtp://user:password@mail.example.org:587 (unset: .eml files in NOTIFICATION_OUTBOX_DIR)' }).optional(),
  NOTIFICATION_OUTBOX_DIR: z.string().min(1).default('./data/outbox'),
  NOTIFICATION_FROM: z.string().min(3).default('SPE platform <noreply@localhost>'),
  NOTIFICATION_OPERATORS: z.string().optional(),
  SLACK_TOKEN: z.string().regex(/^xox[a-z]-/, { error: 'SLACK_TOKEN must be a Slack bot token (xoxb-…); unset turns Slack off' }).optional(),
  SLACK_CHANNELS: z.string().optional(),
  WORKSPACE_DRIVER: z.enum(['manifests', 'kubernetes'], { error: 'WORKSPACE_DRIVER must be manifests (write the objects to a folder) or kubernetes (apply them to the cluster)' }).default('manifests'),
  WORKSPACE_MANIFESTS_DIR: z.string().min(1).default('./data/workspaces'),
  KUBECONFIG: z.string().min(1).optional(),
  WORKSPACE_RENDER_OPTIONS: z.string().min(1).optional(),
  ...AIRLOCK_ENV,
});

export interface Config {
  port: number;
  host: string;
  /**
   * The one public base URL (no trailing slash): the REST API is under `<publicUrl>/api` (the dev issuer's `iss`
   * is `<publicUrl>/api/dev-auth`) and every link in a notification is `<publicUrl>` + a web app route
   * (`docs/notifications.md`, "Links"). Unset: the API's own origin, `http://<HOST>:<PORT>`.
   */
  publicUrl: string;
  databaseUrl: string | undefined;
  permitDataDir: string;
  amqpUrl: string | undefined;
  amqpExchange: string;
  oidcIssuer: string | undefined;
  oidcAudience: string;
  oidcJwksUrl: string | undefined;
  /** The web app's public OIDC client at OIDC_ISSUER (`GET /api/web-config`); the development issuer's is spe-web. */
  oidcWebClientId: string;
  /** The development issuer is mounted and trusted (never in production). */
  devAuth: boolean;
  nodeEnv: string;
  /** Longest accepted token lifetime (exp - iat), seconds. */
  oidcMaxTokenLifetimeSeconds: number;
  zeebeRestAddress: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  rateLimitPerMinute: number;
  /** Open event streams one user may hold per instance. */
  eventStreamsPerUser: number;
  /** Maximum JSON body size in bytes. */
  bodyLimitBytes: number;
  /** Take the client IP from X-Forwarded-For (set when behind a gateway such as Kong). */
  trustProxy: boolean;
  /** Email over SMTP; unset: `.eml` files in `notificationOutboxDir`. */
  smtpUrl: string | undefined;
  notificationOutboxDir: string;
  notificationFrom: string;
  /** Users told about provisioning failures (audience `operators`); default: the seeded admin with the dev issuer. */
  notificationOperators: string[];
  /** Slack bot token; unset turns Slack off. */
  slackToken: string | undefined;
  /** `audience=#channel,…` (raw; parsed by the Slack channel at start-up). */
  slackChannels: string | undefined;
  workspaceDriver: 'manifests' | 'kubernetes';
  workspaceManifestsDir: string;
  /** Kubeconfig file for the kubernetes driver; unset: in-cluster config, else ~/.kube/config. */
  kubeconfig: string | undefined;
  /** A YAML or JSON file of cluster specifics for the workspace objects (job-workers/workspace/render/render-options-file.ts); unset: the defaults. */
  workspaceRenderOptionsFile: string | undefined;
  /** The airlock: store, upload folder, largest file, malware scanner (airlock/airlock-config.ts). */
  airlock: AirlockConfig;
  /**
   * The Camunda SDK's own settings (every `CAMUNDA_*` / `ZEEBE_*` variable, e.g. Basic or OAuth), handed to each
   * client of a cluster at ZEEBE_REST_ADDRESS as given; the auth strategy defaults to NONE (a cluster without
   * auth). With the embedded engine, `startPlatform` puts the engine's address and credential on top.
   */
  camundaSettings: Record<string, string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid REST API configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the environment variables above (docs/rest-api.md, "Configuration").`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
  const raw = Object.fromEntries(Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const message = issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
      // Echo what was given, except for URLs (they may carry passwords).
      const given = raw[variable];
      return given !== undefined && !message.includes('(got') && !message.includes('URL') ? `${message} (got "${given}")` : message;
    }));
  }
  const e = parsed.data;
  const production = isProductionEnv(e.NODE_ENV);
  const problems: string[] = [];
  if (e.DEV_AUTH === true && production) {
    problems.push(`DEV_AUTH=true is refused with NODE_ENV=${e.NODE_ENV} (every value but development and test counts as production): the development issuer mints tokens for anyone. Unset DEV_AUTH and set OIDC_ISSUER to your identity provider.`);
  }
  if (e.DEV_AUTH === true && e.OIDC_ISSUER) {
    problems.push('DEV_AUTH=true and OIDC_ISSUER are both set; tokens would come from two issuers. Unset one of them.');
  }
  const devAuth = e.DEV_AUTH ?? (!e.OIDC_ISSUER && !production);
  if (!devAuth && !e.OIDC_ISSUER && problems.length === 0) {
    problems.push(production
      ? `OIDC_ISSUER is required with NODE_ENV=${e.NODE_ENV} (every value but development and test counts as production): set it to the issuer URL of your identity provider (tokens are verified against its JWKS), or set NODE_ENV=development on a developer machine.`
      : 'OIDC_ISSUER is unset and DEV_AUTH=false, so no caller could authenticate. Set OIDC_ISSUER, or unset DEV_AUTH to use the development issuer.');
  }
  const airlock = airlockConfigFrom(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const size = SIZE.exec(e.BODY_LIMIT) as RegExpExecArray;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? ownOrigin(e.HOST, e.PORT)).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    permitDataDir: e.PERMIT_DATA_DIR,
    amqpUrl: e.AMQP_URL,
    amqpExchange: e.AMQP_EXCHANGE,
    oidcIssuer: e.OIDC_ISSUER,
    oidcAudience: e.OIDC_AUDIENCE,
    oidcJwksUrl: e.OIDC_JWKS_URL,
    oidcWebClientId: e.OIDC_WEB_CLIENT_ID,
    devAuth,
    nodeEnv: e.NODE_ENV,
    oidcMaxTokenLifetimeSeconds: e.OIDC_MAX_TOKEN_LIFETIME,
    zeebeRestAddress: e.ZEEBE_REST_ADDRESS,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    eventStreamsPerUser: e.EVENT_STREAMS_PER_USER,
    bodyLimitBytes: Number(size[1]) * (UNIT_BYTES[(size[2] ?? 'b').toLowerCase()] ?? 1),
    trustProxy: e.TRUST_PROXY ?? false,
    smtpUrl: e.SMTP_URL,
    notificationOutboxDir: e.NOTIFICATION_OUTBOX_DIR,
    notificationFrom: e.NOTIFICATION_FROM,
    notificationOperators: e.NOTIFICATION_OPERATORS !== undefined ? e.NOTIFICATION_OPERATORS.split(',').map((id) => id.trim()).filter(Boolean) : devAuth ? ['adam'] : [],
    slackToken: e.SLACK_TOKEN,
    slackChannels: e.SLACK_CHANNELS,
    workspaceDriver: e.WORKSPACE_DRIVER,
    workspaceManifestsDir: e.WORKSPACE_MANIFESTS_DIR,
    kubeconfig: e.KUBECONFIG,
    workspaceRenderOptionsFile: e.WORKSPACE_RENDER_OPTIONS,
    airlock,
    camundaSettings: {
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      ...Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => /^(CAMUNDA|ZEEBE)_/.test(entry[0]) && typeof entry[1] === 'string' && entry[1] !== '')),
    },
  };
}

/**
 * Only `development` and `test` (in any case, spaces trimmed) are not production. Every other value, `production`
 * but also `Production`, `prod` or `staging`, counts as production, so a typo can never switch the development
 * issuer on.
 */
export function isProductionEnv(nodeEnv: string): boolean {
  return !['development', 'test'].includes(nodeEnv.trim().toLowerCase());
}

/** A base URL links can be appended to: no query, fragment or credentials. */
function isBareBase(url: URL): boolean {
  return !url.search && !url.hash && !url.username && !url.password;
}

/** Where the API answers when no PUBLIC_URL is set: its own host and port (a wildcard address as localhost). */
function ownOrigin(host: string, port: number): string {
  const name = ['0.0.0.0', '::', '[::]'].includes(host) ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
