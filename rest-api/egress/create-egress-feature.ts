/**
 * The egress (output request) feature wired: `createEgressFeature` puts the service on the knex egress store
 * (rest-api/features.ts calls it, and hands the store on to the features that read output requests: reviews and
 * the egress files), `createFakeEgressFeature` on the in-memory store, returned too so a test can look at the
 * requests, audit entries and engine commands. Permit access, the engine port, the airlock and the egress file
 * tables are shared with other features, so the caller hands them in.
 */
import type { Knex } from 'knex';
import { createEgressService, type EgressService, type EgressServiceDeps } from './egress-service.js';
import type { EgressStore } from './egress-store.js';
import { createFakeEgressStore, type FakeEgressStore } from './fake-egress-store.js';
import { createKnexEgressStore } from './knex-egress-store.js';

export function createEgressFeature(deps: { knex: Knex } & Omit<EgressServiceDeps, 'store'>): { service: EgressService; store: EgressStore } {
  const { knex, ...service } = deps;
  const store = createKnexEgressStore(knex);
  return { service: createEgressService({ ...service, store }), store };
}

export function createFakeEgressFeature(deps: Omit<EgressServiceDeps, 'store'>): { service: EgressService; store: FakeEgressStore } {
  const store = createFakeEgressStore();
  return { service: createEgressService({ ...deps, store }), store };
}
