/**
 * `GET /api/events/stream`: the in-app event stream (Server-Sent Events) of the permits the caller may see.
 * See open-event-stream.ts for what a connection sends. Each user may hold `maxStreamsPerUser` streams at once (the
 * next one answers 429), counted across instances on PostgreSQL (`stream-slots.ts`); a stream closes when the token
 * that opened it expires.
 */
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ValidationError } from '../../shared/index.js';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { HttpProblemError } from '../platform/problem.js';
import type { EventHub } from './event-hub.js';
import { openEventStream, type PermitVisibility, type ReadEventsAfter } from './open-event-stream.js';
import { readEventsAfter } from './read-events-after.js';
import { createInProcessStreamSlots, type StreamSlots } from './stream-slots.js';

export interface EventStreamRouterDeps {
  hub: EventHub;
  /** For Last-Event-ID replays; or hand in `readEventsAfter`. */
  knex?: Knex;
  readEventsAfter?: ReadEventsAfter;
  /** Whether a (non-admin) caller may see a permit's events: membership in `permit_members`. */
  canSeePermit: PermitVisibility;
  logger: Logger;
  /** Comment line sent to idle connections. Default 15 s. */
  heartbeatMs?: number;
  /** Default 5 s. */
  visibilityCacheMs?: number;
  /** Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Open streams one user may hold; default 5. */
  maxStreamsPerUser?: number;
  /** Where open streams are counted: across instances on PostgreSQL (`createPgStreamSlots`); default this process. */
  streamSlots?: StreamSlots;
  /**
   * When the caller's token expires (epoch ms), for closing the stream then. Default: `res.locals.tokenExpiresAt`
   * when the authenticator set it, else the `exp` of the (already verified) bearer token.
   */
  tokenExpiresAt?: (req: Request, res: Response) => number | undefined;
}

const Query = z.object({
  lastEventId: z.coerce.number().int().min(0).optional().meta({ description: 'Alternative to the Last-Event-ID header (for clients that cannot set headers).' }),
});

export function createEventStreamRouter(deps: EventStreamRouterDeps): FeatureRouter {
  const knex = deps.knex;
  const read: ReadEventsAfter | undefined = deps.readEventsAfter ?? (knex ? (afterSeq, limit) => readEventsAfter(knex, afterSeq, limit) : undefined);
  if (!read) throw new Error('createEventStreamRouter needs knex or readEventsAfter (for Last-Event-ID replays)');
  const options = {
    hub: deps.hub,
    readEventsAfter: read,
    canSeePermit: deps.canSeePermit,
    logger: deps.logger,
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    visibilityCacheMs: deps.visibilityCacheMs ?? 5_000,
    maxBufferedBytes: deps.maxBufferedBytes ?? 1024 * 1024,
    replayPageSize: 500,
  };
  const maxStreams = deps.maxStreamsPerUser ?? 5;
  const expiresAt = deps.tokenExpiresAt ?? tokenExpiresAt;
  const slots = deps.streamSlots ?? createInProcessStreamSlots();

  return {
    name: 'events',
    routes: [
      defineRoute({
        method: 'get',
        path: '/events/stream',
        summary: 'Stream permit events (Server-Sent Events)',
        description:
          'Events of the permits you are on (administrators: all) as Server-Sent Events: `id` is the event sequence number, `event` the event name ' +
          '(e.g. `permit.status.updated`), `data` the event as JSON `{ id, seq, name, permitId, occurredAt, payload }`. Reconnect with `Last-Event-ID` ' +
          'to receive what you missed. Comment lines (`: heartbeat`) keep the connection open. When your token expires the stream sends a final ' +
          '`stream.expired` event (`{ reason, expiredAt, lastEventId }`) and closes: get a new token and reconnect with that Last-Event-ID. ' +
          'A user may hold a limited number of streams at once, counted across every instance (EVENT_STREAMS_PER_USER, default 5); one more answers 429.',
        tags: ['Events'],
        auth: 'bearer',
        request: { query: Query },
        responses: { 200: { description: 'An endless event stream', contentType: 'text/event-stream' } },
        handler: async ({ query }, { req, res, caller }) => {
          const lastEventId = query.lastEventId ?? parseLastEventId(req.get('Last-Event-ID'));
          const slot = await slots.take(caller.userId, maxStreams);
          if (!slot.taken) {
            throw new HttpProblemError(
              'rate-limited',
              `You already have ${slot.open} event streams open (the limit is ${maxStreams} per user); close one (or reuse one stream for every permit) and try again.`,
              { openStreams: slot.open, limit: maxStreams },
              { 'Retry-After': '5' },
            );
          }
          const onClose = () => {
            slot.release().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not release an event stream slot; its lease expires on its own'));
          };
          if (res.destroyed || req.socket.destroyed) {
            onClose(); // the client left while the slot was being taken
            return;
          }
          const expiry = expiresAt(req, res);
          openEventStream(res, caller, lastEventId, options, { ...(expiry === undefined ? {} : { expiresAt: expiry }), onClose });
        },
      }),
    ],
  };
}

/** The token's expiry: what the authenticator recorded, else the `exp` claim of the bearer token it verified. */
function tokenExpiresAt(req: Request, res: Response): number | undefined {
  const recorded: unknown = res.locals.tokenExpiresAt;
  if (typeof recorded === 'number') return recorded;
  const token = /^Bearer[ ]+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function parseLastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = Number(header.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`Last-Event-ID must be the id (a sequence number) of an event this stream sent, got "${header}".`, {
      errors: [{ path: 'headers.last-event-id', message: 'must be a non-negative integer' }],
    });
  }
  return value;
}
