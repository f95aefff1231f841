/**
 * The reviews feature wired: `createReviewsFeature` puts the service on the knex reviews store (rest-api/features.ts
 * calls it), `createFakeReviewsFeature` on the in-memory one, returned too so a test can look at the recorded
 * decisions. Permit access, the permits and egress stores and the engine are shared with other features, so the
 * caller hands them in.
 */
import type { Knex } from 'knex';
import { createFakeReviewsStore, type FakeReviewsStore } from './fake-reviews-store.js';
import { createKnexReviewsStore } from './knex-reviews-store.js';
import { createReviewsService, type ReviewsService, type ReviewsServiceDeps } from './reviews-service.js';

export function createReviewsFeature(deps: { knex: Knex } & Omit<ReviewsServiceDeps, 'store'>): ReviewsService {
  const { knex, ...service } = deps;
  return createReviewsService({ ...service, store: createKnexReviewsStore(knex) });
}

export function createFakeReviewsFeature(deps: Omit<ReviewsServiceDeps, 'store'>): { service: ReviewsService; store: FakeReviewsStore } {
  const store = createFakeReviewsStore();
  return { service: createReviewsService({ ...deps, store }), store };
}
