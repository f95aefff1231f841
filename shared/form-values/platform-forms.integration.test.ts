/** The field checks against the real forms in forms/ (reads files, hence an integration test). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORM_IDS } from '../forms.js';
import { formDateToUtcIso, formFieldKeys, validateFormValues } from './index.js';

const form = (id: string): unknown => JSON.parse(readFileSync(new URL(`../../forms/${id}.form`, import.meta.url), 'utf8'));
const messages = (id: string, values: Record<string, unknown>, options = {}) => validateFormValues(form(id), values, options).map((e) => `${e.path}: ${e.message}`);

describe('the platform forms', () => {
  it('accept an approval with the end date in every shape the assessment form renderer produces', () => {
    for (const validUntil of ['2027-06-30T23:59Z', '2027-06-30T23:59+01:00', '2027-06-30T23:59', '2027-06-30T23:59:59Z']) {
      expect(messages(FORM_IDS.applicationAssessment, { assessmentDecision: 'APPROVED', validUntil, assessmentChecklist: ['LEGAL_BASIS_VERIFIED'] })).toEqual([]);
    }
    expect(formDateToUtcIso('2027-06-30T23:59+01:00')).toBe('2027-06-30T22:59:00.000Z');
  });

  it('refuse an approval without an end date or with one that is no date, and ignore the date otherwise', () => {
    expect(messages(FORM_IDS.applicationAssessment, { assessmentDecision: 'APPROVED', assessmentChecklist: ['LEGAL_BASIS_VERIFIED'] })).toEqual(['variables.validUntil: "Permit valid until" is required']);
    expect(messages(FORM_IDS.applicationAssessment, { assessmentDecision: 'APPROVED', assessmentChecklist: ['LEGAL_BASIS_VERIFIED'], validUntil: 'not-a-date' })[0]).toMatch(
      /^variables.validUntil: "Permit valid until" must be a date and time such as 2027-06-30T23:59Z/,
    );
    expect(messages(FORM_IDS.applicationAssessment, { assessmentDecision: 'REJECTED', assessmentComment: 'Out of scope' })).toEqual([]);
    expect(messages(FORM_IDS.applicationAssessment, { assessmentDecision: 'REJECTED' })).toEqual(['variables.assessmentComment: "Comment for the applicant" is required']);
  });

  it('let a listener check the fields among all process variables', () => {
    const variables = { permitId: 'P-1', assessmentDecision: 'APPROVED', assessmentChecklist: ['LEGAL_BASIS_VERIFIED'], validUntil: '2027-06-30T23:59Z', submittedBy: 'alice' };
    expect(validateFormValues(form(FORM_IDS.applicationAssessment), variables, { unknownFields: 'ignore' })).toEqual([]);
    expect(validateFormValues(form(FORM_IDS.applicationAssessment), { ...variables, validUntil: 'not-a-date' }, { unknownFields: 'ignore' }).map((e) => e.path)).toEqual(['variables.validUntil']);
  });

  it('name unknown fields, wrong options and missing required fields', () => {
    const errors = validateFormValues(form(FORM_IDS.ingressException), { ingressExceptionDecision: 'IGNORE', permitId: 'other' });
    expect(errors.map((e) => e.path).sort()).toEqual(['variables.ingressExceptionComment', 'variables.ingressExceptionDecision', 'variables.permitId']);
  });

  it('want a required checkbox checked and checklist values from its options', () => {
    expect(messages(FORM_IDS.dataPreparationSignoff, { preparationOutcome: 'PREPARED', preparationChecklist: ['PSEUDONYMISED'], preparationConfirmed: false })).toEqual([
      'variables.preparationConfirmed: "I confirm the prepared data matches the permit and is ready for the research team" must be checked',
    ]);
    expect(messages(FORM_IDS.dataPreparationSignoff, { preparationOutcome: 'PREPARED', preparationConfirmed: true, preparationChecklist: ['PSEUDONYMISED', 'MAGIC'] })[0]).toMatch(/not offered \(MAGIC\)/);
    expect(messages(FORM_IDS.dataPreparationSignoff, { preparationOutcome: 'PREPARED', preparationConfirmed: true, preparationChecklist: ['PSEUDONYMISED'], preparationNotes: 'ok' })).toEqual([]);
    // Data that cannot be prepared needs the reason, and no checklist or confirmation (they are hidden).
    expect(messages(FORM_IDS.dataPreparationSignoff, { preparationOutcome: 'CANNOT_BE_PREPARED' })).toEqual(['variables.preparationProblem: "Why the data cannot be prepared" is required']);
    expect(messages(FORM_IDS.dataPreparationSignoff, { preparationOutcome: 'CANNOT_BE_PREPARED', preparationProblem: 'Wrong cohort delivered' })).toEqual([]);
  });

  it("check an output review's own disclosure checks; the research team's declarations are not a field of the form", () => {
    expect(formFieldKeys(form(FORM_IDS.egressReview))).toEqual(['egressDecision', 'egressReviewChecks', 'egressComment']);
    expect(messages(FORM_IDS.egressReview, { egressDecision: 'APPROVED', egressReviewChecks: ['MIN_CELL_COUNT_10'] })).toEqual([]);
    expect(messages(FORM_IDS.egressReview, { egressDecision: 'APPROVED', egressReviewChecks: ['LOOKS_FINE'] })[0]).toMatch(/^variables.egressReviewChecks:.*not offered \(LOOKS_FINE\)/);
    expect(messages(FORM_IDS.egressReview, { egressDecision: 'APPROVED', egressReviewChecks: 'all fine' })[0]).toMatch(/must be a list/);
    expect(messages(FORM_IDS.egressReview, { egressDecision: 'APPROVED' })[0], 'the checks are required when approving').toMatch(/^variables.egressReviewChecks:.*required/);
    // What the team declared is no field: a completion that sets it is refused, and among all process variables
    // (the decision listener's view) it is left alone.
    const rework = { egressDecision: 'REWORK_REQUESTED', egressComment: 'Merge the age bands', disclosureChecks: [{ path: 'a.csv', checks: ['MY_OWN_CHECK'] }] };
    expect(messages(FORM_IDS.egressReview, rework)[0]).toMatch(/^variables.disclosureChecks: the form has no field "disclosureChecks"/);
    expect(messages(FORM_IDS.egressReview, rework, { unknownFields: 'ignore' })).toEqual([]);
  });

  it('require a comment on every decision but approval', () => {
    expect(messages(FORM_IDS.setupReview, { setupDecision: 'APPROVED', setupChecklist: ['NETWORK_CONFIGURATION_VERIFIED'] })).toEqual([]);
    expect(messages(FORM_IDS.setupReview, { setupDecision: 'REWORK_REQUESTED', setupComment: 'Remove the sync client' })).toEqual([]);
    expect(messages(FORM_IDS.amendmentAssessment, { amendmentDecision: 'REJECTED' })).toEqual(['variables.amendmentComment: "Comment for the research team" is required']);
  });
});
