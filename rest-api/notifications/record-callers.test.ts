import type { NextFunction, Request, Response } from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../identity/caller.js';
import { createCallerRecorder, withCallerRecording } from './record-callers.js';
import type { DirectoryEntry } from './user-directory.js';

const alice: Caller = { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'], email: 'alice@research.example.org' };
const logger = pino({ level: 'silent' });

function setup(options: { failFirst?: boolean } = {}) {
  let clock = 0;
  let failures = options.failFirst ? 1 : 0;
  const written: DirectoryEntry[] = [];
  const recorder = createCallerRecorder({
    logger,
    refreshMs: 1000,
    now: () => clock,
    upsert: async (entries) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database away');
      }
      written.push(...entries);
    },
  });
  return { recorder, written, advance: (ms: number) => (clock += ms) };
}

describe('caller recorder', () => {
  it('writes a caller once per refresh period, and again when the token says something new', async () => {
    const { recorder, written, advance } = setup();
    await Promise.all([recorder.record(alice), recorder.record(alice)]);
    expect(written).toEqual([{ userId: 'alice', displayName: 'Alice Okafor', email: 'alice@research.example.org', roles: ['researcher'] }]);
    advance(999);
    await recorder.record(alice);
    expect(written).toHaveLength(1);
    await recorder.record({ ...alice, roles: ['researcher', 'data-holder'] });
    expect(written).toHaveLength(2);
    advance(1000);
    await recorder.record({ ...alice, roles: ['researcher', 'data-holder'] });
    expect(written).toHaveLength(3);
  });

  it('tries again on the next request when a write failed, without failing the request', async () => {
    const { recorder, written } = setup({ failFirst: true });
    await recorder.record(alice);
    expect(written).toHaveLength(0);
    await recorder.record(alice);
    expect(written).toHaveLength(1);
  });

  it('wraps identify: records the caller it identified and passes on', async () => {
    const { recorder, written } = setup();
    const authenticator = {
      identify: (_req: Request, res: Response, next: NextFunction) => {
        res.locals.caller = alice;
        next();
      },
    };
    const res = { locals: {} } as Response;
    const passed = await new Promise<unknown>((resolve) => {
      void withCallerRecording(authenticator, recorder).identify({} as Request, res, resolve);
    });
    expect(passed).toBeUndefined();
    await Promise.resolve();
    expect(written.map((e) => e.userId)).toEqual(['alice']);
  });

  it('lets a caller recorded moments ago pass on at once, and one with new details only after the write', async () => {
    const { recorder, written } = setup();
    const authenticator = {
      identify: (_req: Request, res: Response, next: NextFunction) => {
        res.locals.caller = res.locals.next as Caller;
        next();
      },
    };
    const identify = withCallerRecording(authenticator, recorder).identify;
    await recorder.record(alice);
    expect(recorder.isRecorded(alice)).toBe(true);
    let passed = false;
    void identify({} as Request, { locals: { next: alice } } as unknown as Response, () => (passed = true));
    expect(passed).toBe(true); // synchronously: no write to wait for

    const promoted = { ...alice, roles: ['researcher', 'admin'] } as Caller;
    expect(recorder.isRecorded(promoted)).toBe(false);
    let passedPromoted = false;
    const done = new Promise<void>((resolve) => {
      void identify({} as Request, { locals: { next: promoted } } as unknown as Response, () => {
        passedPromoted = true;
        resolve();
      });
    });
    expect(passedPromoted).toBe(false);
    await done;
    expect(written.map((e) => e.roles)).toEqual([['researcher'], ['researcher', 'admin']]);
  });
});
