/**
 * `npx tsx bench/engine/processor-cpu.ts`: CPU time per process instance spent in the engine core (interpreter,
 * state, in-memory store; no HTTP, no database), for comparing processor changes on a busy machine, where the
 * wall-clock figures of `npm run bench:engine` move with the load. The diagram passes an exclusive gateway, a
 * service task with a boundary timer, a parallel fork and join and a script task. Settings: BENCH_CPU_INSTANCES
 * (3,000; 500 more run first as warm-up).
 */
import { definitions, flow, job } from '../../engine/runtime/testing/bpmn-builder.js';
import { createTestEngine } from '../../engine/runtime/testing/engine-harness.js';

const instances = Number(process.env.BENCH_CPU_INSTANCES ?? 3_000);
if (!Number.isInteger(instances) || instances <= 0) throw new Error(`BENCH_CPU_INSTANCES must be a positive integer, got "${process.env.BENCH_CPU_INSTANCES}"`);

const DIAGRAM = definitions(`<bpmn:process id="cpu" isExecutable="true"><bpmn:startEvent id="s" />
  <bpmn:exclusiveGateway id="g" default="d" /><bpmn:serviceTask id="t">${job('cpu-work')}</bpmn:serviceTask>
  <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" />
  <bpmn:scriptTask id="sc"><bpmn:extensionElements><zeebe:script expression="=x + 1" resultVariable="y" /></bpmn:extensionElements></bpmn:scriptTask>
  <bpmn:endEvent id="e" /><bpmn:endEvent id="be" />
  ${flow('f1', 's', 'g')}${flow('d', 'g', 't')}${flow('f2', 't', 'fork')}${flow('f3', 'fork', 'sc')}${flow('f4', 'fork', 'join')}${flow('f5', 'sc', 'join')}${flow('f6', 'join', 'e')}${flow('f7', 'b', 'be')}
</bpmn:process>`);

const { core, deploy } = await createTestEngine();
await deploy('cpu.bpmn', DIAGRAM);

async function run(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await core.createProcessInstance({ processDefinitionId: 'cpu', variables: { x: i } });
    const [activated] = await core.activateJobs({ type: 'cpu-work', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    if (!activated) throw new Error('expected a cpu-work job for every instance; the diagram or the engine changed');
    await core.completeJob(activated.job.jobKey);
  }
}

await run(500);
const before = process.cpuUsage();
await run(instances);
const used = process.cpuUsage(before);
await core.stop();
console.log(`${instances} instances: ${Math.round((used.user + used.system) / instances)} µs CPU per instance (user + system)`);
