/**
 * `npm start`: the whole platform in one process on embedded defaults (no services needed), or against
 * PostgreSQL / RabbitMQ / Camunda 8 when DATABASE_URL / AMQP_URL / ZEEBE_REST_ADDRESS are set.
 * Prints where everything is and how to get a token; Ctrl-C drains the workers and exits cleanly.
 */
import { isAbsolute, relative } from 'node:path';
import { pino } from 'pino';
import { CredentialFileError } from '../engine/auth/credential-file.js';
import { EngineConfigError } from '../engine/config.js';
import { ConfigError, loadConfig } from '../rest-api/config.js';
import { SEEDED_USERS } from '../rest-api/identity/seeded-users.js';
import { stopOnSignals } from '../shared/stop-on-signals.js';
import { EmbeddedDatabaseLayoutError } from './embedded-database.js';
import { RenderOptionsFileError } from '../job-workers/workspace/render/render-options-file.js';
import { embeddedEngineFromEnv } from './embedded-engine-options.js';
import { startPlatform, type RunningPlatform } from './start-platform.js';

/** A path as a shell in the current folder takes it. */
function shellPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : path;
}

/** Where the embedded engine's credential is (never the password itself: this goes to logs and terminals). */
function engineAccessLines(platform: RunningPlatform): string[] {
  if (!platform.embeddedEngine) return [];
  if (platform.engineCredentialFile) {
    return [`  engine access   HTTP Basic; credential in ${platform.engineCredentialFile} (load it: set -a; . ${platform.engineCredentialFile}; set +a)`];
  }
  return ['  engine access   HTTP Basic with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD'];
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Log lines are written asynchronously (sonic-boom): a request never waits for stdout. pino flushes the
  // buffer synchronously on exit, including process.exit after a signal or a failed start.
  const logOutput = pino.destination({ dest: 1, sync: false });
  const logger = pino({ name: 'spe', level: config.logLevel }, logOutput);
  const platform = await startPlatform({
    config,
    logger,
    embeddedEngine: embeddedEngineFromEnv(process.env),
    // The one embedded database's folder (engine and Permit Manager), when DATABASE_URL is unset.
    ...(process.env.DATABASE_DIR ? { databaseDir: process.env.DATABASE_DIR } : {}),
  });
  const api = platform.apiUrl;
  const lines = [
    '',
    `SPE platform ready in ${(platform.startupMs / 1000).toFixed(1)} s`,
    `  web app         ${api}/   (built by npm ci; rebuild: npm run build:web)`,
    `  REST API        ${api}/api   (reference: ${api}/api/docs, OpenAPI: ${api}/api/openapi.json)`,
    `  process engine  ${platform.engineUrl}/v2 ${platform.embeddedEngine ? '(embedded, Camunda 8.8 REST subset)' : '(Camunda 8)'}`,
    ...engineAccessLines(platform),
    `  database        ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${shellPath(platform.database.location)} (engine and Permit Manager, one database)`}`,
    `  events          ${config.amqpUrl ? `RabbitMQ exchange ${config.amqpExchange} + ` : ''}in-app stream ${api}/api/events/stream`,
    `  workspaces      ${platform.workspaceTarget}`,
    `  airlock         ${platform.airlock.where}; malware scanner ${platform.airlock.scanner}${platform.airlock.scanner === 'none' ? ' (every delivery waits in quarantine for an HDAB decision; set CLAMAV_CLAMD_SOCKET or CLAMAV_CLAMSCAN_PATH to scan)' : ''}`,
    `  notifications   ${platform.notificationChannels.join(', ')}${config.smtpUrl ? '' : ` (email as .eml files in ${config.notificationOutboxDir}; set SMTP_URL to send)`}`,
  ];
  if (platform.identity.devIssuer) {
    lines.push(
      '  seeded users    ' + SEEDED_USERS.map((u) => `${u.userId} (${u.roles.join(', ')})`).join(', '),
      '  get a token     ' + `curl -s -X POST ${api}/api/dev-auth/token -H 'content-type: application/json' -d '{"userId":"alice"}'`,
    );
  } else {
    lines.push(`  identity        tokens from ${config.oidcIssuer} (audience ${config.oidcAudience})`);
  }
  // The start-up lines first, then the banner.
  logOutput.flushSync();
  process.stdout.write(`${lines.join('\n')}\n\n`);

  stopOnSignals(() => platform.stop(), logger, 'draining job workers and flushing events');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof EngineConfigError || err instanceof CredentialFileError || err instanceof EmbeddedDatabaseLayoutError || err instanceof RenderOptionsFileError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`The platform did not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
