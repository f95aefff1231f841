import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { EngineCore } from '../engine.js';
import { EngineQueryService } from '../engine-queries.js';
import { definitions, flow, job } from '../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const of = (pik: string) => ({ filters: [{ field: 'processInstanceKey', op: '$eq' as const, value: pik }], sort: [], offset: 0, limit: 100 });
const userTask = (id: string, extra = '') => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements>${extra}</bpmn:userTask>`;
const service = (id: string, type: string) => `<bpmn:serviceTask id="${id}">${job(type)}</bpmn:serviceTask>`;

/** Deploys one process (a new version when the id was deployed before) and returns its definition key. */
async function deploy(id: string, body: string, head = ''): Promise<string> {
  const r = await k.deploy(`${id}-${Math.random()}.bpmn`, definitions(`${head}<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>`));
  return r.processes[0]!.processDefinitionKey;
}

async function start(processDefinitionKey: string, variables: Record<string, unknown> = {}): Promise<string> {
  return (await k.core.createProcessInstance({ processDefinitionKey, variables })).instance.processInstanceKey;
}

async function refusal(call: Promise<unknown>): Promise<EngineError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('process instance migration', () => {
  it('moves a waiting user task to the new version, keeping its key, and the instance runs on the new version', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('review')}<bpmn:endEvent id="e" />${flow('f1', 's', 'review')}${flow('f2', 'review', 'e')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('review2')}${service('notify', 'notify')}<bpmn:endEvent id="e" />
      ${flow('f1', 's', 'review2')}${flow('f2', 'review2', 'notify')}${flow('f3', 'notify', 'e')}`);
    const pik = await start(v1, { a: 1 });
    const [task] = (await k.queries.searchUserTasks(of(pik))).items;
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review2' }] });

    const instance = await k.queries.getProcessInstance(pik);
    expect(instance).toMatchObject({ processDefinitionKey: v2, processDefinitionVersion: 2, state: 'ACTIVE' });
    const moved = await k.queries.getUserTask(task!.userTaskKey);
    expect(moved).toMatchObject({ elementId: 'review2', processDefinitionKey: v2, processDefinitionVersion: 2, state: 'CREATED' });
    const active = (await k.queries.searchElementInstances(of(pik))).items.filter((e) => e.state === 'ACTIVE');
    expect(active.map((e) => [e.elementId, e.elementInstanceKey])).toEqual([['review2', task!.elementInstanceKey]]);

    await k.core.completeUserTask(task!.userTaskKey, {});
    expect(await k.completeJobs('notify')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'a')).toBe(1);
  });

  it('moves a service task job to another process id, keeping its key and type', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${service('work', 'work')}<bpmn:endEvent id="e" />${flow('f1', 's', 'work')}${flow('f2', 'work', 'e')}`);
    const other = await deploy('q', `<bpmn:startEvent id="s" />${service('work', 'work-v2')}<bpmn:endEvent id="end" />${flow('f1', 's', 'work')}${flow('f2', 'work', 'end')}`);
    const pik = await start(v1);
    const [before] = (await k.queries.searchJobs(of(pik))).items;
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: other, mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work' }] });
    const [after] = (await k.queries.searchJobs(of(pik))).items;
    expect(after).toMatchObject({ jobKey: before!.jobKey, type: 'work', processDefinitionId: 'q', processDefinitionKey: other });
    expect(await k.completeJobs('work')).toBe(1);
    expect(await k.trail(pik)).toContain('end:COMPLETED');
    expect(await k.state(pik)).toBe('COMPLETED');
  });

  it('refuses with every reason and changes nothing', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />${userTask('a')}${service('b', 'b')}
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'a')}${flow('f3', 'fork', 'b')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${service('a', 'a')}${flow('f1', 's', 'a')}`);
    const pik = await start(v1);
    const error = await refusal(
      k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.detail).toContain(`active element with id 'a' and type 'USER_TASK' is mapped to an element with id 'a' and different type 'SERVICE_TASK'`);
    expect(error.detail).toContain(`no mapping instruction defined for active element with id 'b'. Elements cannot be migrated without a mapping.`);
    const unknown = await refusal(
      k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'nope', targetElementId: 'gone' }, { sourceElementId: 'a', targetElementId: 'a' }, { sourceElementId: 'a', targetElementId: 's' }] }),
    );
    expect(unknown.detail).toContain(`duplicate source element ids '[a]'`);
    expect(unknown.detail).toContain(`non-existing source element id 'nope'`);
    expect(unknown.detail).toContain(`non-existing target element id 'gone'`);
    expect((await refusal(k.core.migrateProcessInstance('999', { targetProcessDefinitionKey: v2, mappingInstructions: [] }))).status).toBe(404);
    expect((await refusal(k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: '999', mappingInstructions: [] }))).status).toBe(404);
    expect((await k.queries.getProcessInstance(pik)).processDefinitionVersion).toBe(1);
    expect((await k.queries.searchJobs(of(pik))).items.map((j) => j.elementId)).toEqual(['b']);
  });

  it('refuses an element moved into another flow scope', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${flow('f1', 's', 'a')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${userTask('a')}${flow('g1', 'ss', 'a')}</bpmn:subProcess>${flow('f1', 's', 'sub')}`);
    const pik = await start(v1);
    const error = await refusal(k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }] }));
    expect(error.detail).toContain(`the flow scope of active element with id 'a' is changed. The flow scope of the active element is expected to be 'p' but was 'sub'.`);
  });

  it('migrates a sub-process with its child, and boundary events follow the mapping', async () => {
    k = await constructKit();
    const head = '<bpmn:message id="m1" name="cancel"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';
    const v1 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${userTask('a')}${flow('g1', 'ss', 'a')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="cancelled" attachedToRef="sub"><bpmn:messageEventDefinition messageRef="m1" /></bpmn:boundaryEvent>
      <bpmn:endEvent id="stopped" />${flow('f1', 's', 'sub')}${flow('f2', 'cancelled', 'stopped')}`, head);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:subProcess id="sub2"><bpmn:startEvent id="ss" />${userTask('a2')}${flow('g1', 'ss', 'a2')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="late" attachedToRef="sub2"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="timedOut" />${flow('f1', 's', 'sub2')}${flow('f2', 'late', 'timedOut')}`);
    const pik = await start(v1, { id: 'x' });
    expect((await k.queries.searchMessageSubscriptions(of(pik))).items.map((m) => m.state)).toEqual(['CREATED']);
    await k.core.migrateProcessInstance(pik, {
      targetProcessDefinitionKey: v2,
      mappingInstructions: [{ sourceElementId: 'sub', targetElementId: 'sub2' }, { sourceElementId: 'a', targetElementId: 'a2' }],
    });
    expect((await k.queries.searchMessageSubscriptions(of(pik))).items.map((m) => m.state)).toEqual(['DELETED']);
    const timers = [...k.core.runtime.timers.values()];
    expect(timers.map((t) => t.elementId)).toEqual(['late']);
    await k.core.pinClock(k.clock.now() + 2 * 3600_000);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toEqual(expect.arrayContaining(['a2:TERMINATED', 'sub2:TERMINATED', 'late:COMPLETED', 'timedOut:COMPLETED']));
  });

  it('keeps a mapped boundary timer with its due date and refuses a catch event detached from its element', async () => {
    k = await constructKit();
    const timer = (id: string, on: string) =>
      `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${timer('t', 'a')}<bpmn:endEvent id="e" />${flow('f1', 's', 'a')}${flow('f2', 't', 'e')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${userTask('other')}${timer('t2', 'a')}${timer('t3', 'other')}<bpmn:endEvent id="e" />
      ${flow('f1', 's', 'a')}${flow('f2', 't2', 'e')}${flow('f3', 't3', 'e')}`);
    const pik = await start(v1);
    const [before] = [...k.core.runtime.timers.values()];
    const detached = await refusal(k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }, { sourceElementId: 't', targetElementId: 't3' }] }));
    expect(detached.detail).toContain(`has a catch event with id 't' that is mapped to a catch event with id 't3'. These mappings detach the catch event`);
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }, { sourceElementId: 't', targetElementId: 't2' }] });
    const [after] = [...k.core.runtime.timers.values()];
    expect(after).toMatchObject({ timerKey: before!.timerKey, dueDate: before!.dueDate, elementId: 't2', processDefinitionKey: v2 });
  });

  it('moves tokens waiting at a parallel join with the mapped gateway', async () => {
    k = await constructKit();
    const body = (b: string) => `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />${service('x', 'x')}${userTask(b)}<bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'x')}${flow('f3', 'fork', b)}${flow('f4', 'x', 'join')}${flow('f5', b, 'join')}${flow('f6', 'join', 'e')}`;
    const v1 = await deploy('p', body('y'));
    const v2 = await deploy('p', body('y2'));
    const pik = await start(v1);
    await k.completeJobs('x');
    const unmapped = await refusal(k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'y', targetElementId: 'y2' }] }));
    expect(unmapped.detail).toContain(`no mapping instruction defined for active element with id 'join'`);
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'y', targetElementId: 'y2' }, { sourceElementId: 'join', targetElementId: 'join' }] });
    const [task] = (await k.queries.searchUserTasks(of(pik))).items;
    await k.core.completeUserTask(task!.userTaskKey, {});
    expect(await k.state(pik)).toBe('COMPLETED');
  });

  it('migrates a multi-instance body with its inner instances, and refuses a change from parallel to sequential', async () => {
    k = await constructKit();
    const mi = (id: string, sequential: boolean) =>
      `<bpmn:serviceTask id="${id}">${job('item')}<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`;
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${mi('each', false)}<bpmn:endEvent id="e" />${flow('f1', 's', 'each')}${flow('f2', 'each', 'e')}`);
    const sequential = await deploy('p', `<bpmn:startEvent id="s" />${mi('each2', true)}<bpmn:endEvent id="e" />${flow('f1', 's', 'each2')}${flow('f2', 'each2', 'e')}`);
    const parallel = await deploy('p', `<bpmn:startEvent id="s" />${mi('each2', false)}<bpmn:endEvent id="e2" />${flow('f1', 's', 'each2')}${flow('f2', 'each2', 'e2')}`);
    const pik = await start(v1, { items: [1, 2, 3] });
    const refused = await refusal(k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: sequential, mappingInstructions: [{ sourceElementId: 'each', targetElementId: 'each2' }] }));
    expect(refused.detail).toContain(`active element with id 'each' has a different loop characteristics than the target element with id 'each2'`);
    const jobsBefore = (await k.queries.searchJobs(of(pik))).items.map((j) => j.jobKey).sort();
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: parallel, mappingInstructions: [{ sourceElementId: 'each', targetElementId: 'each2' }] });
    const jobsAfter = (await k.queries.searchJobs(of(pik))).items;
    expect(jobsAfter.map((j) => j.jobKey).sort()).toEqual(jobsBefore);
    expect(new Set(jobsAfter.map((j) => j.elementId))).toEqual(new Set(['each2']));
    expect(await k.completeJobs('item')).toBe(3);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.trail(pik)).toContain('e2:COMPLETED');
  });

  it('subscribes the event sub-processes of the target process and closes those of the source', async () => {
    k = await constructKit();
    const msg = (id: string, name: string) => `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>`;
    const esp = (id: string, ref: string) =>
      `<bpmn:subProcess id="${id}" triggeredByEvent="true"><bpmn:startEvent id="${id}-start"><bpmn:messageEventDefinition messageRef="${ref}" /></bpmn:startEvent><bpmn:endEvent id="${id}-end" />${flow(`${id}-f`, `${id}-start`, `${id}-end`)}</bpmn:subProcess>`;
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${esp('old', 'm1')}${flow('f1', 's', 'a')}`, msg('m1', 'old-message'));
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${esp('cancel', 'm2')}${flow('f1', 's', 'a')}`, msg('m2', 'cancel-order'));
    const pik = await start(v1, { id: 'o-1' });
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }] });
    const subs = (await k.queries.searchMessageSubscriptions(of(pik))).items.map((m) => `${m.messageName}:${m.state}`).sort();
    expect(subs).toEqual(['cancel-order:CREATED', 'old-message:DELETED']);
    await k.core.publishMessage({ name: 'cancel-order', correlationKey: 'o-1' });
    expect(await k.trail(pik)).toEqual(expect.arrayContaining(['a:TERMINATED', 'cancel-end:COMPLETED']));
    expect(await k.state(pik)).toBe('COMPLETED');
  });

  it('a migrated instance carries on on the target after a restart', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a')}${flow('f1', 's', 'a')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${userTask('a2')}${service('after', 'after')}
      <bpmn:boundaryEvent id="late" attachedToRef="a2" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="reminded" />${flow('f1', 's', 'a2')}${flow('f2', 'a2', 'after')}${flow('f3', 'late', 'reminded')}`);
    const pik = await start(v1);
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }] });
    await k.core.stop();

    const core = await EngineCore.open({ store: k.store, logger: pino({ level: 'silent' }), clock: k.clock, defaultRequestTimeout: 50 });
    const queries = new EngineQueryService(k.store, k.clock, () => core.runtime);
    k = { ...k, core, queries };
    expect([...core.runtime.timers.values()].map((t) => t.elementId)).toEqual(['late']);
    await core.pinClock(k.clock.now() + 2 * 3600_000);
    expect(await k.trail(pik)).toContain('reminded:COMPLETED');
    const [task] = (await queries.searchUserTasks(of(pik))).items;
    expect(task).toMatchObject({ elementId: 'a2', processDefinitionKey: v2 });
    await core.completeUserTask(task!.userTaskKey, {});
    const [afterJob] = await core.activateJobs({ type: 'after', worker: 't', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await core.completeJob(afterJob!.job.jobKey);
    expect((await queries.getProcessInstance(pik)).state).toBe('COMPLETED');
  });

  it('moves an element with its incident, which then resolves on the target', async () => {
    k = await constructKit();
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${service('work', 'work')}${flow('f1', 's', 'work')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${service('work2', 'work')}<bpmn:endEvent id="done" />${flow('f1', 's', 'work2')}${flow('f2', 'work2', 'done')}`);
    const pik = await start(v1);
    const [j] = await k.activate('work');
    await k.core.failJob(j!.job.jobKey, { retries: 0, errorMessage: 'down' });
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work2' }] });
    const [incident] = (await k.queries.searchIncidents(of(pik))).items;
    expect(incident).toMatchObject({ elementId: 'work2', processDefinitionKey: v2, state: 'ACTIVE' });
    await k.core.updateJob(j!.job.jobKey, { retries: 1 });
    await k.core.resolveIncident(incident!.incidentKey);
    expect(await k.completeJobs('work')).toBe(1);
    expect(await k.trail(pik)).toContain('done:COMPLETED');
  });

  it('migrates a call activity; the called instance stays as it is and its completion continues the parent on the target', async () => {
    k = await constructKit();
    await deploy('child', `<bpmn:startEvent id="cs" />${userTask('work')}${flow('c1', 'cs', 'work')}`);
    const call = (id: string) => `<bpmn:callActivity id="${id}"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>`;
    const v1 = await deploy('p', `<bpmn:startEvent id="s" />${call('call')}${flow('f1', 's', 'call')}`);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" />${call('call2')}${service('after', 'after')}${flow('f1', 's', 'call2')}${flow('f2', 'call2', 'after')}`);
    const pik = await start(v1);
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'call', targetElementId: 'call2' }] });
    const [task] = (await k.queries.searchUserTasks({ filters: [{ field: 'processDefinitionId', op: '$eq', value: 'child' }], sort: [], offset: 0, limit: 10 })).items;
    expect(task!.processInstanceKey).not.toBe(pik);
    await k.core.completeUserTask(task!.userTaskKey, {});
    expect(await k.completeJobs('after')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
  });

  it('migrates an event-based gateway: mapped events keep their subscriptions, new target events are subscribed', async () => {
    k = await constructKit();
    const head = '<bpmn:message id="m" name="go"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>';
    const catchMsg = (id: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`;
    const catchTimer = (id: string, d: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const v1 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="gw" />${catchMsg('msg')}${catchTimer('slow', 'P1D')}<bpmn:endEvent id="e" />
      ${flow('f1', 's', 'gw')}${flow('f2', 'gw', 'msg')}${flow('f3', 'gw', 'slow')}${flow('f4', 'msg', 'e')}${flow('f5', 'slow', 'e')}`, head);
    const v2 = await deploy('p', `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="gw" />${catchMsg('msg')}${catchTimer('fast', 'PT1M')}<bpmn:endEvent id="e" /><bpmn:endEvent id="quick" />
      ${flow('f1', 's', 'gw')}${flow('f2', 'gw', 'msg')}${flow('f3', 'gw', 'fast')}${flow('f4', 'msg', 'e')}${flow('f5', 'fast', 'quick')}`, head);
    const pik = await start(v1, { id: 'g' });
    const [sub] = (await k.queries.searchMessageSubscriptions(of(pik))).items;
    await k.core.migrateProcessInstance(pik, { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'gw', targetElementId: 'gw' }, { sourceElementId: 'msg', targetElementId: 'msg' }] });
    const subs = (await k.queries.searchMessageSubscriptions(of(pik))).items;
    expect(subs.map((m) => [m.messageSubscriptionKey, m.state])).toEqual([[sub!.messageSubscriptionKey, 'CREATED']]);
    expect([...k.core.runtime.timers.values()].map((t) => t.elementId)).toEqual(['fast']);
    await k.core.pinClock(k.clock.now() + 2 * 60_000);
    expect(await k.trail(pik)).toContain('quick:COMPLETED');
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
