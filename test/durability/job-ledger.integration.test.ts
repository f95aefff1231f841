import { describe, expect, it } from 'vitest';
import { JobLedger } from './job-ledger.js';

describe('JobLedger', () => {
  it('flags a job acknowledged twice', () => {
    const ledger = new JobLedger();
    ledger.delivered('1', 'p');
    ledger.completed('1');
    ledger.run = 2;
    ledger.completed('1');
    expect(ledger.completedTwice()).toEqual(['1']);
  });

  it('flags a job redelivered after its completion was acknowledged, but not one whose completion was lost', () => {
    const ledger = new JobLedger();
    ledger.delivered('acked', 'p1');
    ledger.completed('acked');
    ledger.delivered('lost', 'p2');
    ledger.refused('lost', 'socket hang up');
    ledger.run = 2;
    ledger.delivered('acked', 'p1');
    ledger.delivered('lost', 'p2');
    ledger.completed('lost');
    expect(ledger.redeliveredAfterAck()).toEqual(['acked']);
    expect(ledger.completedTwice()).toEqual([]);
  });
});
