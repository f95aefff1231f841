/**
 * The engine-command outbox (`engine_commands`, migration 0011): a message the Permit Manager owes the process
 * engine, written in the transaction that records the action (its audit entry), delivered after that transaction
 * committed, by publishing with `messageId` = the row's `message_id`. The engine refuses a second publication
 * with that id while it still holds the first (its time to live), so delivering a row again after a crash is
 * harmless: either the engine takes it (the first never arrived) or it answers "duplicate" (the first did).
 * Design: docs/adr/0006-engine-commands.md.
 */
import type { Knex } from 'knex';
import type { TimestampValue } from '../columns.js';

export const ENGINE_COMMANDS_TABLE = 'engine_commands';

export type EngineCommandStatus = 'pending' | 'delivered' | 'stale';

/**
 * `message`: publish message `messageName` with id `messageId`. `process-start` (migration 0014): start process
 * `messageName` for the permit, unless an instance tagged with the permit exists already (the variables are the
 * process's); never stale, since the look-up does not depend on the engine remembering an id.
 */
export type EngineCommandKind = 'message' | 'process-start';

export interface EngineCommandRow {
  message_id: string;
  permit_id: string;
  message_name: string;
  correlation_key: string;
  variables: Record<string, unknown> | string;
  status: EngineCommandStatus;
  attempts: number;
  last_error: string | null;
  created_at: TimestampValue;
  delivered_at: TimestampValue | null;
  kind: EngineCommandKind;
  leased_until: TimestampValue | null;
}

export interface EngineCommand {
  messageId: string;
  permitId: string;
  messageName: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  /** Default `message`. */
  kind?: EngineCommandKind;
}

export interface StoredEngineCommand extends EngineCommand {
  status: EngineCommandStatus;
  attempts: number;
  createdAt: string;
}

export function toEngineCommand(row: EngineCommandRow): StoredEngineCommand {
  return {
    messageId: row.message_id,
    permitId: row.permit_id,
    messageName: row.message_name,
    correlationKey: row.correlation_key,
    variables: typeof row.variables === 'string' ? (JSON.parse(row.variables) as Record<string, unknown>) : row.variables,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Records the command in `trx` (the action's transaction). A second call with the same id writes nothing. */
export async function recordEngineCommand(trx: Knex, command: EngineCommand): Promise<{ created: boolean }> {
  const inserted = (await trx(ENGINE_COMMANDS_TABLE)
    .insert({
      message_id: command.messageId,
      permit_id: command.permitId,
      message_name: command.messageName,
      correlation_key: command.correlationKey,
      variables: JSON.stringify(command.variables),
      kind: command.kind ?? 'message',
    })
    .onConflict('message_id')
    .ignore()
    .returning('message_id')) as unknown[];
  return { created: inserted.length > 0 };
}

/** Pending (not yet acknowledged) commands of the permit, oldest first. */
export async function pendingCommandsOf(trx: Knex, permitId: string): Promise<StoredEngineCommand[]> {
  const rows = (await trx(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId, status: 'pending' }).orderBy('created_at')) as EngineCommandRow[];
  return rows.map(toEngineCommand);
}

/** The engine took the command (or already had it): it is done. */
export async function markCommandDelivered(knex: Knex, messageId: string): Promise<void> {
  await knex(ENGINE_COMMANDS_TABLE)
    .where({ message_id: messageId, status: 'pending' })
    .update({ status: 'delivered', delivered_at: knex.fn.now(), attempts: knex.raw('attempts + 1'), last_error: null });
}

/** A delivery failed; the relay tries again. */
export async function markCommandFailed(knex: Knex, messageId: string, error: string): Promise<void> {
  await knex(ENGINE_COMMANDS_TABLE)
    .where({ message_id: messageId, status: 'pending' })
    .update({ attempts: knex.raw('attempts + 1'), last_error: error.slice(0, 2000) });
}

/**
 * The command can no longer be delivered safely (older than the engine keeps message ids, or refused for good):
 * an operator decides (docs/operations.md, "Engine commands").
 */
export async function markCommandStale(knex: Knex, messageId: string, error: string): Promise<void> {
  await knex(ENGINE_COMMANDS_TABLE).where({ message_id: messageId, status: 'pending' }).update({ status: 'stale', last_error: error.slice(0, 2000) });
}

/**
 * Pending commands created at least `olderThanMs` ago (younger ones are still being delivered by their request),
 * oldest first. Not locked: two relays delivering one command at once is harmless, the engine takes its id once.
 */
export async function listPendingCommands(knex: Knex, options: { olderThanMs: number; limit: number }): Promise<StoredEngineCommand[]> {
  const rows = (await knex(ENGINE_COMMANDS_TABLE)
    .where({ status: 'pending' })
    .where('created_at', '<=', new Date(Date.now() - options.olderThanMs))
    .where((q) => {
      void q.whereNull('leased_until').orWhere('leased_until', '<', knex.fn.now());
    })
    .orderBy('created_at')
    .limit(options.limit)) as EngineCommandRow[];
  return rows.map(toEngineCommand);
}

/**
 * Takes the lease on a pending command for `ms` (a `process-start`: whoever holds it looks the process up and
 * starts it; nobody else does meanwhile). False when the command is done or another starter holds an unexpired
 * lease. The lease is the database's clock, so instances with skewed clocks agree.
 */
export async function leaseCommand(knex: Knex, messageId: string, ms: number): Promise<boolean> {
  const taken = (await knex(ENGINE_COMMANDS_TABLE)
    .where({ message_id: messageId, status: 'pending' })
    .where((q) => {
      void q.whereNull('leased_until').orWhere('leased_until', '<', knex.fn.now());
    })
    .update({ leased_until: knex.raw(`now() + make_interval(secs => ?)`, [ms / 1000]) })
    .returning('message_id')) as unknown[];
  return taken.length > 0;
}
