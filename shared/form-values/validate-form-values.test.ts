import { describe, expect, it } from 'vitest';
import { formFieldKeys } from './form-fields.js';
import { validateFormValues } from './validate-form-values.js';

const schema = {
  components: [
    { type: 'text', text: '# Intro' },
    { type: 'select', key: 'choice', label: 'Choice', values: [{ label: 'A', value: 'A' }, { label: 'B', value: 'B' }], validate: { required: true } },
    { type: 'number', key: 'count', label: 'Count', decimalDigits: 0, validate: { min: 1, max: 10 } },
    { type: 'group', components: [{ type: 'textfield', key: 'note', label: 'Note', validate: { required: true, minLength: 3, maxLength: 8, pattern: '^[a-z ]+$' }, conditional: { hide: '=choice = "A"' } }] },
    { type: 'checkbox', key: 'confirmed', label: 'Confirmed', validate: { required: true } },
    { type: 'datetime', subtype: 'datetime', key: 'until', dateLabel: 'Valid until', disallowPassedDates: true, validate: { required: true }, conditional: { hide: '=choice != "A"' } },
    { type: 'datetime', subtype: 'time', key: 'at', timeLabel: 'At' },
    { type: 'checklist', key: 'checks', label: 'Checks', values: [{ label: 'X', value: 'X' }, { label: 'Y', value: 'Y' }] },
    { type: 'group', path: 'address', components: [{ type: 'textfield', key: 'city', label: 'City' }] },
    {
      type: 'dynamiclist',
      path: 'files',
      label: 'Files',
      components: [
        { type: 'textfield', key: 'path', label: 'File' },
        { type: 'radio', key: 'verdict', label: 'Verdict', values: [{ label: 'ok', value: 'OK' }, { label: 'bad', value: 'BAD' }], validate: { required: true } },
      ],
    },
  ],
};

const good = { choice: 'A', until: '2027-06-30T23:59Z', confirmed: true };
const messages = (values: Record<string, unknown>, options = {}) => validateFormValues(schema, values, options).map((e) => `${e.path}: ${e.message}`);

