/**
 * Records every authenticated caller in the user directory, so the notification workers know a person's name,
 * email (token claim `email`) and roles, and the team rules know the person (their first request makes them known,
 * see docs/rest-api.md). A caller is written at most once per `refreshMs` (default 5 minutes) per process, or
 * sooner when what the token says changed; the request waits for that write (so whoever adds the person next
 * finds them), and a failure is logged, never answered to the caller.
 *
 * Wire it at the edge by wrapping the authenticator handed to `createApp` (no change to the app itself):
 *
 *   const recorder = createCallerRecorder({ upsert: (entries) => upsertDirectoryEntries(knex, entries), logger });
 *   createApp({ ..., authenticator: withCallerRecording(identity.authenticator, recorder) });
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Caller } from '../identity/caller.js';
import type { DirectoryEntry } from './user-directory.js';

export interface CallerRecorderOptions {
  upsert: (entries: readonly DirectoryEntry[]) => Promise<void>;
  logger: Logger;
  /** Default 5 minutes. */
  refreshMs?: number;
  now?: () => number;
  /** Callers remembered at most (oldest forgotten first). Default 10 000. */
  maxRemembered?: number;
}

export interface CallerRecorder {
  /** Records the caller unless recorded recently with the same details; resolves when written (or skipped). */
  record(caller: Caller): Promise<void>;
  /** Whether `record` would skip this caller now (recorded recently with the same details). */
  isRecorded(caller: Caller): boolean;
}

export function createCallerRecorder(options: CallerRecorderOptions): CallerRecorder {
  const refreshMs = options.refreshMs ?? 5 * 60_000;
  const now = options.now ?? (() => Date.now());
  const max = options.maxRemembered ?? 10_000;
  const recorded = new Map<string, { fingerprint: string; at: number }>();
  const fingerprintOf = (caller: Caller): string => JSON.stringify([caller.name, caller.email ?? null, caller.roles]);
  const isRecorded = (caller: Caller, fingerprint = fingerprintOf(caller)): boolean => {
    const last = recorded.get(caller.userId);
    return last !== undefined && last.fingerprint === fingerprint && now() - last.at < refreshMs;
  };

  return {
    isRecorded: (caller) => isRecorded(caller),
    async record(caller) {
      const entry: DirectoryEntry = { userId: caller.userId, displayName: caller.name, email: caller.email, roles: [...caller.roles] };
      const fingerprint = fingerprintOf(caller);
      if (isRecorded(caller, fingerprint)) return;
      // Remember first, so concurrent requests of one caller write once; forget again if the write fails.
      recorded.delete(caller.userId);
      recorded.set(caller.userId, { fingerprint, at: now() });
      if (recorded.size > max) recorded.delete(recorded.keys().next().value as string);
      try {
        await options.upsert([entry]);
      } catch (error) {
        recorded.delete(caller.userId);
        options.logger.warn({ err: error, userId: caller.userId }, 'could not record the caller in the user directory; trying again on their next request');
      }
    },
  };
}

/** The authenticator with `identify` recording each identified caller before passing on. */
export function withCallerRecording<A extends { identify: RequestHandler }>(authenticator: A, recorder: CallerRecorder): A {
  const identify: RequestHandler = (req, res, next) => {
    void authenticator.identify(req, res, (error?: unknown) => {
      const caller = res.locals.caller as Caller | undefined;
      if (error || !caller) {
        next(error);
        return;
      }
      // Most requests come from a caller recorded moments ago: they go on at once, without a turn of the event loop.
      if (recorder.isRecorded(caller)) {
        next();
        return;
      }
      // `record` never rejects (it logs failures); waiting is one write per caller per refresh period.
      void recorder.record(caller).then(() => next());
    });
  };
  return { ...authenticator, identify };
}
