/**
 * Checklists a reviewer must tick in full before approving, read from the task's own form so a form gains the rule
 * by declaring it (no code change):
 *
 * - a `checklist` or `checkbox` component with the custom property `requiredForApproval: "true"` (form-js keeps
 *   custom `properties`; in Modeler: "Custom properties") must have every option ticked (a checkbox: ticked);
 * - the completion is an approval when a decision field (`radio` or `select`) holds its approving value: the
 *   field's custom property `approvalValue`, or `APPROVED` when it offers that value. A form without such a field
 *   is approved by every completion (a sign-off), so its checklist is always required.
 *
 * The form hides such a checklist unless approving and requires it (`conditional.hide`, `validate.required`), but a
 * form only asks for one tick and other doors (`/v2`, the REST API) do not run the form; the decision listener
 * applies this check at every door.
 */

interface Component {
  type?: unknown;
  key?: unknown;
  label?: unknown;
  values?: unknown;
  properties?: unknown;
  components?: unknown;
}

export const REQUIRED_FOR_APPROVAL = 'requiredForApproval';
export const APPROVAL_VALUE = 'approvalValue';
const DEFAULT_APPROVAL_VALUE = 'APPROVED';

function components(schema: unknown): Component[] {
  const found: Component[] = [];
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      found.push(item as Component);
      visit((item as Component).components);
    }
  };
  visit((schema as { components?: unknown } | null)?.components);
  return found;
}

function property(component: Component, name: string): string | undefined {
  const properties = component.properties;
  if (!properties || typeof properties !== 'object') return undefined;
  const value = (properties as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : String(value);
}

function optionValues(component: Component): unknown[] {
  return Array.isArray(component.values) ? component.values.map((option) => (option as { value?: unknown } | null)?.value) : [];
}

function optionLabel(component: Component, value: unknown): string {
  const option = Array.isArray(component.values) ? component.values.find((o) => (o as { value?: unknown } | null)?.value === value) : undefined;
  const label = (option as { label?: unknown } | undefined)?.label;
  return typeof label === 'string' && label ? label : String(value);
}

/** Whether the submitted values approve, by the form's decision fields (see the module comment). */
export function isApproval(schema: unknown, values: Record<string, unknown>): boolean {
  const decisions = components(schema).flatMap((component) => {
    if ((component.type !== 'radio' && component.type !== 'select') || typeof component.key !== 'string') return [];
    const approving = property(component, APPROVAL_VALUE) ?? (optionValues(component).includes(DEFAULT_APPROVAL_VALUE) ? DEFAULT_APPROVAL_VALUE : undefined);
    return approving === undefined ? [] : [{ key: component.key, approving }];
  });
  if (decisions.length === 0) return true;
  return decisions.some(({ key, approving }) => values[key] === approving);
}

/**
 * What is left unticked on the form's approval checklists, one sentence per checklist; empty when the completion
 * is no approval or everything is ticked.
 */
export function unconfirmedApprovalChecklists(schema: unknown, values: Record<string, unknown>): string[] {
  const required = components(schema).filter((c) => property(c, REQUIRED_FOR_APPROVAL) === 'true' && typeof c.key === 'string');
  if (required.length === 0 || !isApproval(schema, values)) return [];
  const problems: string[] = [];
  for (const component of required) {
    const key = component.key as string;
    const name = typeof component.label === 'string' && component.label ? `"${component.label}"` : key;
    const value = values[key];
    if (component.type === 'checkbox') {
      if (value !== true) problems.push(`${name} must be ticked to approve`);
      continue;
    }
    const ticked = Array.isArray(value) ? value : [];
    const missing = optionValues(component).filter((option) => !ticked.includes(option));
    if (missing.length > 0) {
      problems.push(`${name} must be confirmed in full to approve; not ticked: ${missing.map((option) => `"${optionLabel(component, option)}"`).join(', ')}`);
    }
  }
  return problems;
}
