import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidTransitionError, MESSAGES, UnavailableError } from '../../shared/index.js';
import type { EnginePort, PublishMessageRequest } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createFakePermitStore } from './fake-permit-store.js';
import { createPermitAccess } from './permit-access.js';
import { createActionRunner, intentKeyOf } from './permit-action-runner.js';
import { deliverEngineCommand, ENGINE_COMMAND_TTL_MS } from './engine-command-relay.js';

const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const ID = 'eeeeeeee-0000-4000-8000-000000000002';

function setup(mode: () => 'take' | 'refuse' | 'down' = () => 'take') {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'ANALYSIS_ACTIVE' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const correlated: PublishMessageRequest[] = [];
  const engine = {
    async isWaitingFor() {
      await Promise.resolve();
      const now = mode();
      if (now === 'down') throw new UnavailableError('engine unreachable');
      return now === 'take';
    },
    async publishMessage(request: PublishMessageRequest) {
      await Promise.resolve();
      if (correlated.some((m) => m.messageId === request.messageId)) return 'duplicate';
      correlated.push(request);
      return 'published';
    },
  } as unknown as EnginePort;
  const run = createActionRunner({ access: createPermitAccess(permits), engine, store: permits });
  const suspend = (reason: string) =>
    run({ caller: rita, permitId: ID, action: 'suspend', message: MESSAGES.suspensionRequested, variables: { suspensionReason: reason, suspendedBy: 'rita' } });
  const amend = (summary: string) =>
    run({ caller: alice, permitId: ID, action: 'request-amendment', message: MESSAGES.amendmentRequested, variables: { amendment: { summary }, amendmentRequestedBy: 'alice' } as never });
  return { permits, correlated, suspend, amend, engine };
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

  it('publishes with the intent key as message id and the TTL the relay relies on; the command is marked delivered', async () => {
    const { permits, correlated, suspend } = setup();
    await suspend('Security incident');
    expect(correlated).toEqual([expect.objectContaining({ messageId: `api:permit.suspend:${ID}:v1`, timeToLive: ENGINE_COMMAND_TTL_MS, correlationKey: ID })]);
    expect(permits.commands).toEqual([expect.objectContaining({ messageId: `api:permit.suspend:${ID}:v1`, status: 'delivered' })]);
  });

  it('keeps the command pending when the answer to the publication is lost; a redelivery is refused by the engine as a duplicate', async () => {
    const { permits, correlated, suspend, engine } = setup();
    const publish = engine.publishMessage.bind(engine);
    engine.publishMessage = async (request) => {
      await publish(request); // the engine took it ...
      throw new UnavailableError('connection reset'); // ... and the answer never came back
    };
    await suspend('Security incident'); // accepted: recorded, and the relay finishes the delivery
    expect(permits.audits).toHaveLength(1);
    const [command] = permits.commands;
    expect(command?.status).toBe('pending');
    engine.publishMessage = publish;
    expect(await deliverEngineCommand(engine, command!)).toBe('duplicate');
    expect(correlated).toHaveLength(1);
  });

  it('answers 409 for another action while one of the permit\'s commands is still pending, and writes nothing', async () => {
    const { permits, suspend, amend, engine } = setup();
    engine.publishMessage = () => Promise.reject(new UnavailableError('engine unreachable'));
    await suspend('Security incident');
    await expect(amend('Extend by a year')).rejects.toThrow(/still being handed to its process/);
    expect(permits.audits).toHaveLength(1);
    expect(permits.commands).toHaveLength(1);
  });

  it('keys non-status intents by what they say, status intents by the action alone', () => {
    expect(intentKeyOf('suspend', 'k', { a: 1 })(3)).toBe(intentKeyOf('suspend', 'k', { a: 2 })(3));
    expect(intentKeyOf('request-amendment', 'k', { a: 1 })(3)).not.toBe(intentKeyOf('request-amendment', 'k', { a: 2 })(3));
    expect(intentKeyOf('request-amendment', 'k', { a: 1, b: 2 })(3)).toBe(intentKeyOf('request-amendment', 'k', { b: 2, a: 1 })(3));
  });
});
