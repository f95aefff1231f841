import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/error-codes', () => {
  it('passes an error of BPMN_ERRORS and an escalation of ESCALATIONS', async () => {
    expect(await lintFixture('error-codes', 'valid')).toEqual([]);
  });

  it('reports unknown and missing error codes and an unknown escalation code', async () => {
    expect(await lintFixture('error-codes', 'invalid')).toEqual([
      { id: 'Error_Unknown', message: expect.stringMatching(/^Error code "WORKSPACE_ON_FIRE" is not in BPMN_ERRORS/) },
      { id: 'Error_NoCode', message: expect.stringMatching(/^Error code "" is not in BPMN_ERRORS/) },
      { id: 'Escalation_Unknown', message: expect.stringMatching(/^Escalation code "PERMIT_REVOKE" is not in ESCALATIONS/) },
    ]);
  });
});
