/**
 * `npm run migrate` against the embedded engine with the real bpmn/ deployed and fake workers (the process-test
 * harness): a permit waiting in setup review (BPMN 3's review user task) moves to a changed BPMN 3 — a step added
 * after the review, the review's record task and reminder renamed — dry run first, then applied; the permit then
 * goes on to analysis on the new version. A permit the mapping does not cover stops the whole migration until
 * the mapping covers it. The command line itself runs once against the engine, as `npm start`'s users run it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES, PROCESS_IDS, REVIEW_VARIABLES, TASK_TYPES, type PermitStatus } from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from '../../test/process/support/process-harness.js';
import { isJob } from '../../test/process/support/job-matchers.js';
import { NOW } from '../../test/conformance/support/harness.js';
import { startRepoProcess } from '../../test/support/repo-process.js';
import type { MigrationClient } from './migration-client.js';
import { MappingFileError, readMappingFile } from './migration-mapping.js';
import { runMigration } from './run-migration.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const MAPPING_FILE = join(FIXTURES, 'setup-review-v1-to-v2.yaml');
const SETUP = REVIEW_VARIABLES.SETUP;

describe('npm run migrate: permits waiting in setup review move to a changed BPMN 3', () => {
  let t: ProcessTest;
  let client: MigrationClient;
  let folder: string;
  let version1Key: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    t = await startProcessTest();
    client = new Camunda8({ ...t.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never).getOrchestrationClusterApiClientLoose() as unknown as MigrationClient;
    folder = await mkdtemp(join(tmpdir(), 'spe-migrate-'));
    // The process owner deploys the changed diagram: version 2.
    const deployed = await t.api.createDeployment({ resources: [new File([await readFile(join(FIXTURES, '3-environment-setup-review-v2.bpmn'))], '3-environment-setup-review.bpmn')] as never });
    if (deployed.processes?.[0]?.processDefinitionVersion !== 2) throw new Error(`the fixture deployed as ${JSON.stringify(deployed.processes)}, not as version 2`);
    const v1 = await t.api.searchProcessDefinitions({ filter: { processDefinitionId: PROCESS_IDS.setup, version: 1 } }, NOW);
    version1Key = String(v1.items?.[0]?.processDefinitionKey);
  });
  afterAll(async () => {
    await t?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** A permit's BPMN 3 started on version 1, waiting for its setup submission. */
  async function startOnVersion1(permitId: string): Promise<string> {
    const created = await t.api.createProcessInstance({ processDefinitionKey: version1Key, variables: { permitId } } as never);
    const key = String(created.processInstanceKey);
    await t.waitForActiveElement(key, 'Event_SetupSubmitted');
    return key;
  }

  const versionOf = async (processInstanceKey: string) => Number((await t.getInstance(processInstanceKey)).processDefinitionVersion);

  it('plans, refuses while a permit is not covered, then migrates and the permit goes on to analysis on version 2', async () => {
    // Two permits on version 1: one waiting in setup review, one still setting up (waiting for its submission).
    const inReview = await startOnVersion1('P-in-review');
    await t.correlate(MESSAGES.setupSubmitted, 'P-in-review', { setupSubmittedBy: 'alice', setupSubmissionNote: 'R installed' });
    const review = await t.waitForUserTask({ processInstanceKey: inReview, elementId: 'Task_ReviewSetup' });
    const settingUp = await startOnVersion1('P-setting-up');

    // Dry run with the fixture's mapping: the permit in review can move, the one setting up cannot (its submission
    // event is not mapped), so applying refuses and changes nothing.
    const mapping = await readMappingFile(MAPPING_FILE);
    const lines: string[] = [];
    const dryRun = await runMigration({ client, mapping, apply: false, logger, out: (line) => lines.push(line) });
    expect(dryRun.result).toBe('dry-run');
    expect(dryRun.plan.instances.map((i) => [i.permitId, i.waitsAt.map((w) => w.elementId), i.canMove])).toEqual([
      ['P-in-review', ['Task_ReviewSetup'], true],
      ['P-setting-up', ['Event_SetupSubmitted'], false],
    ]);
    expect(lines).toContain(`  can move   permit P-in-review  instance ${inReview}`);
    expect(lines).toContain('      waits at Task_ReviewSetup (user task "Review workspace setup") → Task_ReviewSetup');
    expect(lines).toContain(`  CANNOT move  permit P-setting-up  instance ${settingUp}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {6}✗ Event_SetupSubmitted \(intermediate catch event ".*"\) is active but not mapped/));
    expect(lines).toContain('Dry run: nothing changed.');

    const refused = await runMigration({ client, mapping, apply: true, logger, out: () => undefined });
    expect(refused.result).toBe('refused');
    expect([await versionOf(inReview), await versionOf(settingUp)]).toEqual([1, 1]);

    // The mapping covers the submission event too: the dry run is clean, and applying moves both permits.
    const complete = { ...mapping, mappingInstructions: [...mapping.mappingInstructions, { sourceElementId: 'Event_SetupSubmitted', targetElementId: 'Event_SetupSubmitted' }] };
    const completeFile = join(folder, 'setup-review-v1-to-v2.json');
    await writeFile(completeFile, JSON.stringify(complete, null, 2));
    const clean = await runMigration({ client, mapping: await readMappingFile(completeFile), apply: false, logger, out: () => undefined });
    expect(clean.plan.ready).toBe(true);
    const applied: string[] = [];
    const outcome = await runMigration({ client, mapping: complete, apply: true, logger, out: (line) => applied.push(line) });
    expect(outcome).toMatchObject({ result: 'applied', migrated: [inReview, settingUp], failed: [] });
    expect(applied.at(-1)).toBe('Migrated 2 of 2 instance(s) of spe-environment-setup from version 1 to version 2.');
    expect([await versionOf(inReview), await versionOf(settingUp)]).toEqual([2, 2]);
    // The review task is the same task (its key kept), now on version 2.
    expect((await t.waitForUserTask({ processInstanceKey: inReview, elementId: 'Task_ReviewSetup' })).userTaskKey).toBe(review.userTaskKey);

    // Rita approves: the permit goes on through version 2's steps (the renamed record task, the added step) to analysis.
    await t.completeUserTask(review.userTaskKey, { [SETUP.decision]: 'APPROVED', [SETUP.comment]: 'Fine', [SETUP.reviewer]: 'rita' });
    await t.waitForProcessState(inReview, 'COMPLETED');
    const jobs = t.jobs.filter((job) => job.variables.permitId === 'P-in-review');
    const after = jobs.slice(jobs.findIndex((job) => job.elementId === 'Activity_RecordSetupReviewDecision'));
    expect(after.filter(isJob(TASK_TYPES.auditRecord)).map((job) => job.elementId)).toEqual(['Activity_RecordSetupReviewDecision', 'Activity_ConfirmSetupReviewed']);
    expect(t.statusesSet('P-in-review').slice(-2)).toEqual(['ANALYSIS_PROVISIONING', 'ANALYSIS_ACTIVE'] satisfies PermitStatus[]);
    expect(jobs.some((job) => job.elementId === 'Activity_RecordSetupReview'), "version 1's record task never ran").toBe(false);

    // Nothing left on version 1: a second run has nothing to do.
    const again = await runMigration({ client, mapping: complete, apply: false, logger, out: () => undefined });
    expect(again.plan.instances.filter((i) => i.permitId === 'P-in-review')).toEqual([]);
  });

  it('names an unreadable mapping file and a version that is not deployed', async () => {
    await expect(readMappingFile(join(folder, 'missing.yaml'))).rejects.toThrow(MappingFileError);
    await expect(readMappingFile(join(folder, 'missing.yaml'))).rejects.toThrow(/cannot be read: no such file/);
    const mapping = { ...(await readMappingFile(MAPPING_FILE)), sourceVersion: 7, targetVersion: 9 };
    await expect(runMigration({ client, mapping, apply: false, logger, out: () => undefined })).rejects.toThrow(/^Version 7 of spe-environment-setup is not deployed on this engine \(deployed: 1, 2\)/);
  });

  it('runs as `npm run migrate` against the embedded engine with its credential: a dry run that lists the permits, changes nothing and exits 1 while one cannot move', async () => {
    const env = { ENGINE_PORT: String(t.port), CAMUNDA_BASIC_AUTH_USERNAME: t.credentials.username, CAMUNDA_BASIC_AUTH_PASSWORD: t.credentials.password, CAMUNDA_AUTH_STRATEGY: 'BASIC', ZEEBE_REST_ADDRESS: undefined, LOG_LEVEL: 'silent' };
    const waiting = await startOnVersion1('P-cli');
    const run = startRepoProcess({ entry: 'platform/migrate/migrate-main.ts', args: [MAPPING_FILE], env });
    expect(await run.exited, run.output()).toBe(1);
    expect(run.output()).toMatch(new RegExp(`Dry run on http://127\\.0\\.0\\.1:${t.port} \\(embedded engine\\) with `));
    expect(run.output()).toContain(`CANNOT move  permit P-cli  instance ${waiting}`);
    expect(run.output()).toContain('Dry run: nothing changed.');
    expect(await versionOf(waiting)).toBe(1);

  });
});
