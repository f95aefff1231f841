/**
 * The fields of a Camunda form (form-js schema): every component that submits a value, found through groups, with
 * what its checks need (type, label, options, validation, hide conditions of itself and its containers). A
 * dynamic list is one list-valued field whose items hold its child fields; a group with a `path` nests its fields'
 * values under that path, as form-js does.
 */

/** The part of a form-js component this module reads. */
export interface FormComponent {
  type?: string;
  id?: string;
  key?: string;
  path?: string;
  label?: string;
  dateLabel?: string;
  timeLabel?: string;
  subtype?: string;
  values?: unknown;
  valuesKey?: string;
  valuesExpression?: string;
  validate?: Record<string, unknown>;
  conditional?: { hide?: string };
  components?: FormComponent[];
  decimalDigits?: number;
  increment?: number | string;
  serializeToString?: boolean;
  disallowPassedDates?: boolean;
  isRepeating?: boolean;
}

export interface FormField {
  /** Value path below the form's data, e.g. `['validUntil']` or `['address', 'city']` for a keyed group. */
  path: string[];
  type: string;
  /** What a reviewer sees as the field's name (label, date label, time label, or the key). */
  label: string;
  component: FormComponent;
  /** Hide conditions of the field and of every container above it (within its list item, for list children). */
  hideConditions: string[];
  /** Fields of each item, for a dynamic list. */
  itemFields?: FormField[];
}

/** Component types that show things but submit no value. */
const DISPLAY_ONLY = new Set(['text', 'html', 'image', 'spacer', 'separator', 'iframe', 'table', 'button', 'documentPreview', 'default']);
const CONTAINERS = new Set(['group', 'dynamiclist']);

function labelOf(component: FormComponent, fallback: string): string {
  return component.label ?? component.dateLabel ?? component.timeLabel ?? fallback;
}

function splitPath(text: string): string[] {
  return text.split('.').filter((part) => part.length > 0);
}

function collect(components: unknown, base: string[], hidden: string[]): FormField[] {
  if (!Array.isArray(components)) return [];
  const fields: FormField[] = [];
  for (const component of components as FormComponent[]) {
    if (component === null || typeof component !== 'object') continue;
    const type = component.type ?? 'unknown';
    const hideConditions = component.conditional?.hide ? [...hidden, component.conditional.hide] : hidden;
    if (type === 'dynamiclist' && component.path) {
      const path = [...base, ...splitPath(component.path)];
      fields.push({ path, type, label: labelOf(component, path.join('.')), component, hideConditions, itemFields: collect(component.components, [], []) });
      continue;
    }
    if (CONTAINERS.has(type)) {
      fields.push(...collect(component.components, component.path ? [...base, ...splitPath(component.path)] : base, hideConditions));
      continue;
    }
    if (DISPLAY_ONLY.has(type) || !component.key) continue;
    const path = [...base, ...splitPath(component.key)];
    fields.push({ path, type, label: labelOf(component, path.join('.')), component, hideConditions });
  }
  return fields;
}

/** Every value-submitting field of a form schema, in form order. */
export function formFields(schema: unknown): FormField[] {
  return collect((schema as { components?: unknown } | null)?.components, [], []);
}

/** The variable names a form may set: the first segment of each field's path, each once, in form order. */
export function formFieldKeys(schema: unknown): string[] {
  return [...new Set(formFields(schema).map((field) => field.path[0]).filter((key): key is string => key !== undefined))];
}

/** The value at a field's path in `values` (undefined when any step is missing). */
export function valueAt(values: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = values;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
