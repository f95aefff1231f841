/**
 * Checks a stream of audit entries, in seq order, against the hash chain and the chain head. Pure: the
 * database part is in verify-audit-log.ts. What it reports, with the seq each problem is found at:
 *
 * - `edited`: an entry's content no longer matches its hash; or an entry's hash was rewritten (the next
 *   entry links to a hash that exists nowhere); or the chain head disagrees with the last entry.
 * - `deleted`: seqs are missing (a gap, or entries missing at the end per the chain head); or an entry links
 *   to a predecessor that exists nowhere and was itself renumbered (entries removed, the rest moved down).
 * - `reordered`: an intact entry sits at another seq than the one it was written at (found by trying the
 *   seqs within REORDER_WINDOW of where it sits), or it links to an entry that is not the one before it.
 *
 * Each problem is reported once: an entry next to a reported problem is not reported again for the broken
 * link that problem causes, nor are the entries after a renumbering that moved them all by the same amount.
 * The checker keeps every hash it saw (to tell a moved predecessor from a missing one): about 100 bytes per entry.
 *
 * What a hash chain cannot catch: someone who rewrites every hash from the change onwards and the chain head
 * too. Anchoring the head elsewhere (publishing it now and then) catches that.
 */
import { computeAuditHash, GENESIS_HASH } from './audit-hash.js';
import type { AuditEntry } from './audit-rows.js';

export type AuditProblemKind = 'edited' | 'deleted' | 'reordered';

export interface AuditProblem {
  seq: number;
  problem: AuditProblemKind;
  /** What was found, in words. */
  detail: string;
}

export interface VerifyAuditLogResult {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  problems: AuditProblem[];
}

export interface ChainHead {
  lastSeq: number;
  lastHash: string;
}

/** How far from its seq a moved entry is looked for. */
export const REORDER_WINDOW = 32;

export type CheckedEntry = Pick<AuditEntry, 'seq' | 'occurredAt' | 'actor' | 'action' | 'permitId' | 'details' | 'prevHash' | 'hash'>;

/** A problem whose kind depends on whether a hash turns up anywhere in the log (known at the end). */
interface Pending {
  linksTo: string;
  ifFound: AuditProblem;
  ifMissing: AuditProblem;
}

export class AuditChainChecker {
  private checked = 0;
  private readonly found: Array<AuditProblem | Pending> = [];
  private previous: { seq: number; hash: string; flagged: boolean; shift: number } | undefined;
  private readonly hashes = new Set<string>();

  add(entry: CheckedEntry): void {
    this.checked++;
    this.hashes.add(entry.hash);
    const prev = this.previous;
    const expectedSeq = prev ? prev.seq + 1 : 1;
    const gap = entry.seq > expectedSeq;
    if (gap) {
      const last = entry.seq - 1;
      this.report(expectedSeq, 'deleted', last === expectedSeq ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq} to ${last} are missing`);
    }
    const linked = entry.prevHash === (prev ? prev.hash : GENESIS_HASH);
    let flagged = false;
    let shift = 0;
    if (hashAt(entry, entry.seq) !== entry.hash) {
      const writtenAt = findWrittenSeq(entry);
      if (writtenAt === undefined) {
        flagged = true;
        this.report(entry.seq, 'edited', 'its content does not match its hash');
      } else {
        shift = writtenAt - entry.seq;
        const continuesRenumbering = prev !== undefined && linked && prev.shift === shift;
        if (!continuesRenumbering) {
          flagged = true;
          const reordered = problem(entry.seq, 'reordered', `it holds the entry written as ${writtenAt}`);
          if (linked) this.found.push(reordered);
          else {
            const deleted = problem(entry.seq, 'deleted', `the entry before it is missing and later entries were renumbered (this one was written as ${writtenAt})`);
            this.found.push({ linksTo: entry.prevHash, ifFound: reordered, ifMissing: deleted });
          }
        }
      }
    } else if (!linked && !gap && !prev?.flagged) {
      flagged = true;
      if (!prev) this.report(entry.seq, 'edited', 'the first entry does not start the chain');
      else {
        this.found.push({
          linksTo: entry.prevHash,
          ifFound: problem(entry.seq, 'reordered', 'it follows another entry than the one before it'),
          ifMissing: problem(prev.seq, 'edited', `its hash was rewritten: entry ${entry.seq} links to another hash`),
        });
      }
    }
    this.previous = { seq: entry.seq, hash: entry.hash, flagged, shift };
  }

  finish(head: ChainHead): VerifyAuditLogResult {
    const last = this.previous;
    const lastSeq = last?.seq ?? 0;
    if (head.lastSeq > lastSeq) {
      const first = lastSeq + 1;
      const which = head.lastSeq === first ? `entry ${first} is missing` : `entries ${first} to ${head.lastSeq} are missing`;
      this.report(first, 'deleted', `${which} (the chain head counts ${head.lastSeq})`);
    } else if (head.lastSeq < lastSeq) {
      this.report(head.lastSeq + 1, 'edited', `entries past the chain head (${head.lastSeq}) were written outside appendAudit`);
    } else if (last && last.hash !== head.lastHash && !last.flagged) {
      this.report(last.seq, 'edited', 'its hash does not match the chain head');
    }
    const seen = new Set<string>();
    const problems = this.found
      .map((p) => ('linksTo' in p ? (this.hashes.has(p.linksTo) ? p.ifFound : p.ifMissing) : p))
      // One problem of a kind per seq: the first found says the most.
      .filter((p) => !seen.has(`${p.problem}@${p.seq}`) && seen.add(`${p.problem}@${p.seq}`))
      .sort((a, b) => a.seq - b.seq);
    return { ok: problems.length === 0, checked: this.checked, problems };
  }

  private report(seq: number, kind: AuditProblemKind, detail: string): void {
    this.found.push(problem(seq, kind, detail));
  }
}

function problem(seq: number, kind: AuditProblemKind, detail: string): AuditProblem {
  return { seq, problem: kind, detail };
}

function hashAt(entry: CheckedEntry, seq: number): string {
  return computeAuditHash(entry.prevHash, { ...entry, seq });
}

/** The seq near `entry.seq` whose hash the entry's content matches, if any. */
function findWrittenSeq(entry: CheckedEntry): number | undefined {
  for (let distance = 1; distance <= REORDER_WINDOW; distance++) {
    for (const seq of [entry.seq - distance, entry.seq + distance]) {
      if (seq >= 1 && hashAt(entry, seq) === entry.hash) return seq;
    }
  }
  return undefined;
}

/** Checks a whole chain held in memory. */
export function checkAuditChain(entries: Iterable<CheckedEntry>, head: ChainHead): VerifyAuditLogResult {
  const checker = new AuditChainChecker();
  for (const entry of entries) checker.add(entry);
  return checker.finish(head);
}
