import { describe, expect, it } from 'vitest';
import { sampleDataFor, showEveryField, type FormSchema } from './form-sample-data.js';

const schema: FormSchema = {
  components: [
    { type: 'text', id: 'Intro', text: '# {{permitTitle}}' },
    { type: 'checklist', key: 'checks', values: [{ value: 'A' }, { value: 'B' }] },
    { type: 'radio', key: 'decision', values: [{ value: 'APPROVED' }, { value: 'REJECTED' }] },
    { type: 'group', components: [{ type: 'textarea', key: 'comment', conditional: { hide: '=decision = "APPROVED"' } }] },
    { type: 'textfield', key: 'permitId', label: 'Permit' },
  ],
};

describe('form sample data', () => {
  it('fills every keyed input from its type and keeps the sample process variables', () => {
    const data = sampleDataFor(schema);
    expect(data.checks).toEqual(['A', 'B']);
    expect(data.decision).toBe('APPROVED');
    expect(typeof data.comment).toBe('string');
    expect(data.permitTitle).toMatch(/\w/);
    // A field named like a process variable shows the sample permit, not a made-up text.
    expect(data.permitId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows every field: conditions are dropped from a copy, nested ones too, the original is untouched', () => {
    const shown = showEveryField(schema);
    expect(JSON.stringify(shown)).not.toContain('conditional');
    expect(JSON.stringify(schema)).toContain('conditional');
  });
});
