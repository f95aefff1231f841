/**
 * (d) heap bytes per waiting user-task instance: on a fresh engine, heap used after full GCs with `waiting`
 * instances waiting in a user task, minus heap used before creating them, divided by `waiting`. Everything
 * runs in this process, so the figure also contains whatever the HTTP layer and client keep per instance
 * (they should keep nothing once the create call has returned).
 */
import { NO_WAIT, type CamundaClient } from '../../test/support/camunda-client.js';
import { USER_TASK_BPMN, USER_TASK_PROCESS_ID } from './bench-options.js';
import { settledHeapUsed } from './heap.js';
import { progress } from './report.js';
import { runPool } from './run-pool.js';

export async function engineHeapPerWaiting(client: CamundaClient, opts: { waiting: number; concurrency: number }): Promise<number> {
  const deployment = await client.deployResourcesFromFiles([USER_TASK_BPMN]);
  const processDefinitionKey = String(deployment.processes[0]?.processDefinitionKey ?? '');
  const warmup = 100;
  await createWaiting(client, warmup, opts.concurrency);
  const before = await settledHeapUsed();
  await createWaiting(client, opts.waiting, opts.concurrency, progress('waiting instances', opts.waiting));
  const tasks = await client.searchUserTasks(
    { filter: { processDefinitionKey: processDefinitionKey as never, state: 'CREATED' }, page: { limit: 1 } },
    NO_WAIT,
  );
  const open = Number(tasks.page?.totalItems ?? 0);
  if (open !== warmup + opts.waiting) {
    throw new Error(`expected ${warmup + opts.waiting} open user tasks, the engine reports ${open}`);
  }
  const after = await settledHeapUsed();
  return (after - before) / opts.waiting;
}

function createWaiting(client: CamundaClient, total: number, concurrency: number, onDone?: (done: number) => void): Promise<void> {
  const create = (n: number) => client.createProcessInstance({ processDefinitionId: USER_TASK_PROCESS_ID, variables: { n } });
  return runPool(total, concurrency, create, onDone);
}
