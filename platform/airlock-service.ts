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

export async function createAirlockStoreFromConfig(config: Pick<AirlockConfig, 'store' | 'maxFileBytes'>, knex: Knex): Promise<{ store: AirlockStore; where: string }> {
  const { store } = config;
  // The AWS SDK is loaded only for an s3 store (it takes about a second and tens of MB the embedded default does not need).
  let blobs;
  if (store.kind === 's3') {
    const { createS3Blobs, createS3Client } = await import('../airlock/store/s3-blobs.js');
    blobs = createS3Blobs(createS3Client({ endpoint: store.endpoint, region: store.region, bucket: store.bucket, accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey }), { bucket: store.bucket, keyPrefix: store.keyPrefix });
  } else {
    blobs = createFilesystemBlobs(store.dir);
  }
  const where = store.kind === 's3' ? `s3://${store.bucket}/${store.keyPrefix}${store.endpoint ? ` at ${store.endpoint}` : ''}` : `files in ${store.dir}`;
  return { store: createAirlockStore({ knex, blobs, maxFileBytes: config.maxFileBytes }), where };
}
