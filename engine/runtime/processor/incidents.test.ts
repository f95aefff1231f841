import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../testing/engine-harness.js';
import { definitions, flow } from '../testing/bpmn-builder.js';

describe('incidents on activation', () => {
  it('a failing correlation key raises an incident; resolving it opens each subscription once', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('rt.bpmn', definitions(`<bpmn:message id="M" name="reply"><bpmn:extensionElements><zeebe:subscription correlationKey="=upper case(orderId)" /></bpmn:extensionElements></bpmn:message>
    <bpmn:process id="rt" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:receiveTask id="wait" messageRef="M" />
      <bpmn:boundaryEvent id="late" attachedToRef="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />
      ${flow('f1', 's', 'wait')}${flow('f2', 'wait', 'e')}${flow('f3', 'late', 'e2')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'rt' });
    const incidents = await queries.searchIncidents({ filters: [], sort: [], offset: 0, limit: 10 });
    expect(incidents.items.map((i) => [i.errorType, i.elementId])).toEqual([['EXTRACT_VALUE_ERROR', 'wait']]);
    expect(core.runtime.timers.size).toBe(0);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).hasIncident).toBe(true);

    await core.setVariables(instance.processInstanceKey, { variables: { orderId: 'a-1' } });
    await core.resolveIncident(incidents.items[0]!.incidentKey);
    expect(core.runtime.timers.size).toBe(1);
    expect(core.runtime.messageSubscriptions.size).toBe(1);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).hasIncident).toBe(false);

    await core.publishMessage({ name: 'reply', correlationKey: 'A-1' });
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    expect(core.runtime.timers.size).toBe(0);
    await core.stop();
  });

  it('resolving a job incident needs retries first, and names the fix', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('j.bpmn', definitions(`<bpmn:process id="j" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="t" /></bpmn:extensionElements></bpmn:serviceTask>
      ${flow('f1', 's', 't')}
    </bpmn:process>`));
    await core.createProcessInstance({ processDefinitionId: 'j' });
    const [job] = await core.activateJobs({ type: 't', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    await core.failJob(job!.job.jobKey, { retries: 0, errorMessage: 'down' });
    const [incident] = (await queries.searchIncidents({ filters: [], sort: [], offset: 0, limit: 10 })).items;
    await expect(core.resolveIncident(incident!.incidentKey)).rejects.toThrow(/update the job's retries/);
    await core.stop();
  });

  it('an uncaught BPMN error from a job: resolving the incident hands the job out again', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('u.bpmn', definitions(`<bpmn:process id="u" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="u" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="e" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'u' });
    const [job] = await core.activateJobs({ type: 'u', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    await core.throwJobError(job!.job.jobKey, { errorCode: 'NOPE' });
    const [incident] = (await queries.searchIncidents({ filters: [], sort: [], offset: 0, limit: 10 })).items;
    expect([incident!.errorType, incident!.jobKey]).toEqual(['UNHANDLED_ERROR_EVENT', job!.job.jobKey]);
    expect(await core.activateJobs({ type: 'u', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 })).toHaveLength(0);
    await core.resolveIncident(incident!.incidentKey);
    const [again] = await core.activateJobs({ type: 'u', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect(again!.job.jobKey).toBe(job!.job.jobKey);
    await core.completeJob(again!.job.jobKey);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    await core.stop();
  });
});
