/**
 * An extension approved during the analysis reaches the running analysis: the research team asks over the REST
 * API for a later end date (a calendar date), an HDAB reviewer approves it, `permit.apply-amendment` stores it and
 * publishes `permit.validity-changed`, and the analysis (BPMN 4) takes the new `validUntil` — the date its expiry
 * timer and warnings are armed at — while staying in "Analysis in progress".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS, PROCESS_IDS } from '../../../shared/index.js';
import { NO_WAIT } from '../../support/camunda-client.js';
import { waitFor } from '../../support/wait-for.js';
import { expectStatus, waitForTask } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { permitInAnalysis, usersOf, type Users } from './drive-permit.js';

describe('an amendment of the end date during the analysis', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  it('moves the running analysis to the new end date', async () => {
    const permit = await permitInAnalysis(pm, users);
    const analysis = await waitFor(
      'the analysis (BPMN 4) to run',
      async () => {
        const found = await pm.camunda.searchProcessInstances({ filter: { processDefinitionId: PROCESS_IDS.analysis } } as never, NO_WAIT);
        return (found.items as Array<{ processInstanceKey: string; state: string }>).find((instance) => instance.state === 'ACTIVE');
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const validUntilOf = async () => {
      const found = await pm.camunda.searchVariables({ filter: { processInstanceKey: analysis.processInstanceKey, name: 'validUntil' }, truncateValues: false } as never, NO_WAIT);
      return JSON.parse((found.items as Array<{ value: string }>)[0]!.value) as string;
    };
    expect(await validUntilOf()).not.toBe('2031-06-30T23:59:59.999Z');

    expectStatus(await users.alice.post(`/permits/${permit.id}/amendments`, { summary: 'Six more months for the follow-up', validUntil: '2031-06-30' }), 202, 'request amendment');
    const task = await waitForTask(users.rita, permit.id, FORM_IDS.amendmentAssessment);
    expect(task.formId).toBe(FORM_IDS.amendmentAssessment);
    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'AMENDMENT', decision: 'APPROVED', comment: 'Follow-up justified', checklist: ['WITHIN_PERMIT_PURPOSE', 'NEW_MEMBERS_VETTED', 'DATA_SCOPE_ASSESSED'] }), 201, 'approve amendment');

    await waitFor('the analysis to take the new end date', async () => (await validUntilOf()) === '2031-06-30T23:59:59.999Z', { timeoutMs: 20_000, intervalMs: 100 });
    const permitNow = expectStatus(await users.alice.get<{ validUntil: string; status: string }>(`/permits/${permit.id}`), 200, 'read permit').body;
    expect(new Date(permitNow.validUntil).toISOString()).toBe('2031-06-30T23:59:59.999Z');
    expect(permitNow.status).toBe('ANALYSIS_ACTIVE');
    const now = await pm.camunda.searchProcessInstances({ filter: { processDefinitionId: PROCESS_IDS.analysis } } as never, NO_WAIT);
    expect((now.items as Array<{ processInstanceKey: string; state: string }>).map((i) => [i.processInstanceKey, i.state])).toEqual([[analysis.processInstanceKey, 'ACTIVE']]);
  });
});
