/**
 * Who is on the research workspace's access list (`ConfigMap` `workspace-access`, `allowed-users`) in each phase,
 * on the embedded engine with the REAL workspace handlers, the `manifests` driver and the Permit Manager's
 * database (every other task type stays a fake): BPMN 3 from the setup workspace to analysis, then BPMN 6's
 * amendment (a fake `permit.apply-amendment` writes the new member as the real one does), suspension, resume
 * and revocation, and BPMN 7's closure. The research team is on the list while the workspace is open, and only it;
 * nobody while it is frozen under review, suspended or revoked; closure removes the list, and deletion everything.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../db/testing/test-databases.js';
import { TABLES, type Database } from '../../db/index.js';
import { MESSAGES, PROCESS_IDS, REVIEW_VARIABLES, TASK_TYPES } from '../../shared/index.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';
import { serveRealWorkspaceHandlers } from './support/real-workspace-handlers.js';

const SETUP = REVIEW_VARIABLES.SETUP;
const AMENDMENT = REVIEW_VARIABLES.AMENDMENT;

let t: ProcessTest;
let target: TestDatabaseTarget;
let db: Database;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spe-workspace-access-'));
  target = testDatabaseTargets({})[0]!;
  db = await target.open();
  t = await startProcessTest();
  serveRealWorkspaceHandlers(t, db, dir);
  // As permit.apply-amendment does: the approved amendment's members join the permit's team.
  t.handle(TASK_TYPES.permitApplyAmendment, async (job) => {
    const amendment = job.variables.amendment as { addMembers?: { userId: string; teamRole: string }[] };
    const rows = (amendment.addMembers ?? []).map((m) => ({ permit_id: job.variables.permitId, user_id: m.userId, team_role: m.teamRole, added_by: 'rita' }));
    if (rows.length > 0) await db.knex(TABLES.permitMembers).insert(rows).onConflict(['permit_id', 'user_id', 'team_role']).ignore();
    return {};
  });
});

afterAll(async () => {
  await t?.stop();
  await db?.close();
  await target?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function allowedUsers(permitId: string): Promise<string[]> {
  const access = parse(await readFile(join(dir, permitId, 'configmap-workspace-access.yaml'), 'utf8')) as { data: Record<string, string> };
  return JSON.parse(access.data['allowed-users']!) as string[];
}

async function toAnalysis(permitId: string) {
  const key = await t.startProcess(PROCESS_IDS.setup, { permitId });
  await t.waitForActiveElement(key, 'Event_SetupSubmitted');
  const setup = await allowedUsers(permitId);
  await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice' });
  const review = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_ReviewSetup' });
  const underReview = await allowedUsers(permitId);
  await t.completeUserTask(review.userTaskKey, { [SETUP.decision]: 'APPROVED', [SETUP.comment]: 'Fine', [SETUP.reviewer]: 'rita' });
  await t.waitForProcessState(key, 'COMPLETED');
  return { setup, underReview, analysis: await allowedUsers(permitId) };
}

async function newPermit(): Promise<string> {
  const permitId = randomUUID();
  await insertPermit(db.knex, { id: permitId, status: 'APPROVED' });
  const member = (userId: string, teamRole: string) => ({ permit_id: permitId, user_id: userId, team_role: teamRole, added_by: 'rita' });
  await db.knex(TABLES.permitMembers).insert([member('alice', 'RESEARCH_TEAM'), member('rita', 'HDAB_TEAM'), member('dana', 'DATA_HOLDER')]);
  return permitId;
}

describe('the research team on its workspace access list, phase by phase', () => {
  it('lists the research team in setup and analysis, nobody under review, and both researchers after an approved amendment', async () => {
    const permitId = await newPermit();
    expect(await toAnalysis(permitId)).toEqual({ setup: ['alice'], underReview: [], analysis: ['alice'] });

    const amendment = { addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] };
    const key = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'AMENDMENT', amendment, amendmentRequestedBy: 'alice' });
    const task = await t.waitForUserTask({ processInstanceKey: key, elementId: 'Task_AssessAmendment' });
    await t.completeUserTask(task.userTaskKey, { [AMENDMENT.decision]: 'APPROVED', [AMENDMENT.comment]: 'Bob is a named analyst', [AMENDMENT.reviewer]: 'rita' });
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await allowedUsers(permitId)).toEqual(['alice', 'bob']);
  });

  it('empties the list while suspended, brings the team back on resume, and empties it for good on revocation', async () => {
    const permitId = await newPermit();
    await toAnalysis(permitId);

    const suspension = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'SUSPENSION', suspensionReason: 'Suspected breach', suspendedBy: 'rita' });
    await t.waitForActiveElement(suspension, 'Event_ResumeRequested');
    expect(await allowedUsers(permitId)).toEqual([]);
    await t.correlate(MESSAGES.resumeRequested, permitId, { resumedBy: 'rita', resumeReason: 'Breach ruled out' });
    await t.waitForProcessState(suspension, 'COMPLETED');
    expect(await allowedUsers(permitId)).toEqual(['alice']);

    const revocation = await t.startProcess(PROCESS_IDS.amendment, { permitId, changeKind: 'REVOCATION', revocationReason: 'Terms violated', revokedBy: 'rita' });
    await t.waitForProcessState(revocation, 'COMPLETED');
    expect(await allowedUsers(permitId)).toEqual([]);
  });

  it('takes the access list away at closure, with the compute, and every object once the data is deleted', async () => {
    const permitId = await newPermit();
    await toAnalysis(permitId);
    const key = await t.startProcess(PROCESS_IDS.closure, { permitId, closeReason: 'CLOSED_EARLY', deletionGracePeriod: 'PT1S' });
    await t.waitForActiveElement(key, 'Event_GracePeriodOver');
    const files = await readdir(join(dir, permitId));
    expect(files).not.toContain('configmap-workspace-access.yaml');
    expect(files).toContain('persistentvolumeclaim-outputs.yaml');
    await t.waitForProcessState(key, 'COMPLETED');
    expect(await readdir(join(dir, permitId)).catch(() => [])).toEqual([]);
  });
});
