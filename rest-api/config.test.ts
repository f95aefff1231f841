import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected loadConfig to refuse');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      databaseUrl: undefined,
      permitDataDir: './data/permits',
      amqpUrl: undefined,
      amqpExchange: 'spe.events',
      oidcIssuer: undefined,
      oidcAudience: 'spe-api',
      oidcJwksUrl: undefined,
      oidcWebClientId: 'spe-web',
      devAuth: true,
      nodeEnv: 'development',
      oidcMaxTokenLifetimeSeconds: 86_400,
      zeebeRestAddress: undefined,
      logLevel: 'info',
      rateLimitPerMinute: 600,
      eventStreamsPerUser: 5,
      bodyLimitBytes: 100 * 1024,
      trustProxy: false,
      smtpUrl: undefined,
      notificationOutboxDir: './data/outbox',
      notificationFrom: 'SPE platform <noreply@localhost>',
      notificationOperators: ['adam'],
      slackToken: undefined,
      slackChannels: undefined,
      workspaceDriver: 'manifests',
      workspaceManifestsDir: './data/workspaces',
      kubeconfig: undefined,
      airlock: { store: { kind: 'filesystem', dir: './data/airlock' }, uploadDir: './data/uploads', maxFileBytes: 5 * 1024 ** 3, scanner: { kind: 'none' } },
      camundaSettings: { CAMUNDA_AUTH_STRATEGY: 'NONE' },
    });
  });

  it('reads the airlock: an S3 bucket, the largest file, clamd or clamscan, and names what is missing or doubled', () => {
    const config = loadConfig({
      AIRLOCK_STORE: 's3',
      AIRLOCK_S3_ENDPOINT: 'http://127.0.0.1:9000',
      AIRLOCK_S3_BUCKET: 'spe-airlock',
      AIRLOCK_S3_ACCESS_KEY_ID: 'key',
      AIRLOCK_S3_SECRET_ACCESS_KEY: 'secret',
      AIRLOCK_MAX_FILE_BYTES: '500mb',
      CLAMAV_CLAMD_HOST: '127.0.0.1:3310',
    });
    expect(config.airlock).toEqual({
      store: { kind: 's3', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'spe-airlock', keyPrefix: '', accessKeyId: 'key', secretAccessKey: 'secret' },
      uploadDir: './data/uploads',
      maxFileBytes: 500 * 1024 ** 2,
      scanner: { kind: 'clamd', host: '127.0.0.1', port: 3310 },
    });
    expect(loadConfig({ CLAMAV_CLAMSCAN_PATH: '/usr/bin/clamscan', CLAMAV_DATABASE_DIR: '/var/lib/clamav' }).airlock.scanner).toEqual({ kind: 'clamscan', path: '/usr/bin/clamscan', databaseDir: '/var/lib/clamav' });
    expect(problemsOf({ AIRLOCK_STORE: 's3' })).toEqual([expect.stringMatching(/^AIRLOCK_S3_BUCKET is required with AIRLOCK_STORE=s3/)]);
    expect(problemsOf({ CLAMAV_CLAMD_SOCKET: '/run/clamav/clamd.ctl', CLAMAV_CLAMSCAN_PATH: '/usr/bin/clamscan' })).toEqual([expect.stringMatching(/are both set; the airlock uses one scanner/)]);
    expect(problemsOf({ AIRLOCK_MAX_FILE_BYTES: 'lots' })).toEqual([expect.stringMatching(/^AIRLOCK_MAX_FILE_BYTES must be a size/)]);
    expect(problemsOf({ AIRLOCK_S3_BUCKET: 'A' })).toEqual([expect.stringMatching(/^AIRLOCK_S3_BUCKET must be a bucket name/)]);
  });

  it('hands the Camunda SDK its own variables as given (OAuth for SaaS), no auth by default', () => {
    const config = loadConfig({ ZEEBE_REST_ADDRESS: 'https://bru-2.zeebe.camunda.io/abc', CAMUNDA_AUTH_STRATEGY: 'OAUTH', CAMUNDA_CLIENT_ID: 'id', CAMUNDA_CLIENT_SECRET: 's' });
    expect(config.camundaSettings).toEqual({
      ZEEBE_REST_ADDRESS: 'https://bru-2.zeebe.camunda.io/abc',
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_CLIENT_ID: 'id',
      CAMUNDA_CLIENT_SECRET: 's',
    });
  });

  it('reads the notification and workspace settings, refusing a bad SMTP URL, Slack token or driver', () => {
    const config = loadConfig({
      SMTP_URL: 'smtp://mail.example.org:587',
      NOTIFICATION_OPERATORS: 'ops1, ops2',
      SLACK_TOKEN: 'xoxb-123',
      SLACK_CHANNELS: 'hdab-reviewers=#hdab-reviews',
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG: '/etc/spe/kubeconfig',
    });
    expect(config).toMatchObject({
      smtpUrl: 'smtp://mail.example.org:587',
      notificationOperators: ['ops1', 'ops2'],
      slackToken: 'xoxb-123',
      workspaceDriver: 'kubernetes',
      kubeconfig: '/etc/spe/kubeconfig',
    });
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org' })).toThrow(/SMTP_URL must start with smtp:\/\//);
    expect(() => loadConfig({ SLACK_TOKEN: 'secret' })).toThrow(/SLACK_TOKEN must be a Slack bot token/);
    expect(() => loadConfig({ WORKSPACE_DRIVER: 'docker' })).toThrow(/WORKSPACE_DRIVER must be manifests/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8081',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://spe.example.org/',
      DATABASE_URL: 'postgres://u:p@db:5432/spe',
      PERMIT_DATA_DIR: '/var/spe',
      AMQP_URL: 'amqp://guest:guest@mq:5672',
      AMQP_EXCHANGE: 'events',
      OIDC_ISSUER: 'https://login.example.org/realms/spe',
      OIDC_AUDIENCE: 'portal',
      OIDC_JWKS_URL: 'https://login.example.org/certs',
      NODE_ENV: 'production',
      ZEEBE_REST_ADDRESS: 'http://zeebe:8080',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: '50',
      BODY_LIMIT: '2mb',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 8081,
      host: '0.0.0.0',
      publicUrl: 'https://spe.example.org',
      databaseUrl: 'postgres://u:p@db:5432/spe',
      permitDataDir: '/var/spe',
      amqpUrl: 'amqp://guest:guest@mq:5672',
      amqpExchange: 'events',
      oidcIssuer: 'https://login.example.org/realms/spe',
      oidcAudience: 'portal',
      oidcJwksUrl: 'https://login.example.org/certs',
      devAuth: false,
      nodeEnv: 'production',
      zeebeRestAddress: 'http://zeebe:8080',
      logLevel: 'debug',
      rateLimitPerMinute: 50,
      bodyLimitBytes: 2 * 1024 * 1024,
      trustProxy: true,
    });
  });

  it('derives PUBLIC_URL from HOST and PORT when unset (where the API itself answers)', () => {
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://127.0.0.1:4000');
    expect(loadConfig({ HOST: '0.0.0.0' }).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    expect(loadConfig({ HOST: 'spe.internal' }).publicUrl).toBe('http://spe.internal:3000');
  });

  it('keeps a path in PUBLIC_URL and refuses one links cannot be built on', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://example.org/spe/' }).publicUrl).toBe('https://example.org/spe');
    expect(problemsOf({ PUBLIC_URL: 'spe.example.org' })).toEqual([expect.stringMatching(/^PUBLIC_URL must be an absolute URL/)]);
    expect(problemsOf({ PUBLIC_URL: 'ftp://spe.example.org' })).toEqual([expect.stringMatching(/^PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/)]);
    expect(problemsOf({ PUBLIC_URL: 'https://spe.example.org/?x=1' })).toEqual([expect.stringMatching(/^PUBLIC_URL must be a base URL without query/)]);
    expect(problemsOf({ PUBLIC_URL: 'https://u:p@spe.example.org' })).toEqual([expect.stringMatching(/without query .* or credentials/)]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', DEV_AUTH: '' })).toMatchObject({ port: 3000, databaseUrl: undefined, devAuth: true });
  });

  it.each([
    ['1024', 1024],
    ['64kb', 64 * 1024],
    ['1MB', 1024 * 1024],
  ])('reads BODY_LIMIT %s as %d bytes', (value, bytes) => {
    expect(loadConfig({ BODY_LIMIT: value }).bodyLimitBytes).toBe(bytes);
  });

  describe('DEV_AUTH', () => {
    it('is on by default outside production without an issuer', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).devAuth).toBe(true);
    });

    it('is off by default when OIDC_ISSUER is set', () => {
      expect(loadConfig({ OIDC_ISSUER: 'https://idp.example.org' }).devAuth).toBe(false);
    });

    it('is off by default in production', () => {
      expect(loadConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example.org' }).devAuth).toBe(false);
    });

    it('can be switched off explicitly when an issuer is configured', () => {
      expect(loadConfig({ DEV_AUTH: 'false', OIDC_ISSUER: 'https://idp.example.org' }).devAuth).toBe(false);
    });

    it('refuses DEV_AUTH=true with NODE_ENV=production, saying why', () => {
      const [problem] = problemsOf({ NODE_ENV: 'production', DEV_AUTH: 'true' });
      expect(problem).toMatch(/DEV_AUTH=true is refused with NODE_ENV=production/);
      expect(problem).toMatch(/set OIDC_ISSUER/);
    });

    it('refuses production without an issuer', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/OIDC_ISSUER is required with NODE_ENV=production/)]);
    });

    it.each(['Production', 'PRODUCTION', 'prod', 'staging', ' production ', 'live'])('counts NODE_ENV=%s as production: no development issuer', (nodeEnv) => {
      expect(problemsOf({ NODE_ENV: nodeEnv, DEV_AUTH: 'true' })).toEqual([expect.stringMatching(/DEV_AUTH=true is refused .*counts as production/)]);
      expect(problemsOf({ NODE_ENV: nodeEnv })).toEqual([expect.stringMatching(/OIDC_ISSUER is required/)]);
      expect(loadConfig({ NODE_ENV: nodeEnv, OIDC_ISSUER: 'https://idp.example.org' }).devAuth).toBe(false);
    });

    it.each(['development', 'Development', 'test', 'TEST'])('keeps the development issuer on by default with NODE_ENV=%s', (nodeEnv) => {
      expect(loadConfig({ NODE_ENV: nodeEnv }).devAuth).toBe(true);
    });

    it('reads OIDC_MAX_TOKEN_LIFETIME in seconds and refuses what is not one', () => {
      expect(loadConfig({ OIDC_MAX_TOKEN_LIFETIME: '3600' }).oidcMaxTokenLifetimeSeconds).toBe(3600);
      expect(problemsOf({ OIDC_MAX_TOKEN_LIFETIME: '1d' })).toEqual([expect.stringMatching(/^OIDC_MAX_TOKEN_LIFETIME must be a whole number of seconds/)]);
      expect(problemsOf({ OIDC_MAX_TOKEN_LIFETIME: '3153600000' })).toEqual([expect.stringMatching(/at most 604800/)]);
    });

    it('reads OIDC_WEB_CLIENT_ID (the web app\'s client at the identity provider) and refuses one with spaces', () => {
      expect(loadConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example.org', OIDC_WEB_CLIENT_ID: 'platform-web' }).oidcWebClientId).toBe('platform-web');
      expect(problemsOf({ OIDC_WEB_CLIENT_ID: 'spe web' })).toEqual([expect.stringMatching(/^OIDC_WEB_CLIENT_ID must be the client id of the web app/)]);
    });

    it('refuses DEV_AUTH=false without an issuer (nobody could log in)', () => {
      expect(problemsOf({ DEV_AUTH: 'false' })).toEqual([expect.stringMatching(/no caller could authenticate/)]);
    });

    it('refuses both DEV_AUTH=true and OIDC_ISSUER', () => {
      expect(problemsOf({ DEV_AUTH: 'true', OIDC_ISSUER: 'https://idp.example.org' })).toEqual([expect.stringMatching(/both set/)]);
    });

    it('refuses words that are not booleans', () => {
      expect(problemsOf({ DEV_AUTH: 'maybe' })).toEqual(['DEV_AUTH must be true or false (got "maybe")']);
    });
  });

  it('names every invalid variable in one error', () => {
    const problems = problemsOf({ PORT: 'http', LOG_LEVEL: 'loud', RATE_LIMIT_PER_MINUTE: '0', BODY_LIMIT: 'huge', AMQP_URL: 'not a url' });
    expect(problems).toEqual([
      expect.stringMatching(/^PORT must be a port number .*\(got "http"\)$/),
      expect.stringMatching(/^AMQP_URL must be an absolute URL/),
      expect.stringMatching(/^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)$/),
      expect.stringMatching(/^RATE_LIMIT_PER_MINUTE must be at least 1/),
      expect.stringMatching(/^BODY_LIMIT must be a size such as 100kb/),
    ]);
  });

  it('never echoes URL values, which may carry passwords', () => {
    const problems = problemsOf({ DATABASE_URL: 'secret-password@nowhere' });
    expect(problems.join('\n')).not.toContain('secret-password');
  });

  it('points at the docs in the error message', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/docs\/rest-api\.md/);
  });
});
