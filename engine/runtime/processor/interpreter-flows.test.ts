import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../testing/engine-harness.js';
import { definitions, flow, job } from '../testing/bpmn-builder.js';

const q = (field: string, value: unknown) => ({ filters: [{ field, op: '$eq' as const, value }], sort: [], offset: 0, limit: 1000 });

async function elementsOf(queries: Awaited<ReturnType<typeof createTestEngine>>['queries'], pik: string) {
  const r = await queries.searchElementInstances(q('processInstanceKey', pik));
  return r.items.map((e) => `${e.elementId}:${e.state}`);
}

describe('interpreter flows', () => {
  it('inclusive gateway joins only the branches that were taken', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('incl.bpmn', definitions(`<bpmn:process id="incl" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:inclusiveGateway id="fork" />
      <bpmn:serviceTask id="a">${job('a')}</bpmn:serviceTask>
      <bpmn:serviceTask id="b">${job('b')}</bpmn:serviceTask>
      <bpmn:serviceTask id="c">${job('c')}</bpmn:serviceTask>
      <bpmn:inclusiveGateway id="join" />
      <bpmn:endEvent id="e" />
      ${flow('f0', 's', 'fork')}
      ${flow('fa', 'fork', 'a', '=x &gt; 0')}${flow('fb', 'fork', 'b', '=x &gt; 1')}${flow('fc', 'fork', 'c', '=x &gt; 5')}
      ${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${flow('jc', 'c', 'join')}${flow('fe', 'join', 'e')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'incl', variables: { x: 2 } });
    const ja = await core.activateJobs({ type: 'a', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    const jb = await core.activateJobs({ type: 'b', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    const jc = await core.activateJobs({ type: 'c', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect([ja.length, jb.length, jc.length]).toEqual([1, 1, 0]);
    await core.completeJob(ja[0]!.job.jobKey);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('ACTIVE');
    await core.completeJob(jb[0]!.job.jobKey);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    const els = await elementsOf(queries, instance.processInstanceKey);
    expect(els.filter((e) => e.startsWith('join'))).toEqual(['join:COMPLETED']);
    await core.stop();
  });

  it('interrupting boundary timer cancels the task; clock pin fires a 30-day timer', async () => {
    const { core, queries, deploy, clock } = await createTestEngine();
    await deploy('bt.bpmn', definitions(`<bpmn:process id="bt" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:serviceTask id="t">${job('slow')}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="done" /><bpmn:endEvent id="timedOut" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'done')}${flow('f3', 'late', 'timedOut')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'bt' });
    await core.pinClock(clock.now() + 31 * 24 * 3600 * 1000);
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    const els = await elementsOf(queries, instance.processInstanceKey);
    expect(els).toEqual(['s:COMPLETED', 't:TERMINATED', 'late:COMPLETED', 'timedOut:COMPLETED']);
    const jobs = await queries.searchJobs(q('processInstanceKey', instance.processInstanceKey));
    expect(jobs.items.map((j) => j.state)).toEqual(['CANCELED']);
    await core.stop();
  });

  it('error thrown by a job is caught by an event sub-process in the parent scope', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('err.bpmn', definitions(`<bpmn:error id="Err" errorCode="REJECTED" />
    <bpmn:process id="err" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:serviceTask id="t">${job('check')}</bpmn:serviceTask><bpmn:endEvent id="se" />${flow('g1', 'ss', 't')}${flow('g2', 't', 'se')}</bpmn:subProcess>
      <bpmn:endEvent id="e" />
      <bpmn:subProcess id="handler" triggeredByEvent="true">
        <bpmn:startEvent id="hs"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:startEvent>
        <bpmn:endEvent id="he" />${flow('h1', 'hs', 'he')}
      </bpmn:subProcess>
      ${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'e')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'err' });
    const [j] = await core.activateJobs({ type: 'check', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 });
    await core.throwJobError(j!.job.jobKey, { errorCode: 'REJECTED', errorMessage: 'no', variables: { reason: 'x' } });
    expect((await queries.getProcessInstance(instance.processInstanceKey)).state).toBe('COMPLETED');
    const els = await elementsOf(queries, instance.processInstanceKey);
    expect(els).toEqual(['s:COMPLETED', 'sub:TERMINATED', 'ss:COMPLETED', 't:TERMINATED', 'handler:COMPLETED', 'hs:COMPLETED', 'he:COMPLETED']);
    await core.stop();
  });

  it('parallel multi-instance collects outputs in order', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('mi.bpmn', definitions(`<bpmn:process id="mi" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:serviceTask id="t">${job('item')}
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=item * 10" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
    </bpmn:process>`));
    const { instance } = await core.createProcessInstance({ processDefinitionId: 'mi', variables: { items: [1, 2, 3] } });
    const jobs = await core.activateJobs({ type: 'item', timeout: 1000, maxJobsToActivate: 10, requestTimeout: -1 });
    expect(jobs.map((j) => j.variables.item)).toEqual([1, 2, 3]);
    for (const j of [...jobs].reverse()) await core.completeJob(j.job.jobKey);
    const done = await queries.getProcessInstance(instance.processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    const vars = await queries.searchVariables(q('scopeKey', instance.processInstanceKey));
    expect(vars.items.find((v) => v.name === 'results')?.value).toBe('[10,20,30]');
    await core.stop();
  });

  it('call activity passes variables both ways; message correlates by key; buffered message waits', async () => {
    const { core, queries, deploy } = await createTestEngine();
    await deploy('child.bpmn', definitions(`<bpmn:message id="M" name="go"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
    <bpmn:process id="child" isExecutable="true">
      <bpmn:startEvent id="cs" /><bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="ce" />
      ${flow('c1', 'cs', 'wait')}${flow('c2', 'wait', 'ce')}
    </bpmn:process>`));
    await deploy('parent.bpmn', definitions(`<bpmn:process id="parent" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="true" /></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'call')}${flow('f2', 'call', 'e')}
    </bpmn:process>`));
    await core.publishMessage({ name: 'go', correlationKey: 'k2', timeToLive: 60_000, variables: { answer: 'buffered' } });
    const p1 = await core.createProcessInstance({ processDefinitionId: 'parent', variables: { id: 'k1' } });
    const p2 = await core.createProcessInstance({ processDefinitionId: 'parent', variables: { id: 'k2' } });
    expect((await queries.getProcessInstance(p2.instance.processInstanceKey)).state).toBe('COMPLETED');
    expect((await queries.getProcessInstance(p1.instance.processInstanceKey)).state).toBe('ACTIVE');
    const r = await core.correlateMessage({ name: 'go', correlationKey: 'k1', variables: { answer: 42 } });
    expect(r.processInstanceKey).not.toBe(p1.instance.processInstanceKey);
    expect((await queries.getProcessInstance(p1.instance.processInstanceKey)).state).toBe('COMPLETED');
    const vars = await queries.searchVariables(q('scopeKey', p1.instance.processInstanceKey));
    expect(vars.items.find((v) => v.name === 'answer')?.value).toBe('42');
    await core.stop();
  });
});

describe('event-based gateway', () => {
  it('takes only the branch of the event that arrives first', async () => {
    const { core, queries, deploy, clock } = await createTestEngine();
    await deploy('ebg.bpmn', definitions(`<bpmn:message id="M" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
    <bpmn:process id="ebg" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
      <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="timer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'msg')}${flow('f3', 'g', 'timer')}${flow('f4', 'msg', 'e1')}${flow('f5', 'timer', 'e2')}
    </bpmn:process>`));
    const a = await core.createProcessInstance({ processDefinitionId: 'ebg', variables: { id: 'a' } });
    const b = await core.createProcessInstance({ processDefinitionId: 'ebg', variables: { id: 'b' } });
    await core.publishMessage({ name: 'answer', correlationKey: 'a', variables: { ok: true } });
    await core.pinClock(clock.now() + 2 * 3600 * 1000);
    expect(await elementsOf(queries, a.instance.processInstanceKey)).toEqual(['s:COMPLETED', 'g:COMPLETED', 'msg:COMPLETED', 'e1:COMPLETED']);
    expect(await elementsOf(queries, b.instance.processInstanceKey)).toEqual(['s:COMPLETED', 'g:COMPLETED', 'timer:COMPLETED', 'e2:COMPLETED']);
    await core.stop();
  });
});
