/**
 * Builds the OpenAPI 3.1 document from the defined routes (`defineRoute`). Schemas are converted with zod 4's
 * `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is): request parts with `io: 'input'`,
 * responses with `io: 'output'`. Schemas carrying `.meta({ id })` become `#/components/schemas/<id>`; when the
 * input and output shapes of one id differ (defaults, transforms), the input one is `<id>Input`.
 * Errors are always `application/problem+json` (`#/components/schemas/Problem`).
 */
import { z } from 'zod';
import type { Route } from './define-route.js';
import { problemResponses, problemSchema } from './openapi-problems.js';
import { acceptsIdempotencyKey, IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from './idempotency-key.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, unknown>> };

const HEADER_DOCS: Record<string, { description: string; schema: JsonSchema }> = {
  ETag: { description: 'Version of the resource (`"<version>"`); send it back as `If-Match` to make a change conditional.', schema: { type: 'string' } },
  Location: { description: 'URL of the created resource.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  [REPLAYED_HEADER]: { description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key` (nothing ran again).', schema: { type: 'string', enum: ['true'] } },
};

/** The `Idempotency-Key` request header, on every route the middleware takes it for (`IDEMPOTENT_ROUTES`). */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'A new unique value (e.g. a UUID) per intended create, sent again unchanged on a retry (draft-ietf-httpapi-idempotency-key-header): a repeat with the same body ' +
    'within 24 h answers the first answer again with `Idempotent-Replayed: true` and creates nothing; the same key with another body or route is a 422; ' +
    'while the first is still running, a 409 with `Retry-After`. 1–255 visible ASCII characters, bare or in double quotes.',
  schema: { type: 'string', minLength: 1, maxLength: 257 },
};

export function buildOpenApiDocument(routes: readonly Route[], info: OpenApiInfo, serverUrl = '/'): OpenApiDocument {
  const defs = new DefCollector();
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();

  for (const { spec } of routes) {
    const path = `/api${spec.path}`;
    const operations = (paths[path] ??= {});
    if (operations[spec.method]) throw new Error(`Two routes define ${spec.method.toUpperCase()} ${path}.`);
    const operationId = spec.operationId ?? defaultOperationId(spec.method, spec.path);
    if (operationIds.has(operationId)) throw new Error(`Two routes use operationId "${operationId}"; set a distinct operationId.`);
    operationIds.add(operationId);

    const parameters = [
      ...objectParameters(defs, spec.request?.params, 'path'),
      ...objectParameters(defs, spec.request?.query, 'query'),
      ...(acceptsIdempotencyKey(spec.method, spec.path) ? [IDEMPOTENCY_KEY_PARAMETER] : []),
      ...(spec.ifMatch
        ? [{ name: 'If-Match', in: 'header', required: false, description: 'ETag of the version you read; a stale one answers 412 and changes nothing.', schema: { type: 'string' } }]
        : []),
    ];
    const body = spec.request?.body;
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const documented: string[] = [...(response.headers ?? []), ...(acceptsIdempotencyKey(spec.method, spec.path) && Number(status) < 300 ? [REPLAYED_HEADER] : [])];
      const headers = documented.length ? Object.fromEntries(documented.map((h) => [h, HEADER_DOCS[h]])) : undefined;
      const content = response.body
        ? { [response.contentType ?? 'application/json']: { schema: defs.convert(response.body, 'output') } }
        : response.contentType
          ? { [response.contentType]: {} }
          : undefined;
      responses[status] = { description: response.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
    }
    Object.assign(responses, problemResponses(spec, responses));

    operations[spec.method] = {
      operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [...spec.tags],
      security: spec.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
      ...(spec.roles?.length ? { 'x-required-roles': [...spec.roles] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? { requestBody: { required: !body.safeParse(undefined).success, content: { 'application/json': { schema: defs.convert(body, 'input') } } } }
        : {}),
      responses,
    };
  }

  defs.convert(problemSchema, 'output');
  const { schemas, rewrite } = defs.finish();
  const tags = [...new Set(routes.flatMap((r) => r.spec.tags))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info,
    servers: [{ url: serverUrl }],
    tags,
    paths: rewrite(paths),
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An OIDC access token from the configured issuer (in development: `POST /api/dev-auth/token`). Roles come from the `roles` claim.',
        },
      },
    },
  };
}

/** `get /permits/{id}/members` → `getPermitsIdMembers`. */
export function defaultOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function objectParameters(defs: DefCollector, schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = defs.resolve(defs.convert(schema, 'input'));
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * Converts schemas, collecting `$defs` under one name per id and io. Refs are first written as markers
 * (`#/$defs/<io>/<id>`) and turned into `#/components/schemas/<name>` by `finish`, once every schema is known
 * (whether an input shape needs its own `<id>Input` name depends on all of them).
 */
class DefCollector {
  private readonly seen: Record<Io, Map<string, string>> = { input: new Map(), output: new Map() };

  convert(schema: z.ZodType, io: Io): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    const { $schema: _s, $defs, ...root } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) this.add(id, io, mark(def, io) as JsonSchema);
    return mark(root, io) as JsonSchema;
  }

  /** Follows a top-level `$ref` marker into the collected definitions. */
  resolve(json: JsonSchema): JsonSchema {
    const ref = json.$ref;
    const match = typeof ref === 'string' ? /^#\/\$defs\/(input|output)\/(.+)$/.exec(ref) : null;
    const text = match ? this.seen[match[1] as Io].get(match[2] as string) : undefined;
    return text ? (JSON.parse(text) as JsonSchema) : json;
  }

  /** The component schemas, and a function that rewrites markers in any value to component refs. */
  finish(): { schemas: Record<string, JsonSchema>; rewrite: <T>(value: T) => T } {
    const rewrite = <T>(value: T): T => this.rewrite(value) as T;
    const schemas: Record<string, JsonSchema> = {};
    for (const io of ['output', 'input'] as const) {
      for (const [id, text] of this.seen[io]) schemas[this.nameOf(id, io)] = rewrite(JSON.parse(text) as JsonSchema);
    }
    return { schemas, rewrite };
  }

  private add(id: string, io: Io, def: JsonSchema): void {
    const text = JSON.stringify(def);
    const existing = this.seen[io].get(id);
    if (existing !== undefined && existing !== text) {
      throw new Error(`Two different zod schemas use .meta({ id: "${id}" }); give each a unique id.`);
    }
    this.seen[io].set(id, text);
  }

  private nameOf(id: string, io: Io): string {
    if (io === 'output') return id;
    const output = this.seen.output.get(id);
    return output === undefined || output === this.seen.input.get(id)?.replaceAll('#/$defs/input/', '#/$defs/output/') ? id : `${id}Input`;
  }

  private rewrite(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.rewrite(item));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const match = key === '$ref' && typeof item === 'string' ? /^#\/\$defs\/(input|output)\/(.+)$/.exec(item) : null;
      out[key] = match ? `#/components/schemas/${this.nameOf(match[2] as string, match[1] as Io)}` : this.rewrite(item);
    }
    return out;
  }
}

/** `#/$defs/<id>` → `#/$defs/<io>/<id>` throughout. */
function mark(value: unknown, io: Io): unknown {
  if (Array.isArray(value)) return value.map((item) => mark(item, io));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/') ? `#/$defs/${io}/${item.slice('#/$defs/'.length)}` : mark(item, io);
  }
  return out;
}
