/**
 * How many event streams a user holds open, so `GET /api/events/stream` can refuse one more than
 * EVENT_STREAMS_PER_USER. Embedded (one process, PGlite) the count lives in this process; on PostgreSQL every
 * instance counts in `event_stream_leases` (migration 0011), so the limit holds across instances:
 *
 * - taking a slot is one transaction that holds a per-user advisory lock (`pg_advisory_xact_lock`), drops the
 *   user's expired leases, counts the live ones and inserts a lease when there is room: two instances taking the
 *   last slot at once cannot both get it;
 * - each instance renews the leases of its open streams every `renewMs` (one UPDATE for all of them); a lease not
 *   renewed for `leaseMs` (its instance died) no longer counts;
 * - closing a stream deletes its lease; stopping the instance deletes all of its leases.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export const EVENT_STREAM_LEASES_TABLE = 'event_stream_leases';

export type SlotAnswer = { taken: true; release: () => Promise<void> } | { taken: false; open: number };

export interface StreamSlots {
  /** Takes one of the user's `limit` slots, or says how many are open. */
  take(userId: string, limit: number): Promise<SlotAnswer>;
  stop(): Promise<void>;
}

/** The count in this process only (embedded mode, or one instance). */
export function createInProcessStreamSlots(): StreamSlots {
  const open = new Map<string, number>();
  return {
    async take(userId, limit) {
      const count = open.get(userId) ?? 0;
      if (count >= limit) return { taken: false, open: count };
      open.set(userId, count + 1);
      let released = false;
      return {
        taken: true,
        release: async () => {
          if (released) return;
          released = true;
          const left = (open.get(userId) ?? 1) - 1;
          if (left > 0) open.set(userId, left);
          else open.delete(userId);
        },
      };
    },
    async stop() {
      open.clear();
    },
  };
}

export interface PgStreamSlotsOptions {
  knex: Knex;
  logger: Logger;
  /** This instance's name in the leases (default a random id). */
  instanceId?: string;
  /** A lease not renewed for this long no longer counts (default 30 s). */
  leaseMs?: number;
  /** How often this instance renews its leases (default a third of leaseMs). */
  renewMs?: number;
}

/** The count across every instance on one PostgreSQL database. */
export function createPgStreamSlots(options: PgStreamSlotsOptions): StreamSlots & { instanceId: string; renew(): Promise<void> } {
  const { knex, logger } = options;
  const instanceId = options.instanceId ?? randomUUID();
  const leaseMs = options.leaseMs ?? 30_000;
  const renewMs = options.renewMs ?? Math.max(100, Math.floor(leaseMs / 3));
  const mine = new Set<string>();
  const leaseInterval = `${leaseMs} milliseconds`;

  async function renew(): Promise<void> {
    if (mine.size === 0) return;
    await knex(EVENT_STREAM_LEASES_TABLE)
      .where({ instance_id: instanceId })
      .update({ expires_at: knex.raw('now() + ?::interval', [leaseInterval]) });
  }
  const timer = setInterval(() => {
    renew().catch((error: unknown) => logger.warn({ err: error }, 'could not renew the event stream leases; they expire unless the next renewal works'));
  }, renewMs);
  timer.unref();

  return {
    instanceId,
    renew,
    async take(userId, limit) {
      const streamId = randomUUID();
      const answer = await knex.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`spe-event-streams:${userId}`]);
        await trx(EVENT_STREAM_LEASES_TABLE).where({ user_id: userId }).where('expires_at', '<=', trx.fn.now()).delete();
        const [row] = (await trx(EVENT_STREAM_LEASES_TABLE).where({ user_id: userId }).count({ n: '*' })) as { n: string | number }[];
        const open = Number(row?.n ?? 0);
        if (open >= limit) return { open };
        await trx(EVENT_STREAM_LEASES_TABLE).insert({
          stream_id: streamId,
          user_id: userId,
          instance_id: instanceId,
          expires_at: trx.raw('now() + ?::interval', [leaseInterval]),
        });
        return undefined;
      });
      if (answer) return { taken: false, open: answer.open };
      mine.add(streamId);
      let released = false;
      return {
        taken: true,
        release: async () => {
          if (released) return;
          released = true;
          mine.delete(streamId);
          await knex(EVENT_STREAM_LEASES_TABLE).where({ stream_id: streamId }).delete();
        },
      };
    },
    async stop() {
      clearInterval(timer);
      mine.clear();
      await knex(EVENT_STREAM_LEASES_TABLE).where({ instance_id: instanceId }).delete();
    },
  };
}
