/**
 * The airlock store from configuration (AIRLOCK_STORE=filesystem under AIRLOCK_DIR, the embedded default, or s3),
 * on the Permit Manager's database for the object records. The platform hands it to the REST API (outputs,
 * checked output requests, releases, downloads) and to the workspace workers (release with the RO-Crate).
 */
import type { Knex } from 'knex';
import type { AirlockConfig } from '../airlock/airlock-config.js';
import type { AirlockStore } from '../airlock/store/airlock-store.js';
import { createAirlockStore } from '../airlock/store/create-airlock-store.js';
import { createFilesystemBlobs } from '../airlock/store/filesystem-blobs.js';
import { createS3Blobs, createS3Client } from '../airlock/store/s3-blobs.js';

export function createAirlockStoreFromConfig(config: Pick<AirlockConfig, 'store' | 'maxFileBytes'>, knex: Knex): { store: AirlockStore; where: string } {
  const { store } = config;
  const blobs =
    store.kind === 's3'
      ? createS3Blobs(createS3Client({ endpoint: store.endpoint, region: store.region, bucket: store.bucket, accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey }), { bucket: store.bucket, keyPrefix: store.keyPrefix })
      : createFilesystemBlobs(store.dir);
  const where = store.kind === 's3' ? `s3://${store.bucket}/${store.keyPrefix}${store.endpoint ? ` at ${store.endpoint}` : ''}` : `files in ${store.dir}`;
  return { store: createAirlockStore({ knex, blobs, maxFileBytes: config.maxFileBytes }), where };
}
