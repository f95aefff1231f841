/**
 * The permits feature wired: `createPermitsFeature` puts the service on the knex permit store (rest-api/features.ts
 * calls it) and hands back the store and the permit access too, which the other features share (team, ingress,
 * reviews, lifecycle actions, tasks, audit, …). `createFakePermitsFeature` is its twin on the in-memory store, the
 * fake engine port and the fake user directory, all returned so a test can seed permits, look at what was written
 * and started, and make people known.
 */
import type { Knex } from 'knex';
import { createFakeEnginePort, type FakeEnginePort } from '../engine/fake-engine-port.js';
import { createFakeUserDirectory, type FakeUserDirectory } from '../team/fake-user-directory.js';
import { createFakePermitStore, type FakePermitStore } from './fake-permit-store.js';
import { createKnexPermitStore } from './knex-permit-store.js';
import { createPermitAccess, type PermitAccess } from './permit-access.js';
import type { PermitStore } from './permit-store.js';
import { createPermitsService, type PermitsService, type PermitsServiceDeps } from './permits-service.js';

export interface PermitsFeature {
  service: PermitsService;
  /** The permit store, shared with the features that read permits and members. */
  store: PermitStore;
  /** Who sees a permit and may act on it, shared with every feature under /permits/{id}. */
  access: PermitAccess;
}

export function createPermitsFeature(deps: { knex: Knex } & Omit<PermitsServiceDeps, 'store' | 'access'>): PermitsFeature {
  const { knex, ...service } = deps;
  const store = createKnexPermitStore(knex);
  const access = createPermitAccess(store);
  return { service: createPermitsService({ ...service, store, access }), store, access };
}

export interface FakePermitsFeature extends PermitsFeature {
  store: FakePermitStore;
  engine: FakeEnginePort;
  directory: FakeUserDirectory;
}

export function createFakePermitsFeature(
  deps: Partial<Omit<PermitsServiceDeps, 'store' | 'access' | 'engine' | 'directory'>> & { engine?: FakeEnginePort; directory?: FakeUserDirectory } = {},
): FakePermitsFeature {
  const { engine = createFakeEnginePort(), directory = createFakeUserDirectory(), defaultHdabTeam = [], ...rest } = deps;
  const store = createFakePermitStore();
  const access = createPermitAccess(store);
  const service = createPermitsService({ ...rest, defaultHdabTeam, store, access, engine, directory });
  return { service, store, access, engine, directory };
}
