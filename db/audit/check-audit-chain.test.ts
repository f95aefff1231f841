import { describe, expect, it } from 'vitest';
import { computeAuditHash, GENESIS_HASH } from './audit-hash.js';
import { checkAuditChain, type ChainHead, type CheckedEntry } from './check-audit-chain.js';

function buildChain(length: number): CheckedEntry[] {
  const entries: CheckedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const fields = { seq, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), actor: `user-${seq % 3}`, action: 'permit.status.changed', permitId: `p-${seq % 2}`, details: { n: seq } };
    const hash = computeAuditHash(prevHash, fields);
    entries.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

const headOf = (entries: CheckedEntry[]): ChainHead => ({ lastSeq: entries.at(-1)?.seq ?? 0, lastHash: entries.at(-1)?.hash ?? GENESIS_HASH });
const kinds = (result: ReturnType<typeof checkAuditChain>) => result.problems.map((p) => `${p.problem}@${p.seq}`);

describe('checkAuditChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const chain = buildChain(10);
    expect(checkAuditChain(chain, headOf(chain))).toEqual({ ok: true, checked: 10, problems: [] });
    expect(checkAuditChain([], { lastSeq: 0, lastHash: GENESIS_HASH })).toEqual({ ok: true, checked: 0, problems: [] });
  });

  it('reports an entry whose content was changed as edited at its seq', () => {
    const chain = buildChain(10);
    chain[3] = { ...chain[3]!, details: { n: 999 } };
    const result = checkAuditChain(chain, headOf(chain));
    expect(result.ok).toBe(false);
    expect(kinds(result)).toEqual(['edited@4']);
  });

  it('reports an edited entry whose hash was recomputed at that entry, through the next entry’s link', () => {
    const chain = buildChain(10);
    const forged = { ...chain[2]!, actor: 'mallory' };
    chain[2] = { ...forged, hash: computeAuditHash(forged.prevHash, forged) };
    expect(kinds(checkAuditChain(chain, headOf(chain)))).toEqual(['edited@3']);
  });

  it('reports a deleted entry, a deleted range and deleted last entries with the first missing seq', () => {
    const one = buildChain(10).filter((e) => e.seq !== 5);
    expect(checkAuditChain(one, headOf(buildChain(10))).problems).toEqual([{ seq: 5, problem: 'deleted', detail: 'entry 5 is missing' }]);
    const range = buildChain(10).filter((e) => e.seq < 5 || e.seq > 7);
    expect(checkAuditChain(range, headOf(buildChain(10))).problems).toEqual([{ seq: 5, problem: 'deleted', detail: 'entries 5 to 7 are missing' }]);
    const full = buildChain(10);
    expect(kinds(checkAuditChain(full.slice(0, 8), headOf(full)))).toEqual(['deleted@9']);
  });

  it('reports entries deleted and the later ones renumbered once, not every moved entry', () => {
    const full = buildChain(10);
    const renumbered = full.filter((e) => e.seq !== 5).map((e) => (e.seq > 5 ? { ...e, seq: e.seq - 1 } : e));
    expect(kinds(checkAuditChain(renumbered, headOf(full)))).toEqual(['deleted@5', 'deleted@10']);
    expect(kinds(checkAuditChain(renumbered, { lastSeq: 9, lastHash: full[9]!.hash }))).toEqual(['deleted@5']);
  });

  it('reports two swapped entries as reordered at both seqs', () => {
    const chain = buildChain(10);
    const [third, fourth] = [chain[2]!, chain[3]!];
    chain[2] = { ...fourth, seq: 3 };
    chain[3] = { ...third, seq: 4 };
    expect(kinds(checkAuditChain(chain, headOf(chain)))).toEqual(['reordered@3', 'reordered@4']);
  });

  it('reports a chain head that disagrees with the last entry, and entries written past the head', () => {
    const chain = buildChain(5);
    expect(kinds(checkAuditChain(chain, { lastSeq: 5, lastHash: 'f'.repeat(64) }))).toEqual(['edited@5']);
    expect(kinds(checkAuditChain(chain, { lastSeq: 4, lastHash: chain[3]!.hash }))).toEqual(['edited@5']);
  });

  it('reports a first entry that does not start from the genesis hash', () => {
    const chain = buildChain(3);
    const forged = { ...chain[0]!, prevHash: 'a'.repeat(64) };
    chain[0] = { ...forged, hash: computeAuditHash(forged.prevHash, forged) };
    expect(kinds(checkAuditChain(chain, headOf(chain)))).toEqual(['edited@1']);
  });
});
