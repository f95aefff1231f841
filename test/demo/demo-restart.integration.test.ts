/**
 * The acceptance of issue 7, as an operator would try it: `npm start` in one terminal (a separate process on
 * embedded defaults, no services), `npm run demo` in another, the platform killed with SIGKILL in the middle of
 * the demo and started again on the same data folders. The demo must carry on and finish, and nothing may happen
 * twice: the same Kubernetes objects as an uninterrupted run and exactly the notifications one run sends.
 *
 * One thing an operator would wait for is skipped: a job the killed platform's workers had taken stays locked to
 * them until its timeout (60 s, job-workers/runtime/start-job-workers.ts) and is only then taken again. The
 * platform runs with ZEEBE_CLOCK_CONTROLLED=true, and after each restart the test moves the engine's clock to the
 * end of the locks taken before the kill and back (PUT /v2/clock, POST /v2/clock/reset): those jobs are taken
 * again at once, as they would be a minute later, and the jobs the new platform took meanwhile keep their locks.
 * That was most of the test's time (the 60 s against about 30 s of work on an idle machine).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoApi } from '../../demo/demo-api.js';
import { readAudit, takeSnapshot } from '../../demo/demo-snapshot.js';
import { buildTimeline } from '../../demo/demo-timeline.js';
import { freePort } from '../support/free-port.js';
import { startRepoProcess, waitUntilServing, type RepoProcess } from '../support/repo-process.js';
import { deliveryLines, EXPECTED_ANALYSIS_OBJECTS, EXPECTED_DELIVERIES, EXPECTED_STATUS_PATH, EXPECTED_WORKSPACE_CHANGES, workspaceChanges } from './support/demo-expectations.js';

const START_TIMEOUT_MS = 120_000;
/** The lock on a job the platform's workers take (their jobTimeoutMs), and a margin past it. */
const JOB_LOCK_MS = 60_000;
const LOCK_MARGIN_MS = 500;

/**
 * Moves the engine's clock to just past the end of the job locks taken before `killedAt`, then back to system time:
 * jobs the killed workers held are freed now rather than a minute later. A job the new platform took is locked
 * until at least `killedAt` + its restart time + JOB_LOCK_MS, so it keeps its lock.
 */
async function freeLocksOfTheKilledPlatform(engineUrl: string, engineDataDir: string, killedAt: number): Promise<void> {
  const credential = Object.fromEntries(
    (await readFile(join(engineDataDir, 'credentials.env'), 'utf8'))
      .split('\n')
      .map((line) => /^(\w+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const authorization = `Basic ${Buffer.from(`${credential.CAMUNDA_BASIC_AUTH_USERNAME}:${credential.CAMUNDA_BASIC_AUTH_PASSWORD}`).toString('base64')}`;
  const pin = await fetch(`${engineUrl}/v2/clock`, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ timestamp: killedAt + JOB_LOCK_MS + LOCK_MARGIN_MS }),
  });
  expect(pin.status, await pin.text()).toBe(204);
  const reset = await fetch(`${engineUrl}/v2/clock/reset`, { method: 'POST', headers: { authorization } });
  expect(reset.status, await reset.text()).toBe(204);
}

