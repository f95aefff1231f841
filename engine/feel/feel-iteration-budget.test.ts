import { describe, expect, it } from 'vitest';
import { compileDmn } from '../dmn/compile-dmn.js';
import { evaluateDecision } from '../dmn/evaluate-decision.js';
import { dmn, literal, table } from '../dmn/test-dmn.js';
import { runFeel } from './feel-runner.js';
import { MAX_RANGE_ELEMENTS_PER_TURN, resetFeelIterationBudget } from './feel-iteration-budget.js';

describe('FEEL loops over ranges are bounded (a hostile decision or expression cannot hold the engine)', () => {
  it('stops `for i in 1..100000000` quickly with a clear error instead of running for minutes and out of memory', () => {
    resetFeelIterationBudget();
    const started = Date.now();
    expect(() => runFeel('count(for i in 1..100000000 return i)', {})).toThrow(/FEEL iteration stopped: more than 1000000 range elements/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('leaves ordinary loops alone, and the budget is per synchronous turn', async () => {
    resetFeelIterationBudget();
    expect(runFeel('sum(for i in 1..1000 return i)', {}).value).toBe(500_500);
    expect(runFeel('for x in [1,2,3] return x * 2', {}).value).toEqual([2, 4, 6]);
    expect(runFeel('some i in 1..10 satisfies i > 9', {}).value).toBe(true);
    // Over half the budget in one turn, then as much again in the next: each turn starts afresh.
    const most = Math.floor(MAX_RANGE_ELEMENTS_PER_TURN * 0.6);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runFeel(`count(for i in 1..${most} return i)`, {}).value).toBe(most);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runFeel(`count(for i in 1..${most} return i)`, {}).value).toBe(most);
  });

  it('a decision whose output entry, input expression or literal loops fails its evaluation (an incident, a failureMessage) instead', async () => {
    const output = await compileDmn('loop.dmn', dmn(table('d', { inputs: ['age'], outputs: ['n'], rules: [[['-'], ['count(for i in 1..100000000 return i)']]] })));
    expect(output.errors).toEqual([]);
    resetFeelIterationBudget();
    expect(evaluateDecision(output.drg!, 'd', { age: 1 }).failure?.message).toMatch(/FEEL iteration stopped/);

    const input = await compileDmn('loop.dmn', dmn(table('d', { inputs: ['count(for i in 1..100000000 return i)'], outputs: ['n'], rules: [[['-'], ['1']]] })));
    expect(input.errors).toEqual([]);
    resetFeelIterationBudget();
    expect(evaluateDecision(input.drg!, 'd', {}).failure?.message).toMatch(/FEEL iteration stopped/);

    const joined = await compileDmn('loop.dmn', dmn(literal('d', 'string join(for i in 1..10000000 return string(i))')));
    expect(joined.errors).toEqual([]);
    resetFeelIterationBudget();
    expect(evaluateDecision(joined.drg!, 'd', {}).failure?.message).toMatch(/FEEL iteration stopped/);
  });
});
