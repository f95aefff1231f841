/**
 * Delivers the Permit Manager's engine commands (`engine_commands`, docs/adr/0006-engine-commands.md): a request
 * delivers its own command right after recording it; this relay delivers what a request could not (the engine was
 * unreachable, the process died, marking it delivered failed). Every instance runs one; a command delivered by two
 * at once is harmless, because a publication carries the command's id as `messageId` and the engine takes an id
 * once while it holds the message (`ENGINE_COMMAND_TTL_MS`). A command older than that window can no longer be
 * told apart from a delivered one: it is marked `stale` and logged for an operator, never published again.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { ENGINE_COMMANDS_TABLE, listPendingCommands, markCommandDelivered, markCommandFailed, markCommandStale, pendingCommandsOf, recordEngineCommand, type EngineCommand } from '../../db/index.js';
import { ConflictError } from '../../shared/index.js';
import type { MessageName } from '../../shared/index.js';
import type { EnginePort } from '../engine/engine-port.js';

/** How long the engine keeps a delivered command's message, and with it its id (1 hour). */
export const ENGINE_COMMAND_TTL_MS = 60 * 60_000;
/** The relay redelivers a command only while the engine surely still holds the first publication's id. */
export const ENGINE_COMMAND_REDELIVERY_WINDOW_MS = ENGINE_COMMAND_TTL_MS - 10 * 60_000;

/** Publishes the command; `'duplicate'` means the engine took it before (a delivery whose answer was lost). */
export function deliverEngineCommand(engine: Pick<EnginePort, 'publishMessage'>, command: EngineCommand): Promise<'published' | 'duplicate'> {
  return engine.publishMessage({
    name: command.messageName as MessageName,
    correlationKey: command.correlationKey,
    variables: command.variables,
    messageId: command.messageId,
    timeToLive: ENGINE_COMMAND_TTL_MS,
  });
}

/** What became of a command right after its transaction committed (the relay takes over a `'pending'` one). */
export type CommandDelivery = { outcome: 'delivered' } | { outcome: 'pending'; error: unknown };

/**
 * The part after the commit, for every store that records an engine command in its own transaction (permit
 * actions, output request submission, opening ingress): `deliver` publishes it, then it is marked delivered. Never
 * throws: a failed delivery or mark leaves the command pending for the relay (`'pending'`, with the error).
 */
