import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { MESSAGES, MESSAGE_CONTRACTS, type MessageName } from '../../shared/index.js';
import { checkMessageVariables, correlationKeyFor } from './permit-messages.js';

describe('permit messages', () => {
  const input = { permitId: 'a1b2', dataHolder: 'dana', egressRequestId: 'e-9' };

  it.each(Object.keys(MESSAGE_CONTRACTS) as MessageName[])('computes the correlation key of %s as its catch event does', (name) => {
    const feel = MESSAGE_CONTRACTS[name].correlationKey.replace(/^=/, '');
    expect(correlationKeyFor(name, input)).toBe(evaluate(feel, input).value);
  });

  it('refuses variables the contract does not list', () => {
    expect(() => checkMessageVariables(MESSAGES.applicationWithdrawn, { withdrawnBy: 'alice', reason: null, sneaky: true })).toThrow(/does not carry sneaky/);
    expect(() => checkMessageVariables(MESSAGES.setupSubmitted, { setupSubmittedBy: 'alice', setupSubmissionNote: null })).not.toThrow();
  });

  it('needs the data holder for upload confirmations', () => {
    expect(() => correlationKeyFor(MESSAGES.ingressUploadConfirmed, { permitId: 'p' })).toThrow(/data holder/);
  });
});
