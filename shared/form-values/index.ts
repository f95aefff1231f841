/** What a Camunda form (form-js) may submit, field by field, and the instants its dates mean. */
export { validateFormValues, type FormFieldError, type ValidateFormValuesOptions } from './validate-form-values.js';
export { formFieldKeys, formFields, type FormField } from './form-fields.js';
export { FORM_DATE_EXAMPLES, formDateToInstant, formDateToUtcIso, isFormTemporal, type DatetimeSubtype } from './form-dates.js';
