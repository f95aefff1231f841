/**
 * Renders the OpenAPI document as one self-contained HTML reference page (`/api/docs`): operations grouped by
 * tag with their parameters, request bodies and responses, the component schemas, and the problem types that
 * problem+json `type` URIs point at (`#problem-<slug>`). Plain HTML and CSS, no scripts, nothing from a CDN.
 */
import { PROBLEM_TYPES } from './problem.js';
import type { OpenApiDocument } from './openapi-document.js';

type Json = Record<string, unknown>;

const MAX_DEPTH = 4;

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Backticks in descriptions become <code>. */
function prose(text: unknown): string {
  return escapeHtml(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');
}

const asObject = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

export function renderDocsPage(document: OpenApiDocument): string {
  const info = asObject(document.info);
  const operations = listOperations(document);
  const tags = [...new Set(operations.flatMap((op) => op.tags))];
  const schemas = asObject(asObject(document.components).schemas);

  const nav = tags
    .map((tag) => `<li><a href="#tag-${slug(tag)}">${escapeHtml(tag)}</a><ul>${operations
      .filter((op) => op.tags.includes(tag))
      .map((op) => `<li><a href="#op-${escapeHtml(op.id)}"><span class="m m-${op.method}">${op.method.toUpperCase()}</span> ${escapeHtml(op.path)}</a></li>`)
      .join('')}</ul></li>`)
    .join('');

  const sections = tags
    .map((tag) => `<section id="tag-${slug(tag)}"><h2>${escapeHtml(tag)}</h2>${operations
      .filter((op) => op.tags.includes(tag))
      .map((op) => renderOperation(op, schemas))
      .join('')}</section>`)
    .join('');

  const schemaSection = Object.entries(schemas)
    .map(([name, schema]) => `<div class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(asObject(schema), 0)}</div>`)
    .join('');

  const problems = Object.entries(PROBLEM_TYPES)
    .map(([key, t]) => `<tr id="problem-${key}"><td><code>${key}</code></td><td>${t.status}</td><td>${escapeHtml(t.title)}</td><td>${prose(t.help)}</td></tr>`)
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} — API reference</title><style>${STYLE}</style></head>
<body><nav><h1>${escapeHtml(info.title)}</h1><p class="version">version ${escapeHtml(info.version)} · OpenAPI ${escapeHtml(document.openapi)} · <a href="/api/openapi.json">openapi.json</a></p>
<ul>${nav}<li><a href="#schemas">Schemas</a></li><li><a href="#problems">Problem types</a></li></ul></nav>
<main><header><h1>${escapeHtml(info.title)}</h1>${info.description ? `<p>${prose(info.description)}</p>` : ''}
<p>Operations marked <span class="lock">bearer</span> need <code>Authorization: Bearer &lt;token&gt;</code>. Errors are <code>application/problem+json</code> (<a href="#problems">problem types</a>).</p></header>
${sections}
<section id="schemas"><h2>Schemas</h2>${schemaSection}</section>
<section id="problems"><h2>Problem types</h2><p>The <code>type</code> of every problem+json answer is <code>/api/docs#problem-&lt;name&gt;</code>.</p>
<table><thead><tr><th>type</th><th>status</th><th>title</th><th>meaning</th></tr></thead><tbody>${problems}</tbody></table></section>
</main></body></html>`;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  tags: string[];
  op: Json;
}

function listOperations(document: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(asObject(item))) {
      const op = asObject(value);
      const tags = Array.isArray(op.tags) && op.tags.length ? op.tags.map(String) : ['Other'];
      out.push({ id: String(op.operationId ?? `${method}-${path}`), method, path, tags, op });
    }
  }
  return out;
}

/** A body schema: a component ref is shown as its link followed by the component's fields (problems stay a link). */
function renderBody(schema: Json, schemas: Json, depth: number): string {
  const ref = refName(schema);
  const target = ref && ref !== 'Problem' ? asObject(schemas[ref]) : undefined;
  if (!target || Object.keys(asObject(target.properties)).length === 0) return renderSchema(schema, depth);
  return `<p class="type">${typeLabel(schema)}</p>${renderSchema(target, depth + 1)}`;
}

function renderOperation({ id, method, path, op }: Operation, schemas: Json): string {
  const secured = Array.isArray(op.security) && op.security.length > 0;
  const roles = Array.isArray(op['x-required-roles']) ? (op['x-required-roles'] as string[]) : [];
  const parameters = Array.isArray(op.parameters) ? op.parameters.map(asObject) : [];
  const body = asObject(op.requestBody);
  const bodyContent = Object.entries(asObject(body.content));
  const responses = Object.entries(asObject(op.responses));

  const paramRows = parameters
    .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${escapeHtml(p.in)}</td><td>${typeLabel(asObject(p.schema))}</td><td>${prose(p.description)}${constraints(asObject(p.schema))}</td></tr>`)
    .join('');
  const bodyHtml = bodyContent
    .map(([type, media]) => `<p class="media">${escapeHtml(type)}${body.required ? ' <span class="req">required</span>' : ''}</p>${renderBody(asObject(asObject(media).schema), schemas, 0)}`)
    .join('');
  const responseRows = responses
    .map(([status, value]) => {
      const response = asObject(value);
      const content = Object.entries(asObject(response.content));
      const headers = Object.keys(asObject(response.headers));
      const bodyCell = content
        .map(([type, media]) => `<div class="media">${escapeHtml(type)}</div>${Object.keys(asObject(asObject(media).schema)).length ? renderBody(asObject(asObject(media).schema), schemas, 1) : ''}`)
        .join('');
      return `<tr><td class="status s${status.charAt(0)}">${escapeHtml(status)}</td><td>${prose(response.description)}${headers.length ? `<div class="headers">headers: ${headers.map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}</div>` : ''}</td><td>${bodyCell}</td></tr>`;
    })
    .join('');

  return `<article class="op" id="op-${escapeHtml(id)}">
<h3><span class="m m-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${secured ? '<span class="lock">bearer</span>' : '<span class="public">public</span>'}</h3>
<p class="summary">${prose(op.summary)}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}
${roles.length ? `<p class="roles">Roles: ${roles.map((r) => `<code>${escapeHtml(r)}</code>`).join(' or ')}</p>` : ''}
${paramRows ? `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${paramRows}</tbody></table>` : ''}
${bodyHtml ? `<h4>Request body</h4>${bodyHtml}` : ''}
<h4>Responses</h4><table class="responses"><thead><tr><th>status</th><th>description</th><th>body</th></tr></thead><tbody>${responseRows}</tbody></table>
</article>`;
}

