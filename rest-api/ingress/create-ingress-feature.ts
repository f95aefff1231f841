/**
 * The ingress feature wired: `createIngressFeature` puts opening ingress and confirming uploads on the knex team
 * store, and (given the airlock and an upload folder) the resumable uploads on the knex upload store;
 * rest-api/features.ts calls it. `createFakeIngressFeature` is its twin on the in-memory stores, returned too so
 * a test can look at them. Permit access, the permit store, the engine port and the user directory are shared with
 * other features, so the caller hands them in.
 */
import type { Knex } from 'knex';
import type { AirlockStore } from '../../airlock/store/airlock-store.js';
import type { FakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeTeamStore } from '../team/fake-team-store.js';
import { createFakeUserDirectory, type FakeUserDirectory } from '../team/fake-user-directory.js';
import { createKnexTeamStore } from '../team/knex-team-store.js';
import type { TeamStore } from '../team/team-store.js';
import { createFakeUploadStore, type FakeUploadStore } from './fake-upload-store.js';
import { createIngressService, type IngressService, type IngressServiceDeps } from './ingress-service.js';
import { createIngressUploadsService, type IngressUploadsService } from './ingress-uploads-service.js';
import { createKnexUploadStore } from './knex-upload-store.js';
import type { UploadStore } from './upload-store.js';

/** The resumable uploads' own needs: the airlock (quarantine) and where partial uploads wait (AIRLOCK_UPLOAD_DIR). */
export interface IngressUploadsOptions {
  airlock: AirlockStore;
  dir: string;
  now?: () => Date;
}

export interface IngressFeature {
  service: IngressService;
  /** Only with `uploads` options. */
  uploads?: IngressUploadsService;
}

function uploadsOn(deps: Pick<IngressServiceDeps, 'access'>, store: UploadStore, options: IngressUploadsOptions | undefined): IngressUploadsService | undefined {
  if (!options) return undefined;
  return createIngressUploadsService({ access: deps.access, airlock: options.airlock, uploads: store, dir: options.dir, ...(options.now ? { now: options.now } : {}) });
}

export function createIngressFeature(deps: { knex: Knex; uploads?: IngressUploadsOptions | undefined } & Omit<IngressServiceDeps, 'team'>): IngressFeature {
  const { knex, uploads, ...service } = deps;
  const feature: IngressFeature = { service: createIngressService({ ...service, team: createKnexTeamStore(knex) }) };
  const uploadsService = uploadsOn(deps, createKnexUploadStore(knex), uploads);
  if (uploadsService) feature.uploads = uploadsService;
  return feature;
}

export function createFakeIngressFeature(
  deps: { permits: FakePermitStore; directory?: FakeUserDirectory; uploads?: IngressUploadsOptions } & Omit<IngressServiceDeps, 'team' | 'permits' | 'directory'>,
): IngressFeature & { team: TeamStore; uploadStore: FakeUploadStore; directory: FakeUserDirectory } {
  const { uploads, directory = createFakeUserDirectory(), ...service } = deps;
  const team = createFakeTeamStore(deps.permits);
  const uploadStore = createFakeUploadStore(uploads?.now);
  const feature = { service: createIngressService({ ...service, directory, team }), team, uploadStore, directory };
  const uploadsService = uploadsOn(deps, uploadStore, uploads);
  return uploadsService ? { ...feature, uploads: uploadsService } : feature;
}
