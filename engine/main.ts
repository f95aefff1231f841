/**
 * `npm run engine`: the embedded Camunda 8.8-compatible engine as a standalone server. It takes one HTTP Basic
 * credential: CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD when set, else the one generated in the
 * data folder (`credentials.env`, 0600). It prints how a client uses it, naming the file rather than printing
 * the password, so the password never lands in a log.
 */
import { relative, isAbsolute } from 'node:path';
import pino from 'pino';
import { readEngineConfig } from './config.js';
import { startEngine } from './index.js';
import { stopOnSignals } from '../shared/stop-on-signals.js';

/** A path as a shell in the current folder takes it. */
function shellPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : path;
}

async function main(): Promise<void> {
  const config = readEngineConfig(process.env);
  const logger = pino({ name: 'engine', level: config.logLevel });
  const started = Date.now();
  const engine = await startEngine({
    port: config.port,
    host: config.host,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
    ...(config.credentials ? { credentials: config.credentials } : { credentialDir: config.dataDir }),
    allowedHosts: config.allowedHosts,
    clockControlled: config.clockControlled,
    logger,
  });
  logger.info(
    {
      rest: `${engine.url}/v2`,
      storage: config.databaseUrl ? 'postgresql' : `pglite:${config.dataDir}`,
      credential: engine.credentialFile ?? 'CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD',
      clockControlled: config.clockControlled,
      startupMs: Date.now() - started,
    },
    `Camunda 8.8-compatible engine listening on ${engine.url}/v2`,
  );
  const howTo = engine.credentialFile
    ? [
        `Clients need the engine's credential (HTTP Basic), kept in ${engine.credentialFile}. Point the official client at it with:`,
        `  export ZEEBE_REST_ADDRESS=${engine.url}`,
        `  set -a; . ${shellPath(engine.credentialFile)}; set +a`,
        '(or: curl -u "$CAMUNDA_BASIC_AUTH_USERNAME:$CAMUNDA_BASIC_AUTH_PASSWORD" ' + `${engine.url}/v2/topology)`,
      ]
    : [
        `Clients need the credential in CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD (HTTP Basic); with those exported:`,
        `  export ZEEBE_REST_ADDRESS=${engine.url} CAMUNDA_AUTH_STRATEGY=BASIC`,
      ];
  process.stdout.write(`${howTo.join('\n')}\n`);
  stopOnSignals(() => engine.stop(), logger, 'finishing in-flight commands');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