function refName(schema: Json): string | undefined {
  return typeof schema.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
}

/** A short type label: `string (uuid)`, `array of Permit`, `"A" | "B"`, with links to component schemas. */
export function typeLabel(schema: Json): string {
  const ref = refName(schema);
  if (ref) return `<a href="#schema-${escapeHtml(ref)}">${escapeHtml(ref)}</a>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ');
  if ('const' in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) return union.map((s) => typeLabel(asObject(s))).join(' | ');
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => typeLabel(asObject(s))).join(' & ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `array of ${typeLabel(asObject(schema.items))}`;
  if (type === undefined) return 'any';
  const format = typeof schema.format === 'string' ? ` (${escapeHtml(schema.format)})` : '';
  return `${escapeHtml(type)}${format}`;
}

function constraints(schema: Json): string {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    const value = schema[key];
    if (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER) parts.push(`${key} ${value}`);
  }
  return parts.length ? ` <span class="constraints">${parts.join(', ')}</span>` : '';
}

/** Objects as property tables (nested up to MAX_DEPTH), anything else as its type label. */
export function renderSchema(schema: Json, depth: number): string {
  const properties = asObject(schema.properties);
  const isObject = schema.type === 'object' || Object.keys(properties).length > 0;
  const description = schema.description && depth === 0 ? `<p>${prose(schema.description)}</p>` : '';
  if (!isObject || refName(schema)) return `${description}<p class="type">${typeLabel(schema)}${constraints(schema)}</p>`;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const names = Object.keys(properties);
  if (names.length === 0) return `${description}<p class="type">object${schema.additionalProperties ? ` of ${typeLabel(asObject(schema.additionalProperties))}` : ''}</p>`;
  const rows = names
    .map((name) => {
      const property = asObject(properties[name]);
      const items = asObject(property.items);
      const nested = depth < MAX_DEPTH && (Object.keys(asObject(property.properties)).length > 0 || Object.keys(asObject(items.properties)).length > 0)
        ? renderSchema(Object.keys(asObject(property.properties)).length > 0 ? property : items, depth + 1)
        : '';
      return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeLabel(property)}</td><td>${prose(property.description)}${constraints(property)}${nested}</td></tr>`;
    })
    .join('');
  return `${description}<table class="props"><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const STYLE = `
:root{--fg:#1d2430;--muted:#5b6577;--line:#dde2ea;--bg:#f7f8fa;--accent:#2457c5}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:320px;flex:none;background:var(--bg);border-right:1px solid var(--line);padding:16px;font-size:13px}
nav h1{font-size:17px;margin:0}nav ul{list-style:none;padding-left:0}nav ul ul{padding-left:8px}nav li{margin:2px 0}nav a{color:var(--fg);text-decoration:none}nav a:hover{color:var(--accent)}
main{padding:24px 40px;max-width:1100px;min-width:0}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:40px}
.op{border:1px solid var(--line);border-radius:8px;padding:12px 18px;margin:18px 0}.op h3{margin:4px 0;font-size:16px}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font:600 12px/20px ui-monospace,monospace;padding:0 6px}
.m-get{background:#2f7d4f}.m-post{background:#2457c5}.m-put{background:#a66a00}.m-patch{background:#7a4fc2}.m-delete{background:#b3261e}
.lock,.public,.req{font-size:11px;border-radius:3px;padding:1px 5px;vertical-align:middle}.lock{background:#fde9c8;color:#7a4a00}.public{background:#e3f1e7;color:#245b36}.req{background:#fbe3e1;color:#8c1d18}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}th,td{border-bottom:1px solid var(--line);text-align:left;padding:5px 8px;vertical-align:top}th{color:var(--muted);font-weight:600}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--bg);padding:0 3px;border-radius:3px}
.status{font-weight:700}.s2{color:#2f7d4f}.s4{color:#a15c00}.s5{color:#b3261e}.media,.type,.headers,.constraints,.version,.roles{color:var(--muted);font-size:13px;margin:2px 0}
.props .props{margin-left:8px}.schema{margin:12px 0}.schema h3{font-family:ui-monospace,monospace;font-size:15px}a{color:var(--accent)}
`;