export async function settleEngineCommand(knex: Knex, command: EngineCommand, deliver: (command: EngineCommand) => Promise<void>): Promise<CommandDelivery> {
  try {
    await deliver(command);
  } catch (error) {
    await markCommandFailed(knex, command.messageId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    return { outcome: 'pending', error };
  }
  try {
    await markCommandDelivered(knex, command.messageId);
  } catch (error) {
    return { outcome: 'pending', error };
  }
  return { outcome: 'delivered' };
}

/** 409 for a request on a permit whose earlier engine command is still pending (the engine could not be reached). */
export function commandPendingConflict(permitId: string, what: string): ConflictError {
  return new ConflictError(
    `Another action on permit ${permitId} is still being handed to its process (the process engine could not be reached); ${what} changed nothing. Send it again in a few seconds.`,
    { permitId },
  );
}

/**
 * Records `command` in `trx`, the transaction of the local write it belongs to, which must hold the permit row's
 * lock (`FOR UPDATE`) so that concurrent requests on the permit queue here. Throws (the transaction rolls back,
 * nothing is written) a 409 when another command of the permit is still pending, and, with `oncePerPermit`, when
 * the permit's process was already sent this message (pending or delivered; a stale one may be repeated, see
 * docs/operations.md): for messages the process waits for once in a permit's life, such as opening ingress.
 */
export async function recordPermitCommand(trx: Knex, command: EngineCommand, options: { what: string; oncePerPermit?: boolean }): Promise<void> {
  if (options.oncePerPermit) {
    const earlier = (await trx(ENGINE_COMMANDS_TABLE)
      .where({ permit_id: command.permitId, message_name: command.messageName, correlation_key: command.correlationKey })
      .whereIn('status', ['pending', 'delivered'])
      .first('message_id')) as { message_id: string } | undefined;
    if (earlier) {
      throw new ConflictError(`Permit ${command.permitId}'s process was already sent "${command.messageName}" (${earlier.message_id}); ${options.what} changed nothing. Reload the permit to see its status.`, {
        permitId: command.permitId,
      });
    }
  }
  if ((await pendingCommandsOf(trx, command.permitId)).length > 0) throw commandPendingConflict(command.permitId, options.what);
  const { created } = await recordEngineCommand(trx, command);
  if (!created) throw new ConflictError(`"${command.messageId}" was already requested and is being carried out; ${options.what} changed nothing. Reload to see the current state.`, { permitId: command.permitId });
}

export interface EngineCommandRelayOptions {
  knex: Knex;
  engine: Pick<EnginePort, 'publishMessage'>;
  /**
   * Runs a `process-start` command (rest-api/permits/lifecycle-start.ts `startLifecycle`): answers whether it ran
   * (false: another starter holds its lease). Without it, start commands are left alone.
   */
  startProcess?: (command: EngineCommand) => Promise<boolean>;
  logger: Logger;
  /** How often it looks for pending commands; default 1 s. */
  pollMs?: number;
  /** Commands younger than this are left to the request delivering them; default 5 s. */
  graceMs?: number;
  /** Per round; default 50. */
  batchSize?: number;
  /** Default ENGINE_COMMAND_REDELIVERY_WINDOW_MS. */
  redeliveryWindowMs?: number;
}

export interface EngineCommandRound {
  delivered: number;
  failed: number;
  stale: number;
}

export interface EngineCommandRelay {
  runOnce(): Promise<EngineCommandRound>;
  start(): void;
  stop(): Promise<void>;
}

export function createEngineCommandRelay(options: EngineCommandRelayOptions): EngineCommandRelay {
  const { knex, engine, logger } = options;
  const pollMs = options.pollMs ?? 1_000;
  const graceMs = options.graceMs ?? 5_000;
  const batchSize = options.batchSize ?? 50;
  const windowMs = options.redeliveryWindowMs ?? ENGINE_COMMAND_REDELIVERY_WINDOW_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function runOnce(): Promise<EngineCommandRound> {
    const round: EngineCommandRound = { delivered: 0, failed: 0, stale: 0 };
    for (const command of await listPendingCommands(knex, { olderThanMs: graceMs, limit: batchSize })) {
      const log = logger.child({ messageId: command.messageId, permitId: command.permitId, message: command.messageName });
      if (command.kind === 'process-start') {
        if (!options.startProcess) continue;
        // Never stale: the start looks the permit's instance up by its tag, whatever the engine remembers of ids.
        try {
          if (await options.startProcess(command)) {
            log.info({ attempts: command.attempts + 1 }, 'lifecycle process started (or found) and linked by the relay');
            round.delivered += 1;
          }
        } catch (error) {
          round.failed += 1;
          await markCommandFailed(knex, command.messageId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
          log.warn({ err: error, attempts: command.attempts + 1 }, 'lifecycle process not started; the relay tries again when its lease runs out');
        }
        continue;
      }
      if (Date.now() - Date.parse(command.createdAt) > windowMs) {
        const reason = `Not delivered within ${Math.round(windowMs / 60_000)} minutes; the engine may or may not have taken it, and no longer remembers its id.`;
        await markCommandStale(knex, command.messageId, reason);
        log.error(
          { attempts: command.attempts },
          'engine command is stale: look at the permit\'s process instance; if it did not get the message, repeat the action in the API (docs/operations.md, "Engine commands")',
        );
        round.stale += 1;
        continue;
      }
      try {
        const answer = await deliverEngineCommand(engine, command);
        await markCommandDelivered(knex, command.messageId);
        log.info({ answer, attempts: command.attempts + 1 }, answer === 'duplicate' ? 'engine command was already delivered; marked delivered' : 'engine command delivered by the relay');
        round.delivered += 1;
      } catch (error) {
        round.failed += 1;
        const reason = error instanceof Error ? error.message : String(error);
        await markCommandFailed(knex, command.messageId, reason).catch(() => undefined);
        log.warn({ err: error, attempts: command.attempts + 1 }, 'engine command not delivered; the relay tries again');
      }
    }
    return round;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => logger.warn({ err: error }, 'engine command relay round failed; it tries again'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
