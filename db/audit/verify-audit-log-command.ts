/**
 * `npm run audit:verify` — verifies the audit log's hash chain and prints what it found. Exit code 0 when the
 * chain is intact, 1 when problems were found, 2 when it could not check (bad arguments, no database).
 *
 *   npm run audit:verify                                   # DATABASE_URL, else npm start's one PGlite (DATABASE_DIR, ./data/database), schema permits
 *   npm run audit:verify -- --database-url postgres://… --schema permits --json
 *   npm run audit:verify -- --data-dir ./data/permits
 *
 * PGlite's folder can be open in one process only: stop the REST API first, or use its `POST /api/audit/verify`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createDatabase } from '../create-database.js';
import { verifyAuditLog, type VerifyAuditLogResult } from './verify-audit-log.js';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandEnv {
  DATABASE_URL?: string;
  DATABASE_SCHEMA?: string;
  PERMIT_DATA_DIR?: string;
  DATABASE_DIR?: string;
}

const USAGE = `Usage: npm run audit:verify -- [--database-url URL | --data-dir DIR] [--schema NAME] [--json]
  --database-url  PostgreSQL connection string (default: DATABASE_URL)
  --data-dir      PGlite data folder when no database URL is set (default: npm start's one database, DATABASE_DIR,
                  else ./data/database beside PERMIT_DATA_DIR, with schema permits)
  --schema        schema holding the tables (default: DATABASE_SCHEMA, else permits in npm start's folder, else public)
  --json          print the result as JSON
Exit code: 0 intact, 1 problems found, 2 could not check.`;

export async function runVerifyAuditLogCommand(argv: readonly string[], env: CommandEnv, io: CommandIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        schema: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const databaseUrl = args['database-url'] ?? env.DATABASE_URL;
  // Without --data-dir: npm start's one embedded database, where the Permit Manager's tables are in schema permits.
  const dataDir = resolve(args['data-dir'] ?? env.DATABASE_DIR ?? join(dirname(env.PERMIT_DATA_DIR ?? './data/permits'), 'database'));
  const schema = args.schema ?? env.DATABASE_SCHEMA ?? (databaseUrl || args['data-dir'] ? undefined : 'permits');
  if (!databaseUrl && !existsSync(join(dataDir, 'PG_VERSION'))) {
    io.err(`No Permit Manager database in ${dataDir}: pass --data-dir with npm start's DATABASE_DIR (and --schema permits), or --database-url.`);
    return 2;
  }

  let result: VerifyAuditLogResult;
  try {
    const db = await createDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : dataDir, schema, logger: pino({ level: 'silent' }) });
    try {
      if (!(await db.knex.schema.hasTable('audit_chain_head'))) {
        io.err(`No audit log in ${db.location} (schema ${db.schema}): is this the Permit Manager's database, and has it been migrated?`);
        return 2;
      }
      result = await verifyAuditLog(db.knex);
    } finally {
      await db.close();
    }
  } catch (err) {
    io.err(`Could not verify the audit log: ${(err as Error).message}`);
    return 2;
  }

  if (args.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(result.ok ? `Audit log intact: ${result.checked} entries verified.` : `Audit log NOT intact: ${result.problems.length} problem(s) in ${result.checked} entries.`);
    for (const p of result.problems) io.out(`  seq ${p.seq}: ${p.problem} — ${p.detail}`);
  }
  return result.ok ? 0 : 1;
}
