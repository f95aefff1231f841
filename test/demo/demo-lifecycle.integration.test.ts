/**
 * `npm run demo`'s driver over HTTP against the whole platform in this process (PostgreSQL and RabbitMQ when
 * DATABASE_URL / AMQP_URL are set, else the embedded databases): one permit from application to closure with a
 * rework round in the setup and the output review, and exactly the notifications and decisions it should cause.
 * Also the CLI's exit code when a step cannot reach its expected status.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi } from '../../demo/demo-api.js';
import { DEMO_STEPS } from '../../demo/demo-steps.js';
import { renderTimeline } from '../../demo/demo-timeline.js';
import { runDemo, type DemoReporter } from '../../demo/run-demo.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../integration/support/start-permit-manager-for-test.js';
import { startRepoProcess } from '../support/repo-process.js';
import { deliveryLines, EXPECTED_DECISIONS, EXPECTED_DELIVERIES, EXPECTED_STATUS_PATH, EXPECTED_WORKSPACE_CHANGES, workspaceChanges } from './support/demo-expectations.js';

function recordingReporter(): DemoReporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    permitReady: (permit, how) => lines.push(`${how} ${permit.id}`),
    stepStarted: (index) => lines.push(`start ${DEMO_STEPS[index]!.id}`),
    stepWaiting: () => undefined,
    stepFinished: (_index, _total, step, outcome) => lines.push(`done ${step.id}${outcome.resumed ? ' (resumed)' : ''}`, ...outcome.details.map((d) => `  ${d}`)),
    platformOutage: (down) => lines.push(down ? 'down' : 'up'),
  };
}

describe('the guided demo against the platform in this process', () => {
  let pm: PermitManagerForTest;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
  });
  afterAll(async () => {
    await pm?.stop();
  });

  // The whole demo (18 steps, each waiting on the processes) takes 30-60 s on two busy cores: more than the tier's 60 s default.
  it('walks one permit from application to CLOSED, each decision by the right person, with both rework rounds', { timeout: 240_000 }, async () => {
    const reporter = recordingReporter();
    const result = await runDemo({ api: createDemoApi({ baseUrl: pm.baseUrl }), reporter, stepTimeoutMs: 45_000, pollMs: 100, deletionGracePeriod: 'PT2S' });

    expect(result.complete).toBe(true);
    expect(result.final.permit.status).toBe('CLOSED');
    expect(result.steps.map((s) => s.id)).toEqual(DEMO_STEPS.map((s) => s.id));
    // No malware scanner in the test platform: the delivery is held and rita releases it (no step was already done).
    expect(result.steps.filter((s) => s.resumed).map((s) => s.id)).toEqual([]);
    expect(result.final.history.map((h) => h.newStatus)).toEqual(EXPECTED_STATUS_PATH);
    expect(result.final.reviews.map((r) => `${r.stage} ${r.decision} by ${r.reviewer}`)).toEqual(EXPECTED_DECISIONS);
    expect(result.final.egress.map((e) => e.status)).toEqual(['RELEASED']);
    // The output release follows the HDAB's decision table (bpmn/output-release-policy.dmn), not a number alice sent:
    // Table 1 first fails the checks, then the figure (not a table) is checked by eye; both rounds need two reviews.
    expect(result.final.egress[0]).toMatchObject({ requiredReviews: 2, requiredReviewsReason: expect.stringMatching(/could not be checked automatically/) });
    expect(reporter.lines.filter((l) => l.includes('output release policy'))).toEqual([
      expect.stringMatching(/^ {2}output release policy: 2 independent reviews \(At least one file failed the disclosure checks/),
      expect.stringMatching(/^ {2}output release policy: 2 independent reviews \(At least one file could not be checked automatically/),
    ]);
    expect(deliveryLines(result.final.deliveries)).toEqual(EXPECTED_DELIVERIES);
    expect(result.final.deliveries.every((d) => d.status === 'sent')).toBe(true);
    expect(result.final.workspaces.map((w) => `${w.phase} ${w.status}`)).toEqual(['ingress deleted', 'preprocessing deleted', 'setup deleted', 'analysis deleted']);
    // The release is still listed after closure, saying its files were deleted with the data (when, which proof); a download is 410.
    const api = createDemoApi({ baseUrl: pm.baseUrl });
    const releases = (await api.call('alice', 'GET', `/permits/${result.final.permit.id}/releases`)).body as { egressRequestId: string; files: { path: string }[]; deletedAtClosure: { deletedAt: string; proofOfDeletion: string } | null }[];
    expect(releases).toHaveLength(1);
    expect(releases[0]?.deletedAtClosure?.proofOfDeletion).toMatch(/^sha256:[0-9a-f]{64}$/);
    const gone = await api.call('alice', 'GET', `/permits/${result.final.permit.id}/releases/${releases[0]!.egressRequestId}/download?path=${encodeURIComponent(releases[0]!.files[0]!.path)}`);
    expect(gone.status).toBe(410);

    // The timeline tells who did what: the people's actions, the decisions, what was provisioned, who was told.
    const timeline = renderTimeline(result.timeline).join('\n');
    expect(timeline).toMatch(/alice +action +filed the application/);
    expect(timeline).toMatch(/dana +action +confirmed the upload with its manifest/);
    expect(timeline).toMatch(/rita +decision +SETUP REWORK_REQUESTED: "Please remove the file sync client/);
    expect(timeline).toMatch(/victor +decision +EGRESS APPROVED/);
    // Every workspace change, from the audit trail: each provisioned once, frozen once per submission, sealed for good.
    const workspaceLines = result.timeline.filter((e) => e.kind === 'workspace').map((e) => `${e.actor} ${e.text}`);
    expect(workspaceChanges(result.timeline), timeline).toEqual(EXPECTED_WORKSPACE_CHANGES);
    expect(workspaceLines.filter((l) => l.includes('(provision)')), timeline).toEqual([
      'process:spe-data-ingress provisioned ingress workspace: running, no internet, /raw read-write (provision)',
      'process:spe-data-ingress provisioned preprocessing workspace: running, no internet, /raw read-only, /prepared read-write (provision)',
      'process:spe-environment-setup provisioned setup workspace: running, internet through the allow-listed proxy, no data (provision)',
    ]);
    expect(workspaceLines.filter((l) => l.includes('(freeze)')), timeline).toEqual([
      'process:spe-environment-setup setup workspace: stopped (frozen), no internet, no data; 1 snapshot (freeze)',
      'process:spe-environment-setup setup workspace: stopped (frozen), no internet, no data; 2 snapshots (freeze)',
    ]);
    expect(timeline).toMatch(/process:spe-environment-setup +workspace +analysis workspace: running, no internet, for good, \/prepared_data read-only, \/outputs read-write; 2 snapshots \(start\)/);
    expect(timeline).toMatch(/workspace +analysis workspace deleted \(volumes and snapshots gone\) \(delete-data\)/);
    expect(timeline).toMatch(/platform +notify +notified alice \(email, in-app\): setup-rework-requested/);
    expect(reporter.lines).toContain('  status WORKSPACE_SETUP_REVIEW_PENDING → WORKSPACE_SETUP_PENDING by process:spe-environment-setup (Reviewer requested rework of the workspace setup)');
  });

  it('exits 1 naming the step and the status when a step cannot reach what it expects', async () => {
    const stalled = await startPermitManagerForTest({ workers: false, amqpUrl: undefined });
    try {
      const stateFile = join(await mkdtemp(join(tmpdir(), 'spe-demo-')), 'last-permit.json');
      const demo = startRepoProcess({ entry: 'demo/demo-main.ts', args: ['--url', stalled.baseUrl, '--no-start', '--step-timeout', '2', '--state-file', stateFile], env: {} });
      const code = await demo.exited;
      expect(code, demo.output()).toBe(1);
      expect(demo.output()).toMatch(/✘ Step "Alice \(researcher\) submits the application" did not reach the application under assessment within 2 s: the permit is DRAFT\./);
    } finally {
      await stalled.stop();
    }
  });

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const demo = startRepoProcess({ entry: 'demo/demo-main.ts', args: ['--stop-after', 'lunch'], env: {} });
    expect(await demo.exited).toBe(2);
    expect(demo.output()).toContain('--stop-after: there is no step "lunch"; the steps are submit-application, approve-application');
    expect(demo.output()).toContain('Usage: npm run demo -- [options]');
  });
});
