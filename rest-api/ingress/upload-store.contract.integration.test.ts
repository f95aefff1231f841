/**
 * The upload store's rules, run on the knex store (PGlite; PostgreSQL too when DATABASE_URL is set) and on the fake
 * unit tests use, so the two cannot drift apart: what an upload announced comes back as it was, a finished upload
 * has its SHA-256 and time, only unfinished uploads past their expiry are expired, and removing is once.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createFakeUploadStore } from './fake-upload-store.js';
import { createKnexUploadStore } from './knex-upload-store.js';
import type { UploadStore } from './upload-store.js';

interface Subject {
  name: string;
  open(): Promise<{ store: UploadStore; permitIds: [string, string]; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

const subjects: Subject[] = [
  {
    name: 'fake',
    open: async () => ({ store: createFakeUploadStore(), permitIds: ['p-1', 'p-2'], close: async () => undefined }),
    dispose: async () => undefined,
  },
  ...testDatabaseTargets().map(
    (target): Subject => ({
      name: `knex on ${target.name}`,
      async open() {
        const db: Database = await target.open();
        const ids: [string, string] = [(await insertPermit(db.knex)).id, (await insertPermit(db.knex)).id];
        return { store: createKnexUploadStore(db.knex), permitIds: ids, close: () => db.close() };
      },
      dispose: () => target.dispose(),
    }),
  ),
];

describe.each(subjects)('upload store: $name', (subject) => {
  let store: UploadStore;
  let permitIds: [string, string];
  let close: () => Promise<void>;
  const hour = 60 * 60 * 1000;
  const at = new Date('2026-12-06T12:00:00.000Z');

  beforeEach(async () => {
    ({ store, permitIds, close } = await subject.open());
  });
  afterEach(() => close());
  afterAll(() => subject.dispose());

  const announce = (id: string, permitId: string, expiresAt: Date) =>
    store.create({ id, permitId, deliveryId: 'd-1', path: 'raw/cohort.csv', length: 1024, createdBy: 'dana', expiresAt: expiresAt.toISOString() });

  it('gives back what an upload announced; a finished one has its SHA-256 and time; the offset is not part of it', async () => {
    const created = await announce('u-1', permitIds[0], new Date(at.getTime() + hour));
    expect(created).toMatchObject({ id: 'u-1', permitId: permitIds[0], deliveryId: 'd-1', path: 'raw/cohort.csv', length: 1024, createdBy: 'dana', completedAt: null, sha256: null });
    expect(created.expiresAt).toBe(new Date(at.getTime() + hour).toISOString());
    await store.recordOffset('u-1', 512);
    expect(await store.get('u-1')).toEqual(created);
    await store.complete('u-1', 'a'.repeat(64), at);
    expect(await store.get('u-1')).toEqual({ ...created, sha256: 'a'.repeat(64), completedAt: at.toISOString() });
    expect(await store.get('nope')).toBeUndefined();
  });

  it('expires only unfinished uploads of that permit past their expiry; removes once', async () => {
    await announce('old', permitIds[0], new Date(at.getTime() - hour));
    await announce('done', permitIds[0], new Date(at.getTime() - hour));
    await store.complete('done', 'b'.repeat(64), at);
    await announce('young', permitIds[0], new Date(at.getTime() + hour));
    await announce('other', permitIds[1], new Date(at.getTime() - hour));
    expect((await store.expired(permitIds[0], at)).map((u) => u.id)).toEqual(['old']);
    expect(await store.remove('old')).toBe(true);
    expect(await store.remove('old')).toBe(false);
    expect(await store.expired(permitIds[0], at)).toEqual([]);
  });
});
