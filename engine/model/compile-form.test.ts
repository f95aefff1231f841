import { describe, expect, it } from 'vitest';
import { compileForm } from './index.js';

describe('compileForm', () => {
  it('compiles a Camunda form by its id and keeps the raw text', () => {
    const text = JSON.stringify({ id: 'approve-form', type: 'default', components: [] });
    expect(compileForm('approve.form', text)).toEqual({ form: { formId: 'approve-form', schema: text }, errors: [] });
  });

  it('refuses text that is not JSON', () => {
    const { form, errors } = compileForm('bad.form', '{nope');
    expect(form).toBeUndefined();
    expect(errors).toEqual([{ resourceName: 'bad.form', elementId: '', reason: expect.stringContaining('not valid JSON') }]);
  });

  it('refuses JSON without a string id', () => {
    expect(compileForm('a.form', '{"components": []}').errors[0]?.reason).toBe('the form needs a string "id"');
    expect(compileForm('b.form', '{"id": 5}').errors).toHaveLength(1);
    expect(compileForm('c.form', '[]').errors[0]?.reason).toBe('the form must be a JSON object');
  });
});
