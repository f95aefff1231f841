import type { CompiledForm, UnsupportedElement } from './types.js';

/** Compiles a Camunda Forms (`.form`) resource: JSON with a string `id`. */
export function compileForm(resourceName: string, text: string): { form?: CompiledForm; errors: UnsupportedElement[] } {
  const refuse = (reason: string) => ({ errors: [{ resourceName, elementId: '', reason }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return refuse(`the form is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse('the form must be a JSON object');
  const id = (parsed as { id?: unknown }).id;
  if (typeof id !== 'string' || id.trim() === '') return refuse('the form needs a string "id"');
  return { form: { formId: id, schema: text }, errors: [] };
}
