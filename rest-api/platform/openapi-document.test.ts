import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { buildOpenApiDocument, defaultOperationId } from './openapi-document.js';

const Member = z
  .object({ userId: z.string().describe('Who'), teamRole: z.enum(['RESEARCH_TEAM', 'HDAB_TEAM']).default('RESEARCH_TEAM') })
  .meta({ id: 'TestMember' });
const AddMemberRequest = z.object({ userId: z.string().min(1) }).meta({ id: 'TestAddMemberRequest' });

const listMembers = defineRoute({
  method: 'get',
  path: '/permits/{id}/members',
  summary: 'List members',
  tags: ['Team'],
  auth: 'bearer',
  request: {
    params: z.object({ id: z.uuid().describe('Permit id') }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional().describe('Page size') }),
  },
  responses: { 200: { description: 'Members', body: z.object({ items: z.array(Member) }), headers: ['ETag'] } },
  problems: [404],
  handler: () => ({ items: [] }),
});

const addMember = defineRoute({
  method: 'post',
  path: '/permits/{id}/members',
  summary: 'Add a member',
  tags: ['Team'],
  auth: 'bearer',
  roles: ['hdab-reviewer', 'admin'],
  ifMatch: true,
  request: { params: z.object({ id: z.uuid() }), body: Member },
  responses: { 201: { description: 'Added', body: Member } },
  handler: () => undefined,
});

const addOther = defineRoute({
  method: 'put',
  path: '/permits/{id}/other',
  summary: 'Other',
  tags: ['Other'],
  auth: 'public',
  request: { params: z.object({ id: z.string() }), body: AddMemberRequest },
  responses: { 204: { description: 'Done' } },
  handler: () => undefined,
});

const document = buildOpenApiDocument([listMembers, addMember, addOther], { title: 'Test API', version: '1.2.3' }, 'http://localhost:3000');
const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
const components = (document.components as { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> });

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document with info, servers and tags', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'Test API', version: '1.2.3' },
      servers: [{ url: 'http://localhost:3000' }],
      tags: [{ name: 'Team' }, { name: 'Other' }],
    });
  });

  it('lists every route under /api with its operation id, summary, tags and security', () => {
    expect(Object.keys(paths)).toEqual(['/api/permits/{id}/members', '/api/permits/{id}/other']);
    expect(paths['/api/permits/{id}/members']?.get).toMatchObject({
      operationId: 'getPermitsIdMembers',
      summary: 'List members',
      tags: ['Team'],
      security: [{ bearerAuth: [] }],
    });
    expect(paths['/api/permits/{id}/other']?.put).toMatchObject({ security: [] });
  });

  it('documents path and query parameters with descriptions and requiredness', () => {
    expect(paths['/api/permits/{id}/members']?.get?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'Permit id', schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
      { name: 'limit', in: 'query', required: false, description: 'Page size', schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100 }) },
    ]);
  });

  it('documents If-Match on routes that honour it', () => {
    expect(paths['/api/permits/{id}/members']?.post?.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: false }));
  });

  it('documents Idempotency-Key, Idempotent-Replayed and the key problems on exactly the creating POSTs the middleware takes it on', () => {
    const route = (method: 'get' | 'post', path: string) =>
      defineRoute({ method, path, summary: `${method} ${path}`, tags: ['Permits'], auth: 'bearer', responses: { 201: { description: 'Created' } }, handler: () => undefined });
    const doc = buildOpenApiDocument(
      [route('post', '/permits'), route('get', '/permits'), route('post', '/permits/{id}/egress-requests'), route('post', '/permits/{id}/amendments'), route('post', '/permits/{id}/suspend')],
      { title: 'T', version: '1' },
    );
    const operation = (path: string, method: string) => doc.paths[`/api${path}`]![method] as { parameters?: { name: string; in: string }[]; responses: Record<string, { headers?: object }> };
    const takesKey = (path: string, method = 'post') => (operation(path, method).parameters ?? []).some((p) => p.name === 'Idempotency-Key' && p.in === 'header');
    expect([takesKey('/permits'), takesKey('/permits/{id}/egress-requests'), takesKey('/permits/{id}/amendments')]).toEqual([true, true, true]);
    expect([takesKey('/permits', 'get'), takesKey('/permits/{id}/suspend')]).toEqual([false, false]);
    const create = operation('/permits', 'post');
    expect(Object.keys(create.responses['201']!.headers ?? {})).toEqual(['Idempotent-Replayed']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['400', '409', '422']));
    expect(Object.keys(operation('/permits/{id}/suspend', 'post').responses)).not.toContain('422');
  });

  it('puts schemas with an id into components, with a separate input shape where it differs', () => {
    expect(components.schemas.TestMember).toMatchObject({ type: 'object', required: ['userId', 'teamRole'] });
    expect(components.schemas.TestMemberInput).toMatchObject({ type: 'object', required: ['userId'] });
    expect(components.schemas.TestAddMemberRequest).toMatchObject({ type: 'object' });
    expect(paths['/api/permits/{id}/members']?.post?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/TestMemberInput' } } },
    });
    expect(paths['/api/permits/{id}/members']?.post?.responses).toMatchObject({
      201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/TestMember' } } } },
    });
  });

  it('leaves no $defs refs behind', () => {
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });

  it('documents response headers', () => {
    expect(paths['/api/permits/{id}/members']?.get?.responses).toMatchObject({ 200: { headers: { ETag: { schema: { type: 'string' } } } } });
  });

  it('adds problem+json responses by route shape plus the declared ones', () => {
    const statuses = (method: string, path: string) => Object.keys(paths[path]?.[method]?.responses as object);
    expect(statuses('get', '/api/permits/{id}/members')).toEqual(['200', '400', '401', '404', '429', '500']);
    expect(statuses('post', '/api/permits/{id}/members')).toEqual(['201', '400', '401', '403', '412', '413', '415', '429', '500']);
    expect(statuses('put', '/api/permits/{id}/other')).toEqual(['204', '400', '413', '415', '429', '500']);
    expect(paths['/api/permits/{id}/members']?.get?.responses).toMatchObject({
      404: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      401: { headers: { 'WWW-Authenticate': expect.any(Object) } },
    });
  });

  it('defines the Problem schema and the bearer JWT security scheme', () => {
    expect(components.schemas.Problem).toMatchObject({ type: 'object', required: ['type', 'title', 'status', 'detail'] });
    expect(components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('lists required roles as an extension', () => {
    expect(paths['/api/permits/{id}/members']?.post?.['x-required-roles']).toEqual(['hdab-reviewer', 'admin']);
  });

  it('refuses two routes with the same method and path', () => {
    expect(() => buildOpenApiDocument([listMembers, listMembers], { title: 't', version: '1' })).toThrow(/Two routes define GET \/api\/permits\/\{id\}\/members/);
  });

  it('refuses two different schemas with the same id', () => {
    const clash = defineRoute({
      method: 'get', path: '/clash', summary: 'x', tags: ['X'], auth: 'public',
      responses: { 200: { description: 'ok', body: z.object({ other: z.number() }).meta({ id: 'TestMember' }) } },
      handler: () => ({}),
    });
    expect(() => buildOpenApiDocument([listMembers, clash], { title: 't', version: '1' })).toThrow(/Two different zod schemas use .meta\(\{ id: "TestMember" \}\)/);
  });
});

describe('defaultOperationId', () => {
  it('joins the method and the path words', () => {
    expect(defaultOperationId('post', '/permits/{id}/egress-requests/{rid}/submit')).toBe('postPermitsIdEgressRequestsRidSubmit');
  });
});
