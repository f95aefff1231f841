/**
 * The contract every airlock store keeps, as one suite run against each back end (filesystem, s3) on a real
 * database: airlock-store.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { expect, it } from 'vitest';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AirlockStore } from './airlock-store.js';
import type { BlobBackend } from './blob-backend.js';

export interface ContractContext {
  store: AirlockStore;
  blobs: BlobBackend;
  /** A permit row the objects can belong to. */
  permitId: string;
  /** The store's size limit (small, so the test can pass it). */
  maxFileBytes: number;
}

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** Chunks that end in an error after `before` bytes: a client that goes away mid-upload. */
function failingBody(before: string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(before);
        return;
      }
      this.destroy(new Error('client went away'));
    },
  });
}

export function airlockStoreContract(context: () => ContractContext): void {
  it('puts a file into quarantine with its SHA-256, size, who and when, and reads it back', async () => {
    const { store, permitId } = context();
    const object = await store.put({ permitId, zone: 'quarantine', path: 'cohort/patients.csv', putBy: 'dana', deliveryId: 'dana', body: Readable.from(['id,age\n', '1,54\n']) });
    expect(object).toEqual({
      permitId,
      zone: 'quarantine',
      path: 'cohort/patients.csv',
      sha256: sha('id,age\n1,54\n'),
      sizeBytes: 12,
      putBy: 'dana',
      putAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      deliveryId: 'dana',
    });
    expect(await store.stat({ permitId, zone: 'quarantine', path: 'cohort/patients.csv' })).toEqual(object);
    expect(await text(await store.open({ permitId, zone: 'quarantine', path: 'cohort/patients.csv' }))).toBe('id,age\n1,54\n');
    expect(await store.list(permitId, 'quarantine')).toEqual([object]);
    expect(await store.list(permitId, 'quarantine', { deliveryId: 'someone-else' })).toEqual([]);
    expect(await store.list(permitId, 'quarantine', { prefix: 'cohort' })).toEqual([object]);
    expect(await store.list(permitId, 'raw')).toEqual([]);
  });

  it('streams a file of several MiB in chunks and computes the same SHA-256 as the bytes', async () => {
    const { store, permitId } = context();
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const chunks = Array.from({ length: 9 }, (_, i) => Buffer.concat([chunk, Buffer.from([i])]));
    const whole = Buffer.concat(chunks);
    const object = await store.put({ permitId, zone: 'quarantine', path: 'big.bin', putBy: 'dana', body: Readable.from(chunks), expectedSizeBytes: whole.length });
    expect(object.sizeBytes).toBe(whole.length);
    expect(object.sha256).toBe(sha(whole));
    const back = Buffer.concat(await (await store.open({ permitId, zone: 'quarantine', path: 'big.bin' })).toArray());
    expect(sha(back)).toBe(sha(whole));
  });

  it('refuses a file over the size limit, or not of its announced size, and keeps nothing', async () => {
    const { store, blobs, permitId, maxFileBytes } = context();
    const tooBig = Buffer.alloc(maxFileBytes + 1, 1);
    await expect(store.put({ permitId, zone: 'quarantine', path: 'too-big.bin', putBy: 'dana', body: Readable.from([tooBig.subarray(0, 10), tooBig.subarray(10)]) })).rejects.toThrow(
      /larger than the largest file accepted/,
    );
    await expect(store.put({ permitId, zone: 'quarantine', path: 'short.bin', putBy: 'dana', body: Readable.from(['abc']), expectedSizeBytes: 4 })).rejects.toThrow(
      /ended after 3 of the 4 bytes announced/,
    );
    await expect(store.put({ permitId, zone: 'quarantine', path: 'announced.bin', putBy: 'dana', body: Readable.from(['abc']), expectedSizeBytes: maxFileBytes + 1 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(store.put({ permitId, zone: 'quarantine', path: 'gone.bin', putBy: 'dana', body: failingBody('partial') })).rejects.toThrow(/client went away/);
    expect(await store.list(permitId, 'quarantine')).toEqual([]);
    for (const name of ['too-big.bin', 'short.bin', 'announced.bin', 'gone.bin']) expect(await blobs.exists(`${permitId}/quarantine/${name}`)).toBe(false);
  });

  it('refuses hostile paths: traversal, absolute, control characters, backslashes, option-like names', async () => {
    const { store, permitId } = context();
    for (const path of ['../etc/passwd', 'a/../../b', '/etc/passwd', 'name\nwith-newline.csv', 'nul\u0000.csv', 'dir\\file.csv', '-rf', 'a//b', '']) {
      await expect(store.put({ permitId, zone: 'quarantine', path, putBy: 'dana', body: Readable.from(['x']) }), path).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(store.put({ permitId: '../other', zone: 'quarantine', path: 'a.csv', putBy: 'dana', body: Readable.from(['x']) })).rejects.toBeInstanceOf(ValidationError);
    expect(await store.list(permitId, 'quarantine')).toEqual([]);
  });

  it('takes new bytes only into quarantine and outputs; every other zone only by a transition', async () => {
    const { store, permitId } = context();
    for (const zone of ['raw', 'prepared', 'released'] as const) {
      await expect(store.put({ permitId, zone: zone as 'quarantine', path: 'sneaky.csv', putBy: 'dana', body: Readable.from(['x']) })).rejects.toBeInstanceOf(InvalidTransitionError);
      expect(await store.list(permitId, zone)).toEqual([]);
    }
    await store.put({ permitId, zone: 'outputs', path: 'table.csv', putBy: 'system:workspace', body: Readable.from(['n\n12\n']) });
    expect((await store.list(permitId, 'outputs')).map((o) => o.path)).toEqual(['table.csv']);
  });

  it('writes the release metadata it generates into released, once, and nothing else by that way', async () => {
    const { store, blobs, permitId } = context();
    const crate = Buffer.from('{"@context":"https://w3id.org/ro/crate/1.1/context"}');
    const first = await store.putGenerated({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'system:release', body: crate, outputRequestId: 'req-1' });
    expect(first).toEqual({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', sha256: sha(crate), sizeBytes: crate.length, putBy: 'system:release', putAt: expect.any(String), outputRequestId: 'req-1' });
    expect(await text(await store.open({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json' }))).toBe(crate.toString());
    // A repeated job writes the same bytes: the object stays as it was; bytes lost after the record are written again.
    expect(await store.putGenerated({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'system:again', body: crate })).toEqual(first);
    await blobs.delete(`${permitId}/released/req-1/ro-crate-metadata.json`);
    expect(await store.putGenerated({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'system:again', body: crate })).toEqual(first);
    expect(await text(await store.open({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json' }))).toBe(crate.toString());
    // Other bytes: refused, unless the caller says the file was never served (a release not yet recorded).
    await expect(store.putGenerated({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'x', body: Buffer.from('{}') })).rejects.toBeInstanceOf(ConflictError);
    const replaced = await store.putGenerated({ permitId, zone: 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'x', body: Buffer.from('{}'), replace: true });
    expect(replaced.sha256).toBe(sha('{}'));
    // Only the generated names, one folder deep, and only into released.
    for (const path of ['req-1/table.csv', 'ro-crate-metadata.json', 'req-1/sub/ro-crate-metadata.json', 'req-1/../ro-crate-metadata.json']) {
      await expect(store.putGenerated({ permitId, zone: 'released', path, putBy: 'mallory', body: Buffer.from('x') }), path).rejects.toBeInstanceOf(path.includes('..') ? ValidationError : InvalidTransitionError);
    }
    await expect(store.putGenerated({ permitId, zone: 'raw' as 'released', path: 'req-1/ro-crate-metadata.json', putBy: 'mallory', body: Buffer.from('x') })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await store.list(permitId, 'released')).map((o) => o.path)).toEqual(['req-1/ro-crate-metadata.json']);
    expect(await store.list(permitId, 'raw')).toEqual([]);
  });

  it('refuses a second put at the same path unless it replaces', async () => {
    const { store, permitId } = context();
    await store.put({ permitId, zone: 'quarantine', path: 'a.csv', putBy: 'dana', body: Readable.from(['one']) });
    await expect(store.put({ permitId, zone: 'quarantine', path: 'a.csv', putBy: 'dana', body: Readable.from(['two']) })).rejects.toBeInstanceOf(ConflictError);
    const replaced = await store.put({ permitId, zone: 'quarantine', path: 'a.csv', putBy: 'dana', body: Readable.from(['three']), replace: true });
    expect(replaced.sha256).toBe(sha('three'));
    expect(await text(await store.open({ permitId, zone: 'quarantine', path: 'a.csv' }))).toBe('three');
  });

  it('moves quarantine to raw, copies raw to prepared and outputs to released, and refuses every other way', async () => {
    const { store, permitId } = context();
    await store.put({ permitId, zone: 'quarantine', path: 'a.csv', putBy: 'dana', deliveryId: 'dana', body: Readable.from(['a']) });
    await store.put({ permitId, zone: 'quarantine', path: 'b.csv', putBy: 'hugo', deliveryId: 'hugo', body: Readable.from(['b']) });
    const promoted = await store.transition({ permitId, from: 'quarantine', to: 'raw', deliveryId: 'dana', by: 'system:scan' });
    expect(promoted).toEqual([expect.objectContaining({ zone: 'raw', path: 'a.csv', sha256: sha('a'), deliveryId: 'dana', putBy: 'system:scan' })]);
    expect((await store.list(permitId, 'quarantine')).map((o) => o.path)).toEqual(['b.csv']);
    expect(await text(await store.open({ permitId, zone: 'raw', path: 'a.csv' }))).toBe('a');
    await expect(store.open({ permitId, zone: 'quarantine', path: 'a.csv' })).rejects.toBeInstanceOf(NotFoundError);

    // Repeating it (a job delivered twice) changes nothing and answers the same objects.
    expect(await store.transition({ permitId, from: 'quarantine', to: 'raw', paths: ['a.csv'], by: 'system:scan' })).toEqual(promoted);

    const prepared = await store.transition({ permitId, from: 'raw', to: 'prepared', by: 'rita' });
    expect(prepared.map((o) => [o.zone, o.path])).toEqual([['prepared', 'a.csv']]);
    expect((await store.list(permitId, 'raw')).map((o) => o.path)).toEqual(['a.csv']);

    await store.put({ permitId, zone: 'outputs', path: 'tables/t1.csv', putBy: 'system:workspace', body: Readable.from(['n\n12\n']) });
    const released = await store.transition({ permitId, from: 'outputs', to: 'released', paths: ['tables/t1.csv'], by: 'rita', outputRequestId: 'req-1', targetPrefix: 'req-1' });
    expect(released).toEqual([expect.objectContaining({ zone: 'released', path: 'req-1/tables/t1.csv', outputRequestId: 'req-1', sha256: sha('n\n12\n') })]);
    expect(await store.list(permitId, 'released', { outputRequestId: 'req-1' })).toEqual(released);
    expect(await text(await store.open({ permitId, zone: 'outputs', path: 'tables/t1.csv' }))).toBe('n\n12\n');

    for (const [from, to] of [
      ['quarantine', 'prepared'],
      ['quarantine', 'released'],
      ['raw', 'outputs'],
      ['raw', 'released'],
      ['prepared', 'outputs'],
      ['prepared', 'released'],
      ['outputs', 'raw'],
      ['released', 'outputs'],
      ['raw', 'quarantine'],
    ] as const) {
      await expect(store.transition({ permitId, from, to, by: 'mallory' }), `${from} -> ${to}`).rejects.toBeInstanceOf(InvalidTransitionError);
    }
    await expect(store.transition({ permitId, from: 'outputs', to: 'released', paths: ['missing.csv'], by: 'rita' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.list(permitId, 'released')).map((o) => o.path)).toEqual(['req-1/tables/t1.csv']);
  });

  it('refuses a transition onto a different file already at the target', async () => {
    const { store, permitId } = context();
    await store.put({ permitId, zone: 'outputs', path: 't.csv', putBy: 'w', body: Readable.from(['first']) });
    await store.transition({ permitId, from: 'outputs', to: 'released', by: 'rita' });
    await store.put({ permitId, zone: 'outputs', path: 't.csv', putBy: 'w', body: Readable.from(['second']), replace: true });
    await expect(store.transition({ permitId, from: 'outputs', to: 'released', by: 'rita' })).rejects.toBeInstanceOf(ConflictError);
    expect(await text(await store.open({ permitId, zone: 'released', path: 't.csv' }))).toBe('first');
  });

  it('removes one object, and every object of a permit at deletion', async () => {
    const { store, blobs, permitId } = context();
    await store.put({ permitId, zone: 'quarantine', path: 'x/a.csv', putBy: 'dana', body: Readable.from(['a']) });
    await store.put({ permitId, zone: 'quarantine', path: 'x/b.csv', putBy: 'dana', body: Readable.from(['b']) });
    await store.put({ permitId, zone: 'outputs', path: 'o.csv', putBy: 'w', body: Readable.from(['o']) });
    await store.transition({ permitId, from: 'quarantine', to: 'raw', paths: ['x/b.csv'], by: 'scan' });
    expect(await store.remove({ permitId, zone: 'quarantine', path: 'x/a.csv' })).toBe(true);
    expect(await store.remove({ permitId, zone: 'quarantine', path: 'x/a.csv' })).toBe(false);
    expect(await blobs.exists(`${permitId}/quarantine/x/a.csv`)).toBe(false);
    expect(await store.removePermit(permitId)).toBe(2);
    for (const zone of ['quarantine', 'raw', 'outputs'] as const) expect(await store.list(permitId, zone)).toEqual([]);
    expect(await blobs.exists(`${permitId}/raw/x/b.csv`)).toBe(false);
    expect(await blobs.exists(`${permitId}/outputs/o.csv`)).toBe(false);
  });
}
