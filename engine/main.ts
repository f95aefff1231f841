/**
 * `npm run engine`: the embedded Camunda 8.8-compatible engine as a standalone server.
 */
import pino from 'pino';
import { readEngineConfig } from './config.js';
import { startEngine } from './index.js';
import { stopOnSignals } from '../shared/stop-on-signals.js';

async function main(): Promise<void> {
  const config = readEngineConfig(process.env);
  const logger = pino({ name: 'engine', level: config.logLevel });
  const started = Date.now();
  const engine = await startEngine({
    port: config.port,
    host: config.host,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
    logger,
  });
  logger.info(
    { rest: `${engine.url}/v2`, storage: config.databaseUrl ? 'postgresql' : `pglite:${config.dataDir}`, startupMs: Date.now() - started },
    `Camunda 8.8-compatible engine listening on ${engine.url}/v2 — point the SDK at it with ZEEBE_REST_ADDRESS=${engine.url}`,
  );
  stopOnSignals(() => engine.stop(), logger, 'finishing in-flight commands');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
