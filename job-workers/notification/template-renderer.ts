/**
 * A small template language of our own (no template packages): `{{name}}` inserts a value, `{{#name}}…{{/name}}`
 * renders its body when the value is present (not null, undefined or ''), `{{^name}}…{{/name}}` when it is absent.
 * Values are escaped for the kind of file: HTML for `html`, a JSON string body plus Slack's `&<>` for `slack-json`,
 * nothing for `text`. In strict mode a name the context does not have (a typo in a template, or a builder that
 * forgot a key) throws `TemplateVariableError`; otherwise it renders empty and `onMissing` is told.
 */

export type TemplateEscape = 'text' | 'html' | 'slack-json';

export type TemplateValue = string | number | null | undefined;
export type TemplateContext = Readonly<Record<string, TemplateValue>>;

export interface TemplateRenderOptions {
  strict: boolean;
  /** Called for each missing name when not strict. */
  onMissing?: (name: string) => void;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

/** A template that cannot be parsed (an unclosed or mismatched section). */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** A template asked for a name the context does not have (strict mode). */
export class TemplateVariableError extends Error {
  constructor(
    readonly source: string,
    readonly variable: string,
  ) {
    super(`template ${source} uses {{${variable}}}, which the notification context does not have`);
    this.name = 'TemplateVariableError';
  }
}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export interface CompiledTemplate {
  readonly source: string;
  /** Every name the template refers to (values and sections). */
  readonly names: readonly string[];
  render(context: TemplateContext, options: TemplateRenderOptions): string;
}

/** Parses `text`; `source` names the file in error messages (e.g. `setup-approved/html.html`). */
export function compileTemplate(text: string, escape: TemplateEscape, source: string): CompiledTemplate {
  const root = parse(text, source);
  const names = new Set<string>();
  collectNames(root, names);
  return {
    source,
    names: [...names],
    render(context, options) {
      return renderNodes(root, context, options, escape, source);
    },
  };
}

function parse(text: string, source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    const [whole, sigil, name] = match as unknown as [string, string, string];
    const top = stack[stack.length - 1]!;
    if (match.index > last) top.children.push({ kind: 'text', text: text.slice(last, match.index) });
    last = match.index + whole.length;
    if (sigil === '') {
      top.children.push({ kind: 'var', name });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name) {
        throw new TemplateSyntaxError(`template ${source}: {{/${name}}} closes ${stack.length === 1 ? 'nothing' : `{{#${top.name}}}`} (line ${lineOf(text, match.index)})`);
      }
      stack.pop();
    } else {
      const section: Node = { kind: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(section);
      stack.push({ name, children: section.children });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`template ${source}: {{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < text.length) root.push({ kind: 'text', text: text.slice(last) });
  return root;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function collectNames(nodes: Node[], into: Set<string>): void {
  for (const node of nodes) {
    if (node.kind === 'var') into.add(node.name);
    if (node.kind === 'section') {
      into.add(node.name);
      collectNames(node.children, into);
    }
  }
}

function renderNodes(nodes: Node[], context: TemplateContext, options: TemplateRenderOptions, escape: TemplateEscape, source: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
      continue;
    }
    const value = lookup(context, node.name, options, source);
    if (node.kind === 'var') {
      out += escapeValue(value === null || value === undefined ? '' : String(value), escape);
    } else if (isPresent(value) !== node.inverted) {
      out += renderNodes(node.children, context, options, escape, source);
    }
  }
  return out;
}

function lookup(context: TemplateContext, name: string, options: TemplateRenderOptions, source: string): TemplateValue {
  if (Object.hasOwn(context, name)) return context[name];
  if (options.strict) throw new TemplateVariableError(source, name);
  options.onMissing?.(name);
  return undefined;
}

function isPresent(value: TemplateValue): boolean {
  return value !== null && value !== undefined && value !== '';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SLACK_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeValue(value: string, escape: TemplateEscape): string {
  if (escape === 'html') return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
  if (escape === 'slack-json') return JSON.stringify(value.replace(/[&<>]/g, (c) => SLACK_ESCAPES[c]!)).slice(1, -1);
  return value;
}
