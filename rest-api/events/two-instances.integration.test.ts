/**
 * Two instances on one PostgreSQL database (skipped without DATABASE_URL): each has its own connection pool, hub
 * and event listener, and its relay behind the leader lease. Exactly one relays; every event reaches the broker
 * stand-in once and the hubs of both instances; when the leader's session dies the other takes over within
 * seconds and nothing is lost or sent twice.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, enqueueEvent, TABLES, type Database, type OutboxEvent } from '../../db/index.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { waitFor } from '../../test/support/wait-for.js';
import { EVENTS } from '../../shared/index.js';
import { createEventHub, type EventHub } from './event-hub.js';
import type { EventSink } from './event-sink.js';
import { createLeaderLease, type LeaderLease } from './leader-lease.js';
import { createOutboxRelay } from './outbox-relay.js';
import { createPgEventNotifier, eventChannel, startPgEventListener, type PgEventListener } from './pg-event-fanout.js';

const logger = pino({ level: 'silent' });
const target = testDatabaseTargets().find((t) => t.name === 'PostgreSQL');
const databaseUrl = process.env.DATABASE_URL;

interface Instance {
  name: string;
  db: Database;
  hub: EventHub;
  received: string[];
  listener: PgEventListener;
  lease: LeaderLease;
  /** The lease's own sessions, to kill the way a crash would (the server ends them). */
  sessions: pg.Client[];
}

describe.skipIf(!target || !databaseUrl)('two instances on one PostgreSQL', () => {
  let main: Database;
  const brokerCounts = new Map<string, number>();
  const broker: EventSink = {
    name: 'broker',
    publish: async (event) => void brokerCounts.set(event.id, (brokerCounts.get(event.id) ?? 0) + 1),
  };
  const instances: Instance[] = [];

  async function startInstance(name: string): Promise<Instance> {
    const db = await createDatabase({ databaseUrl: databaseUrl!, schema: main.schema!, logger, poolMax: 4 });
    const hub = createEventHub();
    const received: string[] = [];
    hub.subscribe((event: OutboxEvent) => received.push(event.id));
    const channel = eventChannel(main.schema);
    const sessions: pg.Client[] = [];
    const session = () => {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: `two-instances-${name}` });
      sessions.push(client);
      return client;
    };
    const listener = startPgEventListener({ connect: session, knex: db.knex, channel, hub, logger, reconnectMs: 200 });
    await listener.ready;
    const relay = createOutboxRelay({ knex: db.knex, sinks: [createPgEventNotifier({ knex: db.knex, channel }), broker], logger, pollMs: 50 });
    const lease = createLeaderLease({ connect: session, name: `outbox-relay:${main.schema}`, logger, retryMs: 300, onAcquired: () => relay.start(), onLost: () => relay.stop() });
    lease.start();
    const instance = { name, db, hub, received, listener, lease, sessions };
    instances.push(instance);
    return instance;
  }

  async function stopInstance(instance: Instance): Promise<void> {
    await instance.lease.stop();
    await instance.listener.stop();
    await instance.db.close();
  }

  const enqueue = async (count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const { id } = await enqueueEvent(main.knex, { name: EVENTS.statusUpdated, permitId: randomUUID(), payload: { n: i } });
      ids.push(id);
    }
    return ids;
  };
  const allPublished = async () => Number(((await main.knex(TABLES.outboxEvents).whereNull('published_at').count({ n: '*' })) as Array<{ n: string }>)[0]!.n) === 0;

  beforeAll(async () => {
    main = await target!.open();
  });
  afterAll(async () => {
    for (const instance of instances.splice(0)) await stopInstance(instance).catch(() => undefined);
    await main.close();
    // close() recycles the schema into the target's spares; dispose() drops them, so the file leaves no schema behind.
    await target!.dispose();
  });

  it('relays each event once from the lease holder, and both instances deliver every event to their own clients', async () => {
    const a = await startInstance('a');
    const b = await startInstance('b');
    await waitFor('a leader', () => a.lease.isLeader || b.lease.isLeader);
    // Both keep trying; still exactly one leads.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect([a.lease.isLeader, b.lease.isLeader].filter(Boolean)).toHaveLength(1);

    const ids = await enqueue(40);
    await waitFor('every event relayed', allPublished);
    await waitFor('both hubs to have every event', () => ids.every((id) => a.received.includes(id) && b.received.includes(id)));
    expect(ids.map((id) => brokerCounts.get(id))).toEqual(ids.map(() => 1));
    // In order, once each, on both instances.
    expect(a.received.filter((id) => ids.includes(id))).toEqual(ids);
    expect(b.received.filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('hands the relay to the other instance within seconds when the leader dies, losing and repeating nothing', async () => {
    const [a, b] = instances as [Instance, Instance];
    const leader = a.lease.isLeader ? a : b;
    const follower = leader === a ? b : a;

    // What a SIGKILL does to the database side: every session of the leader ends at once.
    const pids = leader.sessions.map((client) => (client as unknown as { processID: number }).processID).filter(Boolean);
    await main.knex.raw(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?)`, [pids]);
    await stopInstance(leader);
    instances.splice(instances.indexOf(leader), 1);

    // Taken over within seconds: the follower retries every 300 ms here (2 s by default).
    await waitFor('the follower to take the lease', () => follower.lease.isLeader, { timeoutMs: 10_000 });

    const ids = await enqueue(20);
    await waitFor('every event relayed by the new leader', allPublished);
    await waitFor('the surviving instance to deliver them', () => ids.every((id) => follower.received.includes(id)));
    expect(ids.map((id) => brokerCounts.get(id))).toEqual(ids.map(() => 1));
    expect([...brokerCounts.values()].every((n) => n === 1)).toBe(true);
  });

  it('catches up on events relayed while its listening connection was down', async () => {
    const survivor = instances[0]!;
    const other = await startInstance('c');
    const first = await enqueue(1);
    await waitFor('c to see the first event', () => other.received.includes(first[0]!));

    // Cut c's listening session (not its lease, which it does not hold): events relayed meanwhile come on reconnect.
    const pids = other.sessions.map((client) => (client as unknown as { processID: number }).processID).filter(Boolean);
    await main.knex.raw(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?) AND query ILIKE 'LISTEN%'`, [pids]);
    const ids = await enqueue(10);
    await waitFor('c to catch up', () => ids.every((id) => other.received.includes(id)));
    expect(other.received.filter((id) => ids.includes(id))).toEqual(ids);
    expect(survivor.lease.isLeader).toBe(true);
  });
});
