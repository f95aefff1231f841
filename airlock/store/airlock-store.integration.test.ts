/** The airlock store contract on both back ends: files under a temporary folder, and a real S3-compatible server on loopback. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { airlockStoreContract, type ContractContext } from './airlock-store.contract.js';
import type { BlobBackend } from './blob-backend.js';
import { createAirlockStore } from './create-airlock-store.js';
import { createFilesystemBlobs } from './filesystem-blobs.js';
import { createS3Blobs, createS3Client } from './s3-blobs.js';
import { startS3TestServer, type S3TestServer } from './testing/s3-test-server.js';

const MAX = 10 * 1024 * 1024 + 64;

interface Backend {
  name: string;
  setUp(): Promise<BlobBackend>;
  tearDown(): Promise<void>;
}

function filesystemBackend(): Backend {
  let root = '';
  return {
    name: 'filesystem',
    async setUp() {
      root = await mkdtemp(path.join(tmpdir(), 'airlock-'));
      return createFilesystemBlobs(root);
    },
    tearDown: () => rm(root, { recursive: true, force: true }),
  };
}

function s3Backend(): Backend {
  let server: S3TestServer | undefined;
  return {
    name: 's3 (s3rver on loopback)',
    async setUp() {
      server = await startS3TestServer();
      const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', bucket: server.bucket, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
      return createS3Blobs(client, { bucket: server.bucket, keyPrefix: 'spe/' });
    },
    tearDown: async () => server?.close(),
  };
}

describe.each(testDatabaseTargets())('on $name', (target) => {
  afterAll(() => target.dispose());

  describe.each([filesystemBackend(), s3Backend()])('airlock store on $name', (backend) => {
    let db: Database;
    let blobs: BlobBackend;
    let context: ContractContext;
    beforeAll(async () => {
      blobs = await backend.setUp();
    });
    afterAll(async () => {
      await backend.tearDown();
    });
    beforeEach(async () => {
      db = await target.open();
      const permit = await insertPermit(db.knex, { status: 'DATA_INGRESS_PENDING' });
      context = { store: createAirlockStore({ knex: db.knex, blobs, maxFileBytes: MAX }), blobs, permitId: permit.id, maxFileBytes: MAX };
    });
    afterEach(() => db.close());

    airlockStoreContract(() => context);
  });
});
