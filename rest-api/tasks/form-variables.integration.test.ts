/** The task-variable checks against the real forms in forms/ (reads files, hence an integration test). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORM_IDS } from '../../shared/index.js';
import { formFields, validateFormVariables } from './form-variables.js';

const form = (id: string): unknown => JSON.parse(readFileSync(new URL(`../../forms/${id}.form`, import.meta.url), 'utf8'));

describe('form variables', () => {
  it('accepts a complete, well-typed ingress exception decision', () => {
    expect(validateFormVariables(form(FORM_IDS.ingressException), { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'Checksum mismatch' })).toEqual([]);
  });

  it('names unknown fields, wrong options and missing required fields', () => {
    const errors = validateFormVariables(form(FORM_IDS.ingressException), { ingressExceptionDecision: 'IGNORE', permitId: 'other' });
    expect(errors.map((e) => e.path).sort()).toEqual(['body.variables.ingressExceptionComment', 'body.variables.ingressExceptionDecision', 'body.variables.permitId']);
  });

  it('wants a required checkbox checked and checklist values from its options', () => {
    const schema = form(FORM_IDS.dataPreparationSignoff);
    expect(validateFormVariables(schema, { preparationConfirmed: false }).map((e) => e.message)).toEqual(['must be checked']);
    expect(validateFormVariables(schema, { preparationConfirmed: true, preparationChecklist: ['PSEUDONYMISED', 'MAGIC'] })[0]?.message).toMatch(/unknown options MAGIC/);
    expect(validateFormVariables(schema, { preparationConfirmed: true, preparationChecklist: ['PSEUDONYMISED'], preparationNotes: 'ok' })).toEqual([]);
  });

  it('leaves fields the form hides by a condition to the process (comment on approval)', () => {
    expect(validateFormVariables(form(FORM_IDS.setupReview), { setupDecision: 'APPROVED' })).toEqual([]);
  });

  it('treats a dynamic list as one list-valued field', () => {
    const fields = formFields(form(FORM_IDS.egressReview));
    expect(fields.get('disclosureChecks')?.type).toBe('dynamiclist');
    expect(validateFormVariables(form(FORM_IDS.egressReview), { egressDecision: 'APPROVED', disclosureChecks: 'all fine' })[0]?.message).toBe('must be a list');
  });
});
