import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { escapeHtml, renderDocsPage, typeLabel } from './docs-page.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { PROBLEM_TYPES } from './problem.js';

const Permit = z
  .object({
    id: z.string().describe('Permit id'),
    title: z.string().min(3),
    members: z.array(z.object({ userId: z.string(), teamRole: z.enum(['RESEARCH_TEAM', 'HDAB_TEAM']) })),
  })
  .meta({ id: 'DocsPermit', description: 'A data permit <b>with</b> markup' });

const routes = [
  defineRoute({
    method: 'get',
    path: '/permits/{id}',
    summary: 'Read one permit',
    description: 'Answers with the `ETag` header.',
    tags: ['Permits'],
    auth: 'bearer',
    request: { params: z.object({ id: z.string() }), query: z.object({ expand: z.enum(['members']).optional() }) },
    responses: { 200: { description: 'The permit', body: Permit, headers: ['ETag'] } },
    problems: [404],
    handler: () => undefined,
  }),
  defineRoute({
    method: 'post',
    path: '/permits',
    summary: 'Create a <script>permit</script>',
    tags: ['Permits'],
    auth: 'bearer',
    roles: ['researcher'],
    request: { body: z.object({ title: z.string() }) },
    responses: { 201: { description: 'Created', body: Permit } },
    handler: () => undefined,
  }),
  defineRoute({
    method: 'get',
    path: '/health',
    summary: 'Liveness',
    tags: ['Operations'],
    auth: 'public',
    responses: { 200: { description: 'Up' } },
    handler: () => undefined,
  }),
];

const html = renderDocsPage(buildOpenApiDocument(routes, { title: 'Test API', version: '9.9.9', description: 'About `this` API' }));

describe('renderDocsPage', () => {
  it('is a complete HTML page with no scripts and nothing external', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|src="http|@import/i);
  });

  it('shows title, version and description', () => {
    expect(html).toContain('<h1>Test API</h1>');
    expect(html).toContain('version 9.9.9');
    expect(html).toContain('About <code>this</code> API');
  });

  it('groups operations by tag with an anchor each', () => {
    expect(html).toContain('id="tag-permits"');
    expect(html).toContain('id="tag-operations"');
    expect(html).toContain('id="op-getPermitsId"');
    expect(html).toContain('href="#op-postPermits"');
    expect(html.indexOf('id="op-getPermitsId"')).toBeLessThan(html.indexOf('id="op-getHealth"'));
  });

  it('shows method, path, auth, roles, parameters, body and responses of an operation', () => {
    const op = html.slice(html.indexOf('id="op-postPermits"'), html.indexOf('</article>', html.indexOf('id="op-postPermits"')));
    expect(op).toContain('<span class="m m-post">POST</span> <code>/api/permits</code>');
    expect(op).toContain('<span class="lock">bearer</span>');
    expect(op).toContain('Roles: <code>researcher</code>');
    expect(op).toContain('Request body');
    expect(op).toContain('<code>title</code>');
    expect(op).toContain('href="#schema-DocsPermit"');
    expect(op).toContain('application/problem+json');

    const get = html.slice(html.indexOf('id="op-getPermitsId"'), html.indexOf('</article>', html.indexOf('id="op-getPermitsId"')));
    expect(get).toContain('<code>expand</code>');
    expect(get).toContain('<code>ETag</code>');
    expect(get).toContain('Answers with the <code>ETag</code> header.');
    // A component body is shown as its link plus its fields.
    expect(get).toContain('href="#schema-DocsPermit"');
    expect(get).toContain('<code>members</code>');
    expect(html.slice(html.indexOf('id="op-getHealth"'))).toContain('<span class="public">public</span>');
  });

  it('renders component schemas as property tables, nested ones included', () => {
    const schema = html.slice(html.indexOf('id="schema-DocsPermit"'));
    expect(schema).toContain('<code>members</code>');
    expect(schema).toContain('<code>teamRole</code>');
    expect(schema).toContain('<code>&quot;RESEARCH_TEAM&quot;</code> | <code>&quot;HDAB_TEAM&quot;</code>');
    expect(schema).toContain('minLength 3');
  });

  it('escapes everything that comes from the document', () => {
    expect(html).toContain('Create a &lt;script&gt;permit&lt;/script&gt;');
    expect(html).toContain('A data permit &lt;b&gt;with&lt;/b&gt; markup');
  });

  it('has an anchor for every problem type that problem+json `type` URIs point at', () => {
    for (const slug of Object.keys(PROBLEM_TYPES)) expect(html).toContain(`id="problem-${slug}"`);
  });
});

describe('typeLabel', () => {
  it('describes refs, arrays, unions and formats', () => {
    expect(typeLabel({ $ref: '#/components/schemas/Permit' })).toBe('<a href="#schema-Permit">Permit</a>');
    expect(typeLabel({ type: 'array', items: { type: 'string', format: 'uuid' } })).toBe('array of string (uuid)');
    expect(typeLabel({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('string | null');
    expect(typeLabel({})).toBe('any');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