describe('the demo survives the platform being killed with SIGKILL mid-way', () => {
  const running: RepoProcess[] = [];
  let scratch = '';

  afterAll(async () => {
    await Promise.all(running.map((p) => p.kill()));
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('finishes from where it was, with no duplicate workspace objects or notifications', { timeout: 420_000 }, async () => {
    scratch = await mkdtemp(join(tmpdir(), 'spe-demo-restart-'));
    const [port, enginePort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    // `npm start` on embedded defaults: no DATABASE_URL, no AMQP_URL, its own data folders.
    const platformEnv = {
      PORT: String(port),
      ENGINE_PORT: String(enginePort),
      PERMIT_DATA_DIR: join(scratch, 'permits'),
      ENGINE_DATA_DIR: join(scratch, 'engine'),
      NOTIFICATION_OUTBOX_DIR: join(scratch, 'outbox'),
      WORKSPACE_MANIFESTS_DIR: join(scratch, 'workspaces'),
      LOG_LEVEL: 'warn',
      // Only so the test can skip the job locks' timeout after a kill (above); nothing else uses the clock.
      ZEEBE_CLOCK_CONTROLLED: 'true',
      DATABASE_URL: undefined,
      AMQP_URL: undefined,
    };
    const startPlatform = async (killedAt?: number): Promise<RepoProcess> => {
      const platform = startRepoProcess({ entry: 'platform/main.ts', env: platformEnv });
      running.push(platform);
      await waitUntilServing(platform, `${url}/api/ready`, 'the platform (npm start)', START_TIMEOUT_MS);
      if (killedAt !== undefined) await freeLocksOfTheKilledPlatform(`http://127.0.0.1:${enginePort}`, platformEnv.ENGINE_DATA_DIR, killedAt);
      return platform;
    };
    const killPlatform = async (platform: RepoProcess): Promise<number> => {
      await platform.kill();
      return Date.now();
    };
    const stateFile = join(scratch, 'last-permit.json');
    const demoArgs = ['--url', url, '--no-start', '--state-file', stateFile, '--grace', 'PT2S'];

    // 1. The demo runs until the setup is approved; the platform is killed while Rita's approval is being
    //    carried out (the network sealed, data mounted, the analysis started) and started again at once.
    let platform = await startPlatform();
    const firstLeg = startRepoProcess({ entry: 'demo/demo-main.ts', args: [...demoArgs, '--stop-after', 'draft-output-request'], env: {} });
    running.push(firstLeg);
    await firstLeg.waitForLine(/→ \[10\/18\] Rita approves the setup/, START_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const firstKill = await killPlatform(platform);
    await firstLeg.waitForLine(/the platform stopped answering/, 30_000);
    platform = await startPlatform(firstKill);
    expect(await firstLeg.exited, firstLeg.output()).toBe(0);
    expect(firstLeg.output()).toContain('the platform is back; carrying on');

    // The analysis workspace's objects, exactly once each (a retried freeze or mount would add a snapshot or a pod).
    const permitFolders = await readdir(join(scratch, 'workspaces'));
    expect(permitFolders).toHaveLength(1);
    const objects = await readdir(join(scratch, 'workspaces', permitFolders[0]!));
    const kinds: Record<string, number> = {};
    for (const file of objects) kinds[file.split('-')[0]!] = (kinds[file.split('-')[0]!] ?? 0) + 1;
    expect(kinds, objects.join('\n')).toEqual(EXPECTED_ANALYSIS_OBJECTS);

    // 2. Killed once more while the output review runs, then the demo is carried on with --resume to the end.
    const secondLeg = startRepoProcess({ entry: 'demo/demo-main.ts', args: [...demoArgs, '--resume'], env: {} });
    running.push(secondLeg);
    await secondLeg.waitForLine(/→ \[14\/18\] Alice merges the age bands/, START_TIMEOUT_MS);
    platform = await startPlatform(await killPlatform(platform));
    expect(await secondLeg.exited, secondLeg.output()).toBe(0);
    expect(secondLeg.output()).toMatch(/Permit [0-9a-f-]+ is CLOSED/);

    // 3. Nothing happened twice: the status path, the notifications and the emails of one uninterrupted run.
    const permitId = permitFolders[0]!;
    const api = createDemoApi({ baseUrl: url });
    const final = await takeSnapshot(api, permitId);
    expect(final.permit.status).toBe('CLOSED');
    expect(final.history.map((h) => h.newStatus)).toEqual(EXPECTED_STATUS_PATH);
    expect(deliveryLines(final.deliveries)).toEqual(EXPECTED_DELIVERIES);
    const emails = (await readdir(join(scratch, 'outbox'))).filter((f) => f.endsWith('.eml'));
    expect(emails).toHaveLength(EXPECTED_DELIVERIES.filter((line) => line.endsWith('by email')).length);
    // Every workspace change exactly once in the audit trail (a job redone after the kill records nothing new).
    expect(workspaceChanges(buildTimeline(final, await readAudit(api, permitId)))).toEqual(EXPECTED_WORKSPACE_CHANGES);
    // Closure deleted every object of the permit.
    expect(await readdir(join(scratch, 'workspaces'))).toEqual([]);
    await platform.stop();
  });
});
