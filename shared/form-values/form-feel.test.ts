import { unaryTest } from 'feelin';
import { describe, expect, it } from 'vitest';
import { isHidden, settingValue } from './form-feel.js';

describe('form FEEL against a context of many variables', () => {
  // A listener's context is every process variable; only the ones an expression names are handed to feelin.
  const context: Record<string, unknown> = { decision: 'REJECTED', 'review round': 2, round: 7, permit: { status: 'SUBMITTED' }, limit: 5 };
  for (let i = 0; i < 50; i++) context[`other${i}`] = { nested: [i, { deep: 'x' }] };

  it('evaluates hide conditions on the names they use, names with spaces and paths included', () => {
    expect(isHidden(['=decision != "APPROVED"'], context)).toBe(true);
    expect(isHidden(['=decision = "APPROVED"'], context)).toBe(false);
    expect(isHidden(['=review round = 2'], context)).toBe(true);
    expect(isHidden(['=round = 7'], context)).toBe(true);
    expect(isHidden(['=permit.status = "SUBMITTED"'], context)).toBe(true);
    expect(isHidden(['=missing = null'], context)).toBe(true);
  });

  it('evaluates settings on the names they use', () => {
    expect(settingValue('=limit * 2', context)).toBe(10);
    expect(settingValue('=review round + round', context)).toBe(9);
    expect(settingValue(3, context)).toBe(3);
  });
});

describe('hide conditions comparing a variable with a string or null', () => {
  // isHidden answers `name = "text"`, `name != null` and the like itself when it can; it must answer as feelin does.
  const byFeelin = (expression: string, context: Record<string, unknown>): boolean => {
    try {
      return unaryTest(expression, context).value === true;
    } catch {
      return false;
    }
  };
  const names = ['decision', 'date', 'x'];
  const values: unknown[] = ['APPROVED', 'approved', '', 'é', 'e\u0301', null, 7, true, ['APPROVED'], { a: 'APPROVED' }];
  const ops = ['=', ' != '];
  const right = ['"APPROVED"', '""', 'null', '"é"', '"\\u0041PPROVED"'];
  const shapes = (name: string, value: unknown): Record<string, unknown>[] => [
    { [name]: value },
    { [name]: value, other: 'APPROVED', [`${name} y`]: 'APPROVED' },
    {},
  ];

  it('answers as feelin for every operand type, present or absent, built-in names included', () => {
    const differing: unknown[] = [];
    let compared = 0;
    for (const name of names)
      for (const op of ops)
        for (const literal of right)
          for (const value of values)
            for (const context of shapes(name, value)) {
              const expression = `${name}${op}${literal}`;
              const hidden = isHidden([`=${expression}`], context);
              if (hidden !== byFeelin(expression, context)) differing.push({ expression, context, hidden });
              compared++;
            }
    expect(differing).toEqual([]);
    expect(compared).toBe(names.length * ops.length * right.length * values.length * 3);
  }, 60_000); // about a thousand feelin evaluations: seconds on a busy machine

  it('answers the forms as they are written', () => {
    expect(isHidden(['=assessmentDecision != "APPROVED"'], { assessmentDecision: 'APPROVED' })).toBe(false);
    expect(isHidden(['=assessmentDecision != "APPROVED"'], { assessmentDecision: 'REJECTED' })).toBe(true);
    expect(isHidden(['=assessmentDecision != "APPROVED"'], { assessmentDecision: null })).toBe(true);
    expect(isHidden(['=previousAssessmentComment = null'], { previousAssessmentComment: null })).toBe(true);
    expect(isHidden(['=previousAssessmentComment = null'], { previousAssessmentComment: 'Add the DPIA.' })).toBe(false);
    // A variable the instance does not hold is null to feelin, as before.
    expect(isHidden(['=previousAssessmentComment = null'], {})).toBe(true);
    // FEEL compares a number with a string as null, which the unary test counts as a match: feelin's answer stands.
    expect(isHidden(['=assessmentDecision = "APPROVED"'], { assessmentDecision: 5 })).toBe(true);
  });
});
