/**
 * `workspace.promote-delivery` on a real database (PGlite; PostgreSQL too with DATABASE_URL) and the filesystem
 * airlock store: the delivery's files move quarantine → raw only on a recorded RELEASE_FROM_QUARANTINE decision,
 * the audit entry names the decider, the reason and the findings overridden, and a repeated job changes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, type Database } from '../../../db/index.js';
import { TABLES } from '../../../db/types.js';
import { insertPermit } from '../../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../../db/testing/test-databases.js';
import { TASK_TYPES } from '../../../shared/index.js';
import type { AirlockStore } from '../../../airlock/store/airlock-store.js';
import { createAirlockStore } from '../../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../../airlock/store/filesystem-blobs.js';
import { makeWorkerJob } from '../../testing/make-worker-job.js';
import { NonRetryableError, TransientError } from '../../runtime/job-errors.js';
import { DECISION_AUDIT_ACTIONS } from '../../review/knex-decision-store.js';
import { createKnexQuarantineReleaseRecords } from './knex-quarantine-release-records.js';
import { createPromoteDeliveryHandler, EXCEPTION_TASK_ID, QUARANTINE_RELEASE_ACTION } from './promote-delivery-handler.js';

const logger = pino({ level: 'silent' });
const FINDINGS = [{ message: '1 file(s) were not scanned for malware: no malware scanner is configured' }];
const COMMENT = 'Checksums match; the extract comes from the registry itself.';

describe.each(testDatabaseTargets())('workspace.promote-delivery on $name', (target) => {
  afterAll(() => target.dispose());
  let root = '';
  let db: Database;
  let airlock: AirlockStore;
  let permitId = '';
  const processInstanceKey = '2251799813690001';

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'promote-delivery-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    db = await target.open();
    permitId = (await insertPermit(db.knex, { status: 'DATA_INGRESS_BLOCKED' })).id;
    airlock = createAirlockStore({ knex: db.knex, blobs: createFilesystemBlobs(root), maxFileBytes: 1024 * 1024 });
    await airlock.put({ permitId, zone: 'quarantine', path: 'cohort/extract.csv', putBy: 'dana', deliveryId: 'dana', body: Readable.from([Buffer.from('id,age\n1,54\n')]) });
    await airlock.put({ permitId, zone: 'quarantine', path: 'cohort/other.csv', putBy: 'dora', deliveryId: 'dora', body: Readable.from([Buffer.from('id\n2\n')]) });
  });
  afterEach(() => db.close());

  const decide = (decider: string, decision: string, comment = COMMENT, key = processInstanceKey) =>
    appendAudit(db.knex, {
      actor: decider,
      action: DECISION_AUDIT_ACTIONS.task,
      permitId,
      details: { elementId: EXCEPTION_TASK_ID, processInstanceKey: key, userTaskKey: `${decider}-${decision}`, formId: 'ingress-exception', values: { ingressExceptionDecision: decision, ingressExceptionComment: comment } },
    });
  const job = (variables: Record<string, unknown> = {}) =>
    makeWorkerJob({
      type: TASK_TYPES.workspacePromoteDelivery,
      processInstanceKey,
      elementInstanceKey: '2251799813690099',
      variables: { permitId, dataHolder: 'dana', ingressExceptionDecision: 'RELEASE_FROM_QUARANTINE', ingressExceptionComment: COMMENT, ingressCheckFindings: FINDINGS, ...variables },
    });
  const releases = async () => db.knex(TABLES.auditLog).where({ permit_id: permitId, action: QUARANTINE_RELEASE_ACTION }).select('actor', 'details');

  it('moves the data holder\'s files to raw on the recorded decision and audits who decided, why and what was overridden', async () => {
    await decide('victor', 'REQUEST_NEW_UPLOAD', 'Try again');
    await decide('rita', 'RELEASE_FROM_QUARANTINE');
    const handler = createPromoteDeliveryHandler({ airlock, records: createKnexQuarantineReleaseRecords(db.knex) });

    const result = await handler(job(), logger);

    expect(result).toMatchObject({ variables: { ingressPromotion: { dataHolder: 'dana', decidedBy: 'rita', files: [{ path: 'cohort/extract.csv', sizeBytes: 12 }] } } });
    expect((await airlock.list(permitId, 'raw')).map((o) => [o.path, o.putBy])).toEqual([['cohort/extract.csv', 'rita']]);
    expect((await airlock.list(permitId, 'quarantine')).map((o) => o.path), 'another holder\'s delivery stays where it is').toEqual(['cohort/other.csv']);
    const [entry, ...more] = await releases();
    expect(more).toEqual([]);
    const details = typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details;
    expect(entry.actor).toBe('system:workspace.promote-delivery');
    expect(details).toMatchObject({ dataHolder: 'dana', decidedBy: 'rita', comment: COMMENT, findingsOverridden: FINDINGS, files: [{ path: 'cohort/extract.csv' }] });

    await handler(job(), logger);
    expect(await releases(), 'a repeated job writes no second entry').toHaveLength(1);
    expect((await airlock.list(permitId, 'raw')).map((o) => o.path)).toEqual(['cohort/extract.csv']);
  });

  it('promotes nothing without a recorded release decision, nor on another decision, nor unwired', async () => {
    const handler = createPromoteDeliveryHandler({ airlock, records: createKnexQuarantineReleaseRecords(db.knex) });
    await decide('rita', 'RELEASE_FROM_QUARANTINE', COMMENT, '999');
    await expect(handler(job(), logger)).rejects.toBeInstanceOf(TransientError);
    await expect(handler(job({ ingressExceptionDecision: 'ABORT_INGRESS' }), logger)).rejects.toBeInstanceOf(NonRetryableError);
    await expect(createPromoteDeliveryHandler({ airlock })(job(), logger)).rejects.toThrow(/not wired to the audit log/);
    expect(await airlock.list(permitId, 'raw')).toEqual([]);
    expect(await releases()).toEqual([]);
  });
});
