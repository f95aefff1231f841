import { describe, expect, it } from 'vitest';
import { formFields, validateFormVariables } from './form-variables.js';

const schema = {
  components: [
    { type: 'text', text: '# Intro' },
    { type: 'select', key: 'choice', values: [{ value: 'A' }, { value: 'B' }], validate: { required: true } },
    { type: 'number', key: 'count' },
    { type: 'group', components: [{ type: 'textfield', key: 'note', validate: { required: true }, conditional: { hide: '=choice = "A"' } }] },
    { type: 'checkbox', key: 'confirmed', validate: { required: true } },
  ],
};

describe('form variables', () => {
  it('collects keyed fields, also inside groups, and leaves conditionally hidden fields optional', () => {
    expect([...formFields(schema).entries()].map(([key, f]) => `${key}:${f.type}:${f.required}`)).toEqual([
      'choice:select:true',
      'count:number:false',
      'note:textfield:false',
      'confirmed:checkbox:true',
    ]);
  });

  it('accepts fitting values and names every misfit', () => {
    expect(validateFormVariables(schema, { choice: 'A', count: 3, confirmed: true })).toEqual([]);
    expect(validateFormVariables(schema, { choice: 'C', count: '3', note: 5, extra: 1 }).map((e) => `${e.path} ${e.message}`)).toEqual([
      'body.variables.choice must be one of A, B',
      'body.variables.count must be a number',
      'body.variables.note must be a string',
      'body.variables.extra the task\'s form has no field "extra"; it has choice, count, note, confirmed',
      'body.variables.confirmed must be checked',
    ]);
  });

  it('treats a schema without components as having no fields', () => {
    expect(validateFormVariables(null, { a: 1 })[0]?.message).toMatch(/has none/);
  });
});
