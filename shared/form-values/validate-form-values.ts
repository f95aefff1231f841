/**
 * Checks values submitted for a Camunda form field by field, as the form renderer would have let them through:
 * each visible field's value has the shape its type produces (see field-checks.ts and form-dates.ts), required
 * visible fields are filled in, and (unless told to ignore them) nothing outside the form is set, so nobody can
 * overwrite `permitId` or an outcome through a task. A field hidden by its `conditional.hide` (or its container's),
 * evaluated against the values, is neither required nor checked: form-js neither validates nor submits it.
 */
import { FIELD_CHECKS, isUnset, type CheckContext } from './field-checks.js';
import { isHidden, settingValue } from './form-feel.js';
import { formFieldKeys, formFields, valueAt, type FormField } from './form-fields.js';

export interface FormFieldError {
  /** Where the value is, e.g. `variables.validUntil` or `variables.disclosureChecks[0].checks`. */
  path: string;
  /** What is wrong, naming the field by its label, for a reviewer to read. */
  message: string;
}

export interface ValidateFormValuesOptions {
  /**
   * `refuse` (default): a value whose name is no field of the form is an error (a caller completing a task).
   * `ignore`: such values are left alone (a listener that sees all process variables merged with the completion's).
   */
  unknownFields?: 'refuse' | 'ignore';
  /** Put before each error path; default `variables`. */
  pathPrefix?: string;
  /**
   * Values the task already has (process variables the form is prefilled with). They count for conditions and
   * required fields and are checked like submitted ones where `values` does not replace them, but are never
   * refused as unknown.
   */
  prefilled?: Record<string, unknown>;
  /** The current time, for fields with `disallowPassedDates`; without it passed dates are not refused. */
  now?: Date;
}

function describe(field: FormField): string {
  return `"${field.label}"`;
}

function checkFields(fields: FormField[], data: Record<string, unknown>, context: CheckContext, at: string, errors: FormFieldError[]): void {
  const feelContext = context.values;
  for (const field of fields) {
    if (isHidden(field.hideConditions, feelContext)) continue;
    const path = `${at}${at ? '.' : ''}${field.path.join('.')}`;
    const value = valueAt(data, field.path);
    const required = settingValue(field.component.validate?.required, feelContext) === true;
    // Not filled in (nil, empty text, unchecked, no choice): an error only when required, never a type error.
    if (isUnset(field, value)) {
      if (required) errors.push({ path, message: `${describe(field)} ${field.type === 'checkbox' ? 'must be checked' : 'is required'}` });
      continue;
    }
    const problem = FIELD_CHECKS[field.type]?.(field, value, context);
    if (problem) {
      errors.push({ path, message: `${describe(field)} ${problem}` });
      continue;
    }
    if (field.itemFields && Array.isArray(value)) {
      value.forEach((item: unknown, index) => {
        const itemPath = `${path}[${index}]`;
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          errors.push({ path: itemPath, message: `${describe(field)} entry ${index + 1} must be an object with the list's fields` });
          return;
        }
        const itemData = item as Record<string, unknown>;
        // form-js evaluates conditions inside a list item with the item's values in scope (and `this` as the item).
        checkFields(field.itemFields ?? [], itemData, { ...context, values: { ...feelContext, ...itemData, this: itemData } }, itemPath, errors);
      });
    }
  }
}

/** Every problem with `values` for the form `schema`; an empty list when they may be submitted. */
export function validateFormValues(schema: unknown, values: Record<string, unknown>, options: ValidateFormValuesOptions = {}): FormFieldError[] {
  const prefix = options.pathPrefix ?? 'variables';
  const errors: FormFieldError[] = [];
  if (options.unknownFields !== 'ignore') {
    const keys = formFieldKeys(schema);
    for (const name of Object.keys(values)) {
      if (!keys.includes(name)) {
        errors.push({ path: `${prefix}${prefix ? '.' : ''}${name}`, message: `the form has no field "${name}"; its fields are ${keys.join(', ') || 'none'}` });
      }
    }
  }
  const data = { ...options.prefilled, ...values };
  checkFields(formFields(schema), data, { values: data, now: options.now }, prefix, errors);
  return errors;
}
