/**
 * `npm run migrate -- <mapping-file> [--apply]`: migrates the running instances of one version of a lifecycle
 * diagram (permits waiting in it) to a newer version, with a mapping file (YAML or JSON; migration-mapping.ts).
 * A dry run by default: lists every running instance of the source version — its permit, where it waits, whether it
 * can move — and changes nothing. `--apply` migrates them through the official client, only when every one can.
 *
 * The engine is found as `npm run deploy` finds it: ZEEBE_REST_ADDRESS (Camunda 8, with the SDK's CAMUNDA_* /
 * ZEEBE_* settings), else the embedded engine at http://127.0.0.1:${ENGINE_PORT:-8080} with its credential
 * (CAMUNDA_BASIC_AUTH_USERNAME / _PASSWORD, else data/engine/credentials.env).
 *
 * Exit codes: 0 planned (all can move) or migrated, 1 would not or did not migrate everything, 2 bad usage, mapping
 * file or configuration.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../rest-api/config.js';
import { assertAnswers, embeddedEngineCredentialSettings, EngineUnreachableError, engineTarget, officialEngineClient } from '../deploy-main.js';
import { MappingFileError, readMappingFile } from './migration-mapping.js';
import { MissingVersionError, type MigrationClient } from './migration-client.js';
import { runMigration, type MigrationOutcome } from './run-migration.js';

export const USAGE = `usage: npm run migrate -- <mapping-file.yaml|.json> [--apply]

  Migrates running permits from one version of a diagram to another (Camunda 8.8 process instance migration).
  Without --apply: a dry run that lists every affected instance and changes nothing.

  mapping file:
    processDefinitionId: spe-environment-setup
    sourceVersion: 1
    targetVersion: 2
    mappingInstructions:
      - sourceElementId: Task_ReviewSetup
        targetElementId: Task_ReviewSetup`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

export function parseArguments(argv: readonly string[]): { mappingFile: string; apply: boolean } {
  const unknown = argv.filter((arg) => arg.startsWith('-') && arg !== '--apply');
  if (argv.includes('--help') || argv.includes('-h')) throw new UsageError('npm run migrate');
  if (unknown.length > 0) throw new UsageError(`Unknown option(s): ${unknown.join(', ')}.`);
  const files = argv.filter((arg) => !arg.startsWith('-'));
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'Name the mapping file.' : `Name one mapping file, not ${files.length}.`);
  return { mappingFile: files[0] as string, apply: argv.includes('--apply') };
}

/** 0 when the plan (dry run) or the migration (apply) went through in full, else 1. */
export function exitCodeOf(outcome: MigrationOutcome): number {
  if (outcome.result === 'refused') return 1;
  if (outcome.result === 'dry-run') return outcome.plan.ready ? 0 : 1;
  return outcome.failed.length > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const { mappingFile, apply } = parseArguments(argv);
  const mapping = await readMappingFile(mappingFile);
  const config = loadConfig(process.env);
  const { engineUrl, embedded } = engineTarget(process.env, config.zeebeRestAddress);
  const env = embedded ? { ...process.env, ...(await embeddedEngineCredentialSettings(process.env)) } : process.env;
  await assertAnswers(engineUrl, embedded);
  const client = officialEngineClient(engineUrl, env) as MigrationClient;
  const logger = pino({ name: 'migrate', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  process.stdout.write(`${apply ? 'Migrating' : 'Dry run'} on ${engineUrl} (${embedded ? 'embedded engine' : 'Camunda 8'}) with ${mappingFile}\n`);
  return exitCodeOf(await runMigration({ client, mapping, apply, logger }));
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof UsageError || err instanceof MappingFileError || err instanceof ConfigError;
      const known = usage || err instanceof EngineUnreachableError || err instanceof MissingVersionError;
      const refused = (err as { status?: unknown }).status === 401;
      const message = known
        ? (err as Error).message
        : refused
          ? 'The engine refused the credential (401). Embedded engine: run from the folder `npm start` runs in (it reads data/engine/credentials.env), or set CAMUNDA_BASIC_AUTH_USERNAME / _PASSWORD; Camunda 8: check the CAMUNDA_* settings (docs/deploy.md).'
          : `Migration failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
      process.stderr.write(`${message}\n`);
      process.exit(usage ? 2 : 1);
    },
  );
}