describe('validateFormValues', () => {
  it('lists the variables a form sets, groups with a path as one', () => {
    expect(formFieldKeys(schema)).toEqual(['choice', 'count', 'note', 'confirmed', 'until', 'at', 'checks', 'address', 'files']);
  });

  it('accepts values that fit their fields', () => {
    expect(messages({ ...good, count: 3, at: '22:59Z', checks: ['X'], address: { city: 'Gent' }, files: [{ path: 'a.csv', verdict: 'OK' }] })).toEqual([]);
  });

  it('names each misfit by its label and says what is allowed', () => {
    expect(messages({ choice: 'C', count: 2.5, confirmed: 'yes', at: '11 PM', checks: ['X', 'Z'], extra: 1 })).toEqual([
      'variables.extra: the form has no field "extra"; its fields are choice, count, note, confirmed, until, at, checks, address, files',
      'variables.choice: "Choice" must be one of A, B; got "C"',
      'variables.count: "Count" must be a whole number; got 2.5',
      'variables.note: "Note" is required',
      'variables.confirmed: "Confirmed" must be true or false; got "yes"',
      'variables.at: "At" must be a time such as 23:59, 22:59Z or 23:59+01:00; got "11 PM"',
      'variables.checks: "Checks" has choices that are not offered (Z); choose from X, Y',
    ]);
  });

  it('applies number bounds and text length and pattern', () => {
    expect(messages({ choice: 'B', confirmed: true, count: 11, note: 'ab' })).toEqual(['variables.count: "Count" must be at most 10; got 11', 'variables.note: "Note" must be at least 3 characters long']);
    expect(messages({ choice: 'B', confirmed: true, count: 0, note: 'ABC' })).toEqual(['variables.count: "Count" must be at least 1; got 0', 'variables.note: "Note" must match the pattern ^[a-z ]+$']);
  });

  it('checks a required date only where the form shows it, and refuses a non-date', () => {
    expect(messages({ choice: 'A', confirmed: true })).toEqual(['variables.until: "Valid until" is required']);
    expect(messages({ choice: 'A', confirmed: true, until: 'not-a-date' })).toEqual([
      'variables.until: "Valid until" must be a date and time such as 2027-06-30T23:59Z, 2027-06-30T23:59+01:00 or 2027-06-30T23:59; got "not-a-date"',
    ]);
    expect(messages({ choice: 'B', confirmed: true, note: 'why' })).toEqual([]);
  });

  it('refuses a passed date where the form disallows them, when told the time', () => {
    const now = new Date('2027-07-01T00:00:00Z');
    expect(messages(good, { now })[0]).toMatch(/"Valid until" must not be in the past/);
    expect(messages({ ...good, until: '2027-07-01T00:00Z' }, { now })).toEqual([]);
  });

  it('wants a required checkbox checked', () => {
    expect(messages({ ...good, confirmed: false })).toEqual(['variables.confirmed: "Confirmed" must be checked']);
  });

  it('checks every entry of a dynamic list against the list item fields', () => {
    expect(messages({ ...good, files: [{ path: 'a.csv' }, { path: 'b.csv', verdict: 'MAYBE' }, 'c.csv'] })).toEqual([
      'variables.files[0].verdict: "Verdict" is required',
      'variables.files[1].verdict: "Verdict" must be one of OK, BAD; got "MAYBE"',
      'variables.files[2]: "Files" entry 3 must be an object with the list\'s fields',
    ]);
    expect(messages({ ...good, files: 'all fine' })).toEqual(['variables.files: "Files" must be a list; got "all fine"']);
  });

  it('ignores variables outside the form when asked, checking the fields it finds', () => {
    expect(validateFormValues(schema, { ...good, permitId: 'P-1', until: '2027-06-30' }, { unknownFields: 'ignore', pathPrefix: '' }).map((e) => e.path)).toEqual(['until']);
    expect(validateFormValues(schema, { ...good, permitId: 'P-1' }, { unknownFields: 'ignore' })).toEqual([]);
  });

  it('counts prefilled values for conditions and required fields, and checks them too', () => {
    expect(messages({ choice: 'A', confirmed: true }, { prefilled: { until: '2027-06-30T23:59Z', permitId: 'P-1' } })).toEqual([]);
    expect(messages({ choice: 'A', confirmed: true }, { prefilled: { until: 'soon' } })[0]).toMatch(/^variables.until: "Valid until" must be a date and time/);
    expect(messages({ confirmed: true, note: 'abc' }, { prefilled: { choice: 'B' } })).toEqual([]);
  });

  it('keeps a field checked when its hide condition cannot be evaluated', () => {
    const broken = { components: [{ type: 'textfield', key: 'x', label: 'X', validate: { required: true }, conditional: { hide: '=y = ' } }] };
    expect(validateFormValues(broken, {}).map((e) => e.message)).toEqual(['"X" is required']);
  });

  it('takes options from a variable or a FEEL expression when the form says so', () => {
    const dynamic = {
      components: [
        { type: 'select', key: 'pick', label: 'Pick', valuesKey: 'choices' },
        { type: 'radio', key: 'size', label: 'Size', valuesExpression: '=[{label: "S", value: "S"}, {label: "L", value: "L"}]' },
      ],
    };
    expect(validateFormValues(dynamic, { pick: 'b', size: 'L' }, { prefilled: { choices: [{ label: 'a', value: 'a' }, { label: 'b', value: 'b' }] } })).toEqual([]);
    expect(validateFormValues(dynamic, { pick: 'c', size: 'M' }, { prefilled: { choices: [{ label: 'a', value: 'a' }] } }).map((e) => e.message)).toEqual([
      '"Pick" must be one of a; got "c"',
      '"Size" must be one of S, L; got "M"',
    ]);
  });

  it('treats a schema without components as having no fields', () => {
    expect(validateFormValues(null, { a: 1 })[0]?.message).toMatch(/its fields are none/);
  });
});
