/**
 * Checks the variables a caller sends to complete a user task against the task's Camunda form: only the form's
 * fields may be set (so nobody can overwrite `permitId` or an outcome through a task), each with the type its
 * field produces, choices from the field's options, and required fields present (fields the form may hide by a
 * condition are left to the process). The form deployed with the process is the one source of these names.
 */
export interface FormFieldError {
  path: string;
  message: string;
}

interface FormComponent {
  type?: string;
  key?: string;
  path?: string;
  values?: unknown;
  validate?: { required?: boolean };
  conditional?: { hide?: string };
  components?: FormComponent[];
}

interface Field {
  type: string;
  options?: string[];
  required: boolean;
}

/** Fields (by variable name) of a form schema, including those inside groups; dynamic lists count as one field. */
export function formFields(schema: unknown): Map<string, Field> {
  const fields = new Map<string, Field>();
  const walk = (components: unknown): void => {
    if (!Array.isArray(components)) return;
    for (const component of components as FormComponent[]) {
      const type = component.type ?? 'unknown';
      if (type === 'dynamiclist' && component.path) {
        fields.set(component.path, { type, required: false });
        continue;
      }
      if (component.key) {
        const options = Array.isArray(component.values)
          ? (component.values as { value?: unknown }[]).map((v) => String(v.value))
          : undefined;
        fields.set(component.key, { type, ...(options ? { options } : {}), required: component.validate?.required === true && !component.conditional?.hide });
      }
      walk(component.components);
    }
  };
  walk((schema as { components?: unknown } | null)?.components);
  return fields;
}

function typeProblem(field: Field, value: unknown): string | undefined {
  switch (field.type) {
    case 'checkbox':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'checklist':
    case 'taglist':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return 'must be a list of strings';
      if (field.options) {
        const unknown = value.filter((v) => !field.options?.includes(v));
        if (unknown.length > 0) return `has unknown options ${unknown.join(', ')}; choose from ${field.options.join(', ')}`;
      }
      return undefined;
    case 'radio':
    case 'select':
      if (typeof value !== 'string') return 'must be a string';
      return field.options && !field.options.includes(value) ? `must be one of ${field.options.join(', ')}` : undefined;
    case 'dynamiclist':
      return Array.isArray(value) ? undefined : 'must be a list';
    default:
      return typeof value === 'string' ? undefined : 'must be a string';
  }
}

export function validateFormVariables(schema: unknown, variables: Record<string, unknown>): FormFieldError[] {
  const fields = formFields(schema);
  const errors: FormFieldError[] = [];
  for (const [name, value] of Object.entries(variables)) {
    const field = fields.get(name);
    if (!field) {
      errors.push({ path: `body.variables.${name}`, message: `the task's form has no field "${name}"; it has ${[...fields.keys()].join(', ') || 'none'}` });
      continue;
    }
    if (value === null) continue;
    const problem = typeProblem(field, value);
    if (problem) errors.push({ path: `body.variables.${name}`, message: problem });
  }
  for (const [name, field] of fields) {
    const value = variables[name];
    const missing = value === undefined || value === null || value === '' || (field.type === 'checkbox' && value === false);
    if (field.required && missing) errors.push({ path: `body.variables.${name}`, message: field.type === 'checkbox' ? 'must be checked' : 'is required' });
  }
  return errors;
}
