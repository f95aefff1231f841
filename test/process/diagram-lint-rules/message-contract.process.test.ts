import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/message-contract', () => {
  it('passes known messages with their contract key, and a process-starting message without one', async () => {
    expect(await lintFixture('message-contract', 'valid')).toEqual([]);
  });

  it('reports an unknown message, a wrong and a missing correlation key and an event with no message', async () => {
    expect(await lintFixture('message-contract', 'invalid')).toEqual([
      { id: 'Message_Unknown', message: expect.stringMatching(/^Message "application\.approved" is not in MESSAGES/) },
      { id: 'Message_WrongKey', message: expect.stringMatching(/^Message "ingress\.upload-confirmed" has correlation key "=permitId", MESSAGE_CONTRACTS says "=permitId \+ "\/" \+ dataHolder"/) },
      { id: 'Message_NoKey', message: expect.stringMatching(/^Message "application\.withdrawn" has correlation key "", MESSAGE_CONTRACTS says "=permitId"/) },
      { id: 'Event_NoMessage', message: expect.stringMatching(/^The message event references no message/) },
    ]);
  });
});
