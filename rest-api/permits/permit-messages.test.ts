import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { MESSAGES, MESSAGE_CONTRACTS, type MessageName } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import { correlationKeyFor, sendPermitMessage } from './permit-messages.js';

describe('permit messages', () => {
  const input = { permitId: 'a1b2', dataHolder: 'dana', egressRequestId: 'e-9' };

  it.each(Object.keys(MESSAGE_CONTRACTS) as MessageName[])('computes the correlation key of %s as its catch event does', (name) => {
    const feel = MESSAGE_CONTRACTS[name].correlationKey.replace(/^=/, '');
    expect(correlationKeyFor(name, input)).toBe(evaluate(feel, input).value);
  });

  it('correlates with the contract variables and reports a message nobody waits for', async () => {
    const engine = createFakeEnginePort();
    engine.expectMessage(MESSAGES.setupSubmitted, 'p-1');
    await expect(sendPermitMessage(engine, MESSAGES.setupSubmitted, { permitId: 'p-1' }, { setupSubmittedBy: 'alice', setupSubmissionNote: null })).resolves.toBe(true);
    expect(engine.correlated).toEqual([{ name: MESSAGES.setupSubmitted, correlationKey: 'p-1', variables: { setupSubmittedBy: 'alice', setupSubmissionNote: null } }]);
    await expect(sendPermitMessage(engine, MESSAGES.setupSubmitted, { permitId: 'p-1' }, { setupSubmittedBy: 'alice', setupSubmissionNote: null })).resolves.toBe(false);
  });

  it('refuses variables the contract does not list', async () => {
    const engine = createFakeEnginePort();
    const variables = { withdrawnBy: 'alice', reason: null, sneaky: true } as unknown as { withdrawnBy: string; reason: null };
    await expect(sendPermitMessage(engine, MESSAGES.applicationWithdrawn, { permitId: 'p-1' }, variables)).rejects.toThrow(/does not carry sneaky/);
  });

  it('needs the data holder for upload confirmations', () => {
    expect(() => correlationKeyFor(MESSAGES.ingressUploadConfirmed, { permitId: 'p' })).toThrow(/data holder/);
  });
});
