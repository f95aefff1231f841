/**
 * `workspace.scan-ingress` with the real airlock: files in quarantine on the filesystem store and a real database,
 * scanned by Debian's clamscan with a test signature database (EICAR), promoted to raw only when clean and matching.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClamscanScanner } from '../../../airlock/scan/clamscan-scanner.js';
import { createNoScanner, type MalwareScanner } from '../../../airlock/scan/malware-scanner.js';
import { CLAMSCAN, EICAR, writeTestSignatureDatabase } from '../../../airlock/scan/testing/clamav-test-kit.js';
import type { AirlockStore } from '../../../airlock/store/airlock-store.js';
import { createAirlockStore } from '../../../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../../../airlock/store/filesystem-blobs.js';
import type { Database } from '../../../db/index.js';
import { insertPermit } from '../../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../../db/testing/test-databases.js';
import { BPMN_ERRORS, TASK_TYPES } from '../../../shared/index.js';
import { BusinessRuleError } from '../../runtime/job-errors.js';
import { makeWorkerJob, silentLogger } from '../../testing/make-worker-job.js';
import { createWorkspaceWorkers } from '../index.js';
import { createFakeWorkspaceStore } from '../store/fake-workspace-store.js';
import { createInMemoryDriver } from '../testing/in-memory-driver.js';

const sha = (content: string) => createHash('sha256').update(content).digest('hex');
const CSV = 'id,age\n1,54\n2,61\n';
const target = testDatabaseTargets()[0]!;

describe.runIf(CLAMSCAN)('workspace.scan-ingress with the airlock', () => {
  let database: { dir: string; dispose(): Promise<void> };
  let root: string;
  let db: Database;
  let store: AirlockStore;
  let permitId: string;
  beforeAll(async () => {
    database = await writeTestSignatureDatabase();
  });
  afterAll(async () => {
    await database.dispose();
    await target.dispose();
  });
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'airlock-scan-'));
    db = await target.open();
    permitId = (await insertPermit(db.knex, { status: 'DATA_INGRESS_IN_PROGRESS' })).id;
    store = createAirlockStore({ knex: db.knex, blobs: createFilesystemBlobs(root), maxFileBytes: 1024 * 1024 });
  });
  afterEach(async () => {
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  function scan(manifest: unknown, scanner: MalwareScanner = createClamscanScanner({ path: CLAMSCAN!, databaseDir: database.dir })) {
    const workspaceStore = createFakeWorkspaceStore();
    const { handlers } = createWorkspaceWorkers({ driver: createInMemoryDriver(), store: workspaceStore, logger: silentLogger, airlockIngress: { store, scanner } });
    const job = makeWorkerJob({ type: TASK_TYPES.workspaceScanIngress, bpmnProcessId: 'spe-data-ingress-preparation', variables: { permitId, dataHolder: 'dana', uploadManifest: manifest } });
    return handlers[TASK_TYPES.workspaceScanIngress](job, silentLogger);
  }

  const upload = (filePath: string, content: string, deliveryId = 'dana') =>
    store.put({ permitId, zone: 'quarantine', path: filePath, putBy: deliveryId, deliveryId, body: Readable.from([Buffer.from(content)]) });

  async function findingsOf(promise: Promise<unknown>) {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect((error as BusinessRuleError).code).toBe(BPMN_ERRORS.ingressCheckFailed);
    return (error as BusinessRuleError).variables.ingressCheckFindings;
  }

  it('promotes a clean delivery that matches its manifest to raw, and a repeated job answers the same', async () => {
    await upload('cohort/patients.csv', CSV);
    await upload('hugo.csv', 'not dana\'s', 'hugo');
    const manifest = { files: [{ path: 'cohort/patients.csv', sha256: sha(CSV), sizeBytes: CSV.length }] };
    const result = await scan(manifest);
    expect(result?.variables?.ingressScanResult).toMatchObject({
      passed: true,
      dataHolder: 'dana',
      checkedFiles: [{ path: 'cohort/patients.csv', sha256: sha(CSV), checksum: 'match', scan: 'clean' }],
    });
    expect((await store.list(permitId, 'raw')).map((o) => [o.path, o.deliveryId, o.putBy])).toEqual([['cohort/patients.csv', 'dana', 'system:workspace.scan-ingress']]);
    expect((await store.list(permitId, 'quarantine')).map((o) => o.path)).toEqual(['hugo.csv']);
    const again = await scan(manifest);
    expect(again?.variables?.ingressScanResult).toMatchObject({ passed: true, checkedFiles: [{ path: 'cohort/patients.csv', checksum: 'match' }] });
  });

  it('blocks a delivery with the EICAR test string, keeping every file in quarantine', async () => {
    await upload('cohort/patients.csv', CSV);
    await upload('notes.txt', `see ${EICAR} here`);
    const findings = await findingsOf(
      scan({ files: [{ path: 'cohort/patients.csv', sha256: sha(CSV), sizeBytes: CSV.length }, { path: 'notes.txt', sha256: sha(`see ${EICAR} here`), sizeBytes: EICAR.length + 9 }] }),
    );
    expect(findings).toEqual([{ path: 'notes.txt', message: expect.stringMatching(/^malware found by clamscan .*: Airlock\.Test\.EICAR\.UNOFFICIAL$/) }]);
    expect(await store.list(permitId, 'raw')).toEqual([]);
    expect((await store.list(permitId, 'quarantine')).map((o) => o.path)).toEqual(['cohort/patients.csv', 'notes.txt']);
  });

  it('blocks a checksum mismatch, a file missing from the upload and a file missing from the manifest', async () => {
    await upload('a.csv', CSV);
    await upload('extra.csv', 'x');
    const findings = await findingsOf(
      scan({ files: [{ path: 'a.csv', sha256: sha('something else'), sizeBytes: CSV.length }, { path: 'b.csv', sha256: sha('b'), sizeBytes: 1 }] }),
    );
    expect(findings).toEqual([
      { path: 'a.csv', message: `the SHA-256 of the uploaded bytes is ${sha(CSV)}; the manifest says ${sha('something else')}` },
      { path: 'extra.csv', message: 'the file was uploaded but is not listed in the manifest' },
      { path: 'b.csv', message: 'the file is listed in the manifest but was not uploaded' },
    ]);
    expect(await store.list(permitId, 'raw')).toEqual([]);
  });

  it('without a scanner marks the files not scanned and sends the delivery to the HDAB, never promoting it', async () => {
    await upload('a.csv', CSV);
    const findings = await findingsOf(scan({ files: [{ path: 'a.csv', sha256: sha(CSV), sizeBytes: CSV.length }] }, createNoScanner()));
    expect(findings).toEqual([{ message: expect.stringMatching(/^1 file\(s\) were not scanned for malware: no malware scanner is configured/) }]);
    expect(await store.list(permitId, 'raw')).toEqual([]);
  });

  it('fails the job for a retry, passing nothing, when the scanner cannot run', async () => {
    await upload('a.csv', CSV);
    const broken = createClamscanScanner({ path: CLAMSCAN!, databaseDir: `${database.dir}/missing` });
    await expect(scan({ files: [{ path: 'a.csv', sha256: sha(CSV), sizeBytes: CSV.length }] }, broken)).rejects.toThrow(/could not run: clamscan could not scan the file/);
    expect(await store.list(permitId, 'raw')).toEqual([]);
  });
});
