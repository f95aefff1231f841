import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/index.js';
import { createDatabase, type Database } from '../create-database.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { TABLES } from '../types.js';
import { appendAudit } from './append-audit.js';
import { GENESIS_HASH } from './audit-hash.js';
import { runVerifyAuditLogCommand } from './verify-audit-log-command.js';
import { verifyAuditLog } from './verify-audit-log.js';

/** What a DBA does before tampering: switch the append-only trigger off. */
const disableGuard = (knex: Knex) => knex.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');

async function appendMany(knex: Knex, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await appendAudit(knex, { actor: `user-${i % 3}`, action: 'permit.status.changed', permitId: `permit-${i % 4}`, details: { n: i, note: 'ok', nested: { b: [i], a: null } } });
  }
}

const kinds = (result: Awaited<ReturnType<typeof verifyAuditLog>>) => result.problems.map((p) => `${p.problem}@${p.seq}`);

const targets = testDatabaseTargets();

describe.each(targets)('audit log on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('verifies an empty log and a fresh chain of N entries, whatever the page size', async () => {
    expect(await verifyAuditLog(knex)).toEqual({ ok: true, checked: 0, problems: [] });
    await appendMany(knex, 25);
    expect(await verifyAuditLog(knex)).toEqual({ ok: true, checked: 25, problems: [] });
    expect(await verifyAuditLog(knex, { pageSize: 7 })).toEqual({ ok: true, checked: 25, problems: [] });
  });

  it('links each entry to the one before it and moves the chain head', async () => {
    const first = await appendAudit(knex, { actor: 'alice', action: 'permit.created', permitId: 'p1' });
    const second = await appendAudit(knex, { actor: 'rita', action: 'application.assessed', details: { decision: 'APPROVED' } });
    expect(first).toMatchObject({ created: true, entry: { seq: 1, prevHash: GENESIS_HASH, details: {}, permitId: 'p1', idempotencyKey: null } });
    expect(second).toMatchObject({ created: true, entry: { seq: 2, prevHash: first.entry.hash, permitId: null } });
    expect(second.entry.hash).toMatch(/^[0-9a-f]{64}$/);
    const head = (await knex(TABLES.auditChainHead).first()) as { last_seq: unknown; last_hash: string };
    expect([Number(head.last_seq), head.last_hash]).toEqual([2, second.entry.hash]);
  });

  it('stores details as JSON gives them back (dates as strings, undefined members left out) and still verifies', async () => {
    const { entry } = await appendAudit(knex, { actor: 'alice', action: 'x.done', details: { at: new Date('2026-05-01T10:00:00.000Z'), gone: undefined, list: [1, 'two', { z: 1, a: 2 }], ratio: 0.1 } });
    expect(entry.details).toEqual({ at: '2026-05-01T10:00:00.000Z', list: [1, 'two', { a: 2, z: 1 }], ratio: 0.1 });
    expect((await verifyAuditLog(knex)).ok).toBe(true);
  });

  it('dedupes on the idempotency key: the repeat returns the first entry and writes nothing', async () => {
    const first = await appendAudit(knex, { actor: 'worker', action: 'setup.reviewed', idempotencyKey: 'job-7', details: { decision: 'APPROVED' } });
    const repeat = await appendAudit(knex, { actor: 'worker', action: 'setup.reviewed', idempotencyKey: 'job-7', details: { decision: 'REJECTED' } });
    expect(repeat).toEqual({ entry: first.entry, created: false });
    expect(await knex(TABLES.auditLog).count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    expect(Number(((await knex(TABLES.auditLog).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(1);
  });

  it('keeps seqs gapless when an append is rolled back with its transaction', async () => {
    await appendMany(knex, 2);
    await expect(
      knex.transaction(async (trx) => {
        await appendAudit(trx, { actor: 'alice', action: 'doomed' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const { entry } = await appendAudit(knex, { actor: 'alice', action: 'kept' });
    expect(entry.seq).toBe(3);
    expect(await verifyAuditLog(knex)).toEqual({ ok: true, checked: 3, problems: [] });
  });

  it('serialises concurrent appends into one gapless, valid chain', async () => {
    await Promise.all(Array.from({ length: 15 }, (_, i) => appendAudit(knex, { actor: 'alice', action: 'parallel', details: { i } })));
    expect(await verifyAuditLog(knex)).toEqual({ ok: true, checked: 15, problems: [] });
  });

  it('refuses bad input with a ValidationError', async () => {
    const noActor = appendAudit(knex, { actor: '', action: 'x' });
    await expect(noActor).rejects.toBeInstanceOf(ValidationError);
    await expect(noActor).rejects.toThrow('Audit entry: actor must be a non-empty string of at most 500 characters');
    await expect(appendAudit(knex, { actor: 'a', action: 'x', details: [] as unknown as Record<string, unknown> })).rejects.toThrow('Audit entry: details must be a JSON object');
    await expect(appendAudit(knex, { actor: 'a', action: 'x', details: { n: Number.NaN } })).rejects.toThrow('Audit entry: details are not JSON-safe: canonicalJson: NaN has no JSON form');
  });

  it('detects an entry edited with raw SQL', async () => {
    await appendMany(knex, 10);
    await disableGuard(knex);
    await knex.raw(`UPDATE audit_log SET details = jsonb_set(details, '{n}', '999') WHERE seq = 4`);
    const result = await verifyAuditLog(knex);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ seq: 4, problem: 'edited', detail: 'its content does not match its hash' }]);
    expect(result.checked).toBe(10);
  });

  it('detects an edited actor even when the forger recomputes that entry’s hash', async () => {
    await appendMany(knex, 6);
    await disableGuard(knex);
    await knex.raw(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`);
    // A forger who knows the formula recomputes the hash of the entry they changed ...
    const row = (await knex(TABLES.auditLog).where({ seq: 3 }).first()) as { prev_hash: string; occurred_at: Date; action: string; permit_id: string; details: Record<string, unknown> };
    const { computeAuditHash } = await import('./audit-hash.js');
    const forged = computeAuditHash(row.prev_hash, { seq: 3, occurredAt: row.occurred_at.toISOString(), actor: 'mallory', action: row.action, permitId: row.permit_id, details: row.details });
    await knex(TABLES.auditLog).where({ seq: 3 }).update({ hash: forged });
    // ... but the next entry still links to the original one.
    expect(kinds(await verifyAuditLog(knex))).toEqual(['edited@3']);
  });

  it('detects a deleted entry, and deleted entries at the end', async () => {
    await appendMany(knex, 10);
    await disableGuard(knex);
    await knex(TABLES.auditLog).where({ seq: 5 }).delete();
    expect((await verifyAuditLog(knex)).problems).toEqual([{ seq: 5, problem: 'deleted', detail: 'entry 5 is missing' }]);
    await knex(TABLES.auditLog).where('seq', '>=', 9).delete();
    expect(kinds(await verifyAuditLog(knex))).toEqual(['deleted@5', 'deleted@9']);
  });

  it('detects a deleted entry when the later entries were renumbered to hide the gap', async () => {
    await appendMany(knex, 8);
    await disableGuard(knex);
    await knex(TABLES.auditLog).where({ seq: 4 }).delete();
    for (let seq = 5; seq <= 8; seq++) await knex(TABLES.auditLog).where({ seq }).update({ seq: seq - 1 });
    await knex(TABLES.auditChainHead).update({ last_seq: 7 });
    expect(kinds(await verifyAuditLog(knex))).toEqual(['deleted@4']);
  });

  it('detects two entries that swapped places', async () => {
    await appendMany(knex, 8);
    await disableGuard(knex);
    await knex.raw('UPDATE audit_log SET seq = 1000 WHERE seq = 3');
    await knex.raw('UPDATE audit_log SET seq = 3 WHERE seq = 4');
    await knex.raw('UPDATE audit_log SET seq = 4 WHERE seq = 1000');
    expect((await verifyAuditLog(knex)).problems).toEqual([
      { seq: 3, problem: 'reordered', detail: 'it holds the entry written as 4' },
      { seq: 4, problem: 'reordered', detail: 'it holds the entry written as 3' },
    ]);
  });

  it('detects entries appended behind appendAudit’s back', async () => {
    await appendMany(knex, 3);
    const last = (await knex(TABLES.auditLog).where({ seq: 3 }).first()) as { hash: string };
    await knex(TABLES.auditLog).insert({ seq: 4, occurred_at: new Date(), actor: 'mallory', action: 'x', details: '{}', prev_hash: last.hash, hash: 'f'.repeat(64) });
    expect(kinds(await verifyAuditLog(knex))).toEqual(['edited@4']);
  });
});

describe('npm run audit:verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permit-audit-cli-'));
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerifyAuditLogCommand(argv, {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on an intact log, 1 with the problems listed on a tampered one, 2 when there is no database', { timeout: 180_000 }, async () => {
    const db = await createDatabase({ dataDir: dir, logger: pino({ level: 'silent' }) });
    await db.migrateLatest();
    await appendMany(db.knex, 4);
    await db.close();
    expect(await run(['--data-dir', dir])).toEqual({ code: 0, out: 'Audit log intact: 4 entries verified.', err: '' });

    const again = await createDatabase({ dataDir: dir, logger: pino({ level: 'silent' }) });
    await disableGuard(again.knex);
    await again.knex(TABLES.auditLog).where({ seq: 2 }).update({ action: 'nothing.happened' });
    await again.close();
    expect(await run(['--data-dir', dir])).toEqual({ code: 1, out: 'Audit log NOT intact: 1 problem(s) in 4 entries.\n  seq 2: edited — its content does not match its hash', err: '' });
    const json = await run(['--data-dir', dir, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, checked: 4, problems: [{ seq: 2, problem: 'edited' }] });

    const missing = await run(['--data-dir', join(dir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/No Permit Manager database in .*nothing-here/);
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
