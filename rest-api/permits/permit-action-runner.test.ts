import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidTransitionError, MESSAGES, UnavailableError } from '../../shared/index.js';
import { NoWaitingSubscriptionError, type CorrelateMessageRequest, type EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createFakePermitStore } from './fake-permit-store.js';
import { createPermitAccess } from './permit-access.js';
import { createActionRunner, intentKeyOf } from './permit-action-runner.js';

const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const ID = 'eeeeeeee-0000-4000-8000-000000000002';

function setup(mode: () => 'take' | 'refuse' | 'down' = () => 'take') {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'ANALYSIS_ACTIVE' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const correlated: CorrelateMessageRequest[] = [];
  const engine = {
    async correlateMessage(request: CorrelateMessageRequest) {
      await Promise.resolve();
      const now = mode();
      if (now === 'refuse') throw new NoWaitingSubscriptionError(request.name, request.correlationKey);
      if (now === 'down') throw new UnavailableError('engine unreachable');
      correlated.push(request);
      return { processInstanceKey: '1' };
    },
  } as unknown as EnginePort;
  const run = createActionRunner({ access: createPermitAccess(permits), engine, store: permits });
  const suspend = (reason: string) =>
    run({ caller: rita, permitId: ID, action: 'suspend', message: MESSAGES.suspensionRequested, variables: { suspensionReason: reason, suspendedBy: 'rita' } });
  const amend = (summary: string) =>
    run({ caller: alice, permitId: ID, action: 'request-amendment', message: MESSAGES.amendmentRequested, variables: { amendment: { summary }, amendmentRequestedBy: 'alice' } as never });
  return { permits, correlated, suspend, amend };
}

describe('permit action runner: one effect per intent', () => {
  it('carries out five identical concurrent suspends once; the other four are 409 conflict and write nothing', async () => {
    const { permits, correlated, suspend } = setup();
    const answers = await Promise.allSettled(Array.from({ length: 5 }, () => suspend('Security incident')));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refusals = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => a.reason as unknown);
    expect(refusals.map((reason) => reason instanceof ConflictError)).toEqual([true, true, true, true]);
    expect(correlated).toHaveLength(1);
    expect(permits.audits).toEqual([expect.objectContaining({ action: 'permit.suspend', idempotencyKey: `api:permit.suspend:${ID}:v1` })]);
    // A status change is one intent whatever its reason says.
    await expect(suspend('Another reason')).rejects.toBeInstanceOf(ConflictError);
  });

  it('is a new intent once the permit has moved on (a new version)', async () => {
    const { permits, correlated, suspend } = setup();
    await suspend('First');
    permits.setStatus(ID, 'SUSPENDED');
    permits.setStatus(ID, 'ANALYSIS_ACTIVE');
    await suspend('Second');
    expect(correlated).toHaveLength(2);
  });

  it('takes two different amendments at one version, but not the same one twice', async () => {
    const { correlated, amend } = setup();
    await amend('Extend by a year');
    await expect(amend('Extend by a year')).rejects.toBeInstanceOf(ConflictError);
    await amend('Add Bob');
    expect(correlated).toHaveLength(2);
  });

  it('writes no audit entry when the process does not take the message or the engine is down, so a retry works', async () => {
    const modes: ('take' | 'refuse' | 'down')[] = ['refuse', 'down', 'take'];
    const { permits, correlated, suspend } = setup(() => modes.shift() ?? 'take');
    await expect(suspend('x')).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(suspend('x')).rejects.toBeInstanceOf(UnavailableError);
    expect(permits.audits).toEqual([]);
    await suspend('x');
    expect(correlated).toHaveLength(1);
    expect(permits.audits).toHaveLength(1);
  });

  it('keys non-status intents by what they say, status intents by the action alone', () => {
    expect(intentKeyOf('suspend', 'k', { a: 1 })(3)).toBe(intentKeyOf('suspend', 'k', { a: 2 })(3));
    expect(intentKeyOf('request-amendment', 'k', { a: 1 })(3)).not.toBe(intentKeyOf('request-amendment', 'k', { a: 2 })(3));
    expect(intentKeyOf('request-amendment', 'k', { a: 1, b: 2 })(3)).toBe(intentKeyOf('request-amendment', 'k', { b: 2, a: 1 })(3));
  });
});
