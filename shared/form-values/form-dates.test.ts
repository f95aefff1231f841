import { describe, expect, it } from 'vitest';
import { formDateToUtcIso, isFormTemporal } from './form-dates.js';

describe('form dates', () => {
  it.each([
    // What form-js serialises for a datetime field, per timeSerializingFormat.
    ['2027-06-30T23:59Z', '2027-06-30T23:59:00.000Z'],
    ['2027-06-30T23:59+01:00', '2027-06-30T22:59:00.000Z'],
    ['2027-06-30T23:59-05:30', '2027-07-01T05:29:00.000Z'],
    ['2027-06-30T23:59+00:00', '2027-06-30T23:59:00.000Z'],
    ['2027-06-30T23:59', '2027-06-30T23:59:00.000Z'],
    // A date field: the end of that day, UTC.
    ['2027-06-30', '2027-06-30T23:59:59.999Z'],
    // Full ISO 8601 from other clients.
    ['2027-06-30T23:59:59Z', '2027-06-30T23:59:59.000Z'],
    ['2027-06-30T23:59:59.999Z', '2027-06-30T23:59:59.999Z'],
    ['2027-06-30T23:59:59.5+02:00', '2027-06-30T21:59:59.500Z'],
    ['0099-01-01T00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (value, instant) => {
    expect(formDateToUtcIso(value)).toBe(instant);
  });

  it.each(['not-a-date', '', '2027-02-29', '2027-13-01', '2027-06-31T10:00Z', '2027-06-30T24:00Z', '2027-06-30T23:60Z', '2027-06-30T23:59+15:00', '2027-06-30 23:59Z', '2027-06-30T23Z', '27-06-30', '2027-06-30T23:59z'])(
    'refuses %j',
    (value) => {
      expect(formDateToUtcIso(value)).toBeUndefined();
    },
  );

  it('keeps dates and date-times apart when the subtype says which', () => {
    expect(formDateToUtcIso('2027-06-30', 'datetime')).toBeUndefined();
    expect(formDateToUtcIso('2027-06-30T23:59Z', 'date')).toBeUndefined();
    expect(isFormTemporal('date', '2028-02-29')).toBe(true);
    expect(isFormTemporal('datetime', '2027-06-30T23:59Z')).toBe(true);
  });

  it.each(['23:59', '22:59Z', '23:59+01:00', '23:59-03:30', '23:59:30', '00:00+00:00'])('takes the time %s', (value) => {
    expect(isFormTemporal('time', value)).toBe(true);
  });

  it.each(['24:00', '23:5', '11:59 PM', '2027-06-30T23:59Z', '23:59+1'])('refuses the time %s', (value) => {
    expect(isFormTemporal('time', value)).toBe(false);
  });
});
