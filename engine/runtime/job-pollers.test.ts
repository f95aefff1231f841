import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CommandQueue } from './command-queue.js';
import type { ActivatedJob } from './engine-api.js';
import { JobPollers } from './job-pollers.js';

/**
 * Pollers on a real command queue whose commit hands the pollers their answers first, as the engine does;
 * `becameActivatable` marks a type whose jobs the batch made activatable, served before the commit.
 */
function setup() {
  let failNextCommit = false;
  const activatable = new Set<string>();
  const queue = new CommandQueue(
    {
      execute: (run) => run(),
      beforeCommit: () => {
        for (const type of activatable) pollers.serveWaiting(type);
        activatable.clear();
      },
      commit: async () => {
        if (failNextCommit) {
          failNextCommit = false;
          throw new Error('disk full');
        }
      },
      recover: async () => pollers.dropDeliveries(),
      afterCommit: () => pollers.deliver(),
    },
    pino({ level: 'silent' }),
  );
  // The hooks above run only once commands are submitted, after this line.
  const pollers: JobPollers = new JobPollers((run) => queue.submit(run), 10_000);
  return { queue, pollers, failNextCommit: () => (failNextCommit = true), becameActivatable: (type: string) => activatable.add(type) };
}

const job = { job: { jobKey: '1' } } as unknown as ActivatedJob;

describe('JobPollers', () => {
  it('answers an activation that found jobs after the commit, before the other callers of its batch', async () => {
    const { queue, pollers } = setup();
    const heard: string[] = [];
    // Keeps a commit in flight, so the next two commands run together in the following batch.
    const first = queue.submit(() => 'first');
    const other = queue.submit(() => 'created').then(() => heard.push('other'));
    const activation = pollers.activate({ type: 't', timeout: 1000, maxJobsToActivate: 1 }, () => [job]).then((jobs) => heard.push(`worker:${jobs.length}`));
    await Promise.all([first, other, activation]);
    expect(heard).toEqual(['worker:1', 'other']);
  });

  it('gives an activation with room left the jobs that later commands of its batch create, in the same answer', async () => {
    const { queue, pollers, becameActivatable } = setup();
    const pool = ['1'];
    const take = (max: number): ActivatedJob[] => pool.splice(0, max).map((jobKey) => ({ job: { jobKey } }) as unknown as ActivatedJob);
    // A commit in flight: the activation and the two creations below run together in the next batch.
    const first = queue.submit(() => 'first');
    const activation = pollers.activate({ type: 't', timeout: 1000, maxJobsToActivate: 2 }, take);
    const created = queue.submit(() => {
      pool.push('2', '3');
      becameActivatable('t');
    });
    await Promise.all([first, created]);
    expect((await activation).map((a) => a.job.jobKey)).toEqual(['1', '2']);
    // The job beyond maxJobsToActivate stays for the next request.
    expect(pool).toEqual(['3']);
  });

  it('answers [] when the batch holding its activation could not be committed (the jobs stay activatable)', async () => {
    const { pollers, failNextCommit } = setup();
    failNextCommit();
    let activations = 0;
    const jobs = await pollers.activate({ type: 't', timeout: 1000, maxJobsToActivate: 1 }, () => {
      activations += 1;
      return [job];
    });
    expect(jobs).toEqual([]);
    expect(activations).toBe(1);
  });
});
