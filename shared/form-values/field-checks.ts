/**
 * What each form-js field type may submit, one check per type. A check gets a present (non-null) value and says
 * what is wrong with it, in words for a reviewer, or nothing. Validation settings (`validate.min`, `pattern`, …)
 * follow form-js's own validator (form-js-viewer `Validator`): lengths count the trimmed text, bounds are inclusive.
 */
import { FORM_DATE_EXAMPLES, formDateToInstant, isFormTemporal, type DatetimeSubtype } from './form-dates.js';
import { settingValue } from './form-feel.js';
import type { FormField } from './form-fields.js';

export interface CheckContext {
  /** The form's data, for options and settings taken from variables or FEEL. */
  values: Record<string, unknown>;
  /** When given, fields with `disallowPassedDates` refuse dates before it. */
  now?: Date | undefined;
}

type Check = (field: FormField, value: unknown, context: CheckContext) => string | undefined;

// The patterns form-js uses for `validationType` (form-js-viewer Validator: PHONE_PATTERN, EMAIL_PATTERN), rewritten.
const PHONE = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function finiteSetting(field: FormField, name: string, context: CheckContext): number | undefined {
  const value = settingValue(field.component.validate?.[name], context.values);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The field's options (static `values`, a variable named by `valuesKey`, or `valuesExpression`), when knowable. */
export function optionsOf(field: FormField, context: CheckContext): unknown[] | undefined {
  const { component } = field;
  const source = component.valuesKey !== undefined ? context.values[component.valuesKey]
    : component.valuesExpression !== undefined ? settingValue(component.valuesExpression, context.values)
    : component.values;
  if (!Array.isArray(source)) return undefined;
  return source.map((option: unknown) => (option !== null && typeof option === 'object' && 'value' in option ? (option as { value: unknown }).value : option));
}

function notAnOption(value: unknown, options: unknown[] | undefined): boolean {
  return options !== undefined && !options.some((option) => option === value);
}

function listOfOptions(options: unknown[]): string {
  return options.map((option) => (typeof option === 'string' ? option : JSON.stringify(option))).join(', ');
}

function decimals(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

const text: Check = (field, value, context) => {
  if (typeof value !== 'string') return `must be text; got ${shown(value)}`;
  const trimmed = value.trim().length;
  const minLength = finiteSetting(field, 'minLength', context);
  const maxLength = finiteSetting(field, 'maxLength', context);
  if (value && minLength !== undefined && trimmed < minLength) return `must be at least ${minLength} characters long`;
  if (value && maxLength !== undefined && trimmed > maxLength) return `must be at most ${maxLength} characters long`;
  const pattern = settingValue(field.component.validate?.pattern, context.values);
  if (value && typeof pattern === 'string' && pattern && !new RegExp(pattern).test(value)) {
    const custom = field.component.validate?.patternErrorMessage;
    return typeof custom === 'string' && custom ? custom : `must match the pattern ${pattern}`;
  }
  const kind = field.component.validate?.validationType;
  if (value && kind === 'email' && !EMAIL.test(value)) return 'must be an email address';
  if (value && kind === 'phone' && !PHONE.test(value)) return 'must be an international phone number such as +4930664040900';
  return undefined;
};

const number: Check = (field, value, context) => {
  const asNumber = field.component.serializeToString === true && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof asNumber !== 'number' || !Number.isFinite(asNumber)) return `must be a number; got ${shown(value)}`;
  const min = finiteSetting(field, 'min', context);
  const max = finiteSetting(field, 'max', context);
  if (min !== undefined && asNumber < min) return `must be at least ${min}; got ${asNumber}`;
  if (max !== undefined && asNumber > max) return `must be at most ${max}; got ${asNumber}`;
  const { decimalDigits } = field.component;
  if (typeof decimalDigits === 'number' && decimalDigits >= 0 && decimals(asNumber) > decimalDigits) {
    return decimalDigits === 0 ? `must be a whole number; got ${asNumber}` : `must have at most ${decimalDigits} decimal digits; got ${asNumber}`;
  }
  const increment = Number(field.component.increment);
  if (field.component.increment !== undefined && Number.isFinite(increment) && increment > 0) {
    const scale = 10 ** Math.max(decimals(asNumber), decimals(increment));
    if (Math.round(asNumber * scale) % Math.round(increment * scale) !== 0) return `must be a multiple of ${increment}; got ${asNumber}`;
  }
  return undefined;
};

const checkbox: Check = (_field, value) => (typeof value === 'boolean' ? undefined : `must be true or false; got ${shown(value)}`);

const single: Check = (field, value, context) => {
  const options = optionsOf(field, context);
  if (notAnOption(value, options)) return `must be one of ${listOfOptions(options ?? [])}; got ${shown(value)}`;
  return undefined;
};

const multiple: Check = (field, value, context) => {
  if (!Array.isArray(value)) return `must be a list of choices; got ${shown(value)}`;
  const options = optionsOf(field, context);
  const unknown = value.filter((item) => notAnOption(item, options));
  if (unknown.length > 0) return `has choices that are not offered (${listOfOptions(unknown)}); choose from ${listOfOptions(options ?? [])}`;
  return undefined;
};

const SUBTYPE_WORDS: Record<DatetimeSubtype, string> = { date: 'a date', time: 'a time', datetime: 'a date and time' };

const datetime: Check = (field, value, context) => {
  const raw = field.component.subtype;
  const subtype: DatetimeSubtype = raw === 'time' || raw === 'datetime' ? raw : 'date';
  if (typeof value !== 'string' || !isFormTemporal(subtype, value)) {
    return `must be ${SUBTYPE_WORDS[subtype]} such as ${FORM_DATE_EXAMPLES[subtype]}; got ${shown(value)}`;
  }
  if (subtype !== 'time' && field.component.disallowPassedDates === true && context.now) {
    const instant = formDateToInstant(value, subtype);
    if (instant && instant < context.now) return `must not be in the past; got ${value}, it is now ${context.now.toISOString()}`;
  }
  return undefined;
};

const list: Check = (_field, value) => (Array.isArray(value) ? undefined : `must be a list; got ${shown(value)}`);

/** Checks per field type; a type not listed here (expression, filepicker, custom fields) takes any value. */
export const FIELD_CHECKS: Record<string, Check> = {
  textfield: text,
  textarea: text,
  number,
  checkbox,
  radio: single,
  select: single,
  checklist: multiple,
  taglist: multiple,
  datetime,
  dynamiclist: list,
};

/** Whether a value counts as not filled in (form-js: nil, empty text, unchecked checkbox, empty multi-choice). */
export function isUnset(field: FormField, value: unknown): boolean {
  return value === undefined || value === null || value === '' || (field.type === 'checkbox' && value === false) || (Array.isArray(value) && value.length === 0);
}
