import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isApproval, unconfirmedApprovalChecklists } from './approval-checklists.js';

const realForm = (id: string) => JSON.parse(readFileSync(new URL(`../../forms/${id}.form`, import.meta.url), 'utf8')) as unknown;

const schema = {
  components: [
    { type: 'radio', key: 'decision', values: [{ value: 'APPROVED' }, { value: 'REJECTED' }] },
    {
      type: 'group',
      components: [
        { type: 'checklist', key: 'checks', label: 'What you checked', values: [{ value: 'A', label: 'Alpha' }, { value: 'B', label: 'Beta' }], properties: { requiredForApproval: 'true' } },
        { type: 'checkbox', key: 'sure', label: 'I am sure', properties: { requiredForApproval: 'true' } },
        { type: 'checklist', key: 'optional', values: [{ value: 'X' }] },
      ],
    },
  ],
};

describe('approval checklists', () => {
  it('pass an approval with every item ticked, and ignore checklists without the property', () => {
    expect(unconfirmedApprovalChecklists(schema, { decision: 'APPROVED', checks: ['B', 'A'], sure: true })).toEqual([]);
  });

  it('name each unticked item of an approval, by label', () => {
    expect(unconfirmedApprovalChecklists(schema, { decision: 'APPROVED', checks: ['A'] })).toEqual([
      '"What you checked" must be confirmed in full to approve; not ticked: "Beta"',
      '"I am sure" must be ticked to approve',
    ]);
    expect(unconfirmedApprovalChecklists(schema, { decision: 'APPROVED' })[0]).toMatch(/not ticked: "Alpha", "Beta"/);
  });

  it('ask nothing of a decision that is no approval', () => {
    expect(unconfirmedApprovalChecklists(schema, { decision: 'REJECTED' })).toEqual([]);
  });

  it('read the approving value from the decision field, APPROVED by default; a form without decision field always approves', () => {
    const signoff = { components: [{ type: 'radio', key: 'outcome', values: [{ value: 'DONE' }, { value: 'FAILED' }], properties: { approvalValue: 'DONE' } }] };
    expect(isApproval(signoff, { outcome: 'DONE' })).toBe(true);
    expect(isApproval(signoff, { outcome: 'FAILED' })).toBe(false);
    expect(isApproval({ components: [{ type: 'checkbox', key: 'ok' }] }, {})).toBe(true);
    expect(isApproval({ components: [{ type: 'select', key: 'd', values: [{ value: 'APPROVED' }] }] }, { d: 'APPROVED' })).toBe(true);
  });

  it.each([
    ['application-assessment', { assessmentDecision: 'APPROVED', assessmentChecklist: ['LEGAL_BASIS_VERIFIED'] }, /not ticked: "Data minimisation/],
    ['setup-review', { setupDecision: 'APPROVED', setupChecklist: [] }, /not ticked: "Software installed only from approved sources"/],
    ['data-preparation-signoff', { preparationOutcome: 'PREPARED', preparationChecklist: ['PSEUDONYMISED'] }, /not ticked: "Minimised to the permit's scope"/],
  ])('the %s form marks its checklist as required for approval', (id, values, reason) => {
    expect(unconfirmedApprovalChecklists(realForm(id), values).join(' ')).toMatch(reason);
  });

  it('the data preparation sign-off asks no checklist when the data cannot be prepared', () => {
    expect(unconfirmedApprovalChecklists(realForm('data-preparation-signoff'), { preparationOutcome: 'CANNOT_BE_PREPARED' })).toEqual([]);
  });
});
