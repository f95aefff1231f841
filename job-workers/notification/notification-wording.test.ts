import { describe, expect, it } from 'vitest';
import { CLOSE_REASON_WORDS, inWords, WORDING_TABLES, type WordingKind } from './notification-wording.js';

describe('notification wording', () => {
  const kinds = Object.keys(WORDING_TABLES) as WordingKind[];

  it.each(kinds)('has words for every %s code, and words only for codes that exist', (kind) => {
    const { codes, words } = WORDING_TABLES[kind];
    for (const code of codes) {
      const said = inWords(kind, code);
      expect(said, `${kind} ${code}`).not.toBe('');
      expect(said, `${kind} ${code} reads as words, not as a code`).not.toMatch(/_|\b[a-z]+-[a-z]+\b/);
    }
    expect(Object.keys(words).sort()).toEqual([...new Set(codes)].sort());
  });

  it('says every reason a permit can close as a reason, not a code', () => {
    expect(inWords('closeReason', 'CLOSED_EARLY')).toBe('the research team closed the analysis before the permit expired');
    expect(inWords('closeReason', 'REVOKED')).toBe('the HDAB revoked the permit');
    expect(Object.keys(CLOSE_REASON_WORDS).sort()).toEqual(['CLOSED_EARLY', 'EXPIRED', 'INGRESS_ABORTED', 'REVOKED', 'SETUP_FAILED', 'SETUP_REJECTED']);
  });

  it('says a code it does not know as lower-case words instead of showing it raw', () => {
    expect(inWords('closeReason', 'SETUP_ABANDONED')).toBe('setup abandoned');
    expect(inWords('permitStatus', 'SOME_NEW-STATUS')).toBe('some new status');
  });

  it('does not take inherited names for codes', () => {
    expect(inWords('decision', 'toString')).toBe('tostring');
  });
});
