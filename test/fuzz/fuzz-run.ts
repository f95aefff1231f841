/**
 * The fuzzer: the whole platform in-process (API, embedded engine, databases; job workers off, so nothing but a
 * request changes the Permit Manager's tables), then FUZZ_REQUESTS requests drawn from /api/openapi.json and the
 * engine's /v2 subset with hostile input (hostile-input.ts), sent in small batches, some of them as concurrent
 * duplicates. Checked for every answer: no 5xx, every error is problem+json. Checked for every batch whose answers
 * were all refusals (4xx): the database snapshot (db-snapshot.ts) is the same before and after, and so is the
 * engine's state as its /v2 searches show it (definitions, decisions, instances, element instances, variables).
 * Engine path keys are real keys (the fixture's process instance and definition, a decision the fuzzer
 * deploys) as often as hostile ones, so migration, modification, deletion and evaluation reach their checks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { TABLES } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { startPlatform } from '../../platform/start-platform.js';
import { loadConfig, type Config } from '../../rest-api/config.js';
import type { PermitStatus } from '../../shared/index.js';
import { differences, listTables, snapshot, type Snapshot } from './db-snapshot.js';
import { hostile, mutate, plausible, type JsonSchema, type SchemaContext } from './hostile-input.js';

export interface FuzzOptions {
  requests: number;
  seed: number;
  /** Requests per batch (the unit of the snapshot comparison). */
  batch?: number;
  databaseUrl?: string | undefined;
  log?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  refusedBatchesChecked: number;
  durationMs: number;
  /** Batches of only refusals and reads, checked unchanged (their requests: refusedRequestsChecked). */
  refusedRequestsChecked: number;
  /** Every broken promise: a 5xx, an error that is not problem+json, a refused batch that changed the database. */
  violations: string[];
}

interface Operation {
  api: 'rest' | 'engine';
  method: string;
  path: string;
  params: { name: string; in: string; schema?: JsonSchema }[];
  body?: JsonSchema;
}

const USERS = ['alice', 'rita', 'victor', 'dana', 'adam'];

/** The engine /v2 subset the platform uses, with the bodies it takes (loosely: the fuzzer breaks them anyway). */
const ENGINE_OPERATIONS: Operation[] = [
  ['post', '/v2/messages/publication', { type: 'object', required: ['name'], properties: { name: { type: 'string' }, correlationKey: { type: 'string' }, timeToLive: { type: 'integer' }, variables: { type: 'object' } } }],
  ['post', '/v2/messages/correlation', { type: 'object', required: ['name'], properties: { name: { type: 'string' }, correlationKey: { type: 'string' }, variables: { type: 'object' } } }],
  ['post', '/v2/process-instances', { type: 'object', properties: { processDefinitionId: { type: 'string' }, variables: { type: 'object' } } }],
  ['post', '/v2/process-instances/search', { type: 'object', properties: { filter: { type: 'object' }, page: { type: 'object' } } }],
  ['post', '/v2/user-tasks/search', { type: 'object', properties: { filter: { type: 'object' } } }],
  ['post', '/v2/jobs/activation', { type: 'object', required: ['type'], properties: { type: { type: 'string' }, maxJobsToActivate: { type: 'integer' }, timeout: { type: 'integer' }, worker: { type: 'string' }, requestTimeout: { type: 'integer' } } }],
  ['post', '/v2/signals/broadcast', { type: 'object', required: ['signalName'], properties: { signalName: { type: 'string' }, variables: { type: 'object' } } }],
  ['post', '/v2/variables/search', { type: 'object', properties: { filter: { type: 'object' } } }],
  ['post', '/v2/incidents/search', { type: 'object', properties: { filter: { type: 'object' } } }],
  ['post', '/v2/element-instances/search', { type: 'object', properties: { filter: { type: 'object' } } }],
  ['get', '/v2/topology', undefined],
  ['get', '/v2/process-instances/{key}', undefined],
  ['post', '/v2/user-tasks/{key}/completion', { type: 'object', properties: { variables: { type: 'object' } } }],
  ['post', '/v2/jobs/{key}/completion', { type: 'object', properties: { variables: { type: 'object' } } }],
  ['post', '/v2/jobs/{key}/failure', { type: 'object', properties: { retries: { type: 'integer' }, errorMessage: { type: 'string' } } }],
  // Issue 19: migration, modification, resource deletion, the live diagram, decisions.
  ['post', '/v2/process-instances/{key}/migration', { type: 'object', required: ['targetProcessDefinitionKey', 'mappingInstructions'], properties: { targetProcessDefinitionKey: { type: 'string', pattern: 'engineKey' }, mappingInstructions: { type: 'array', items: { type: 'object', required: ['sourceElementId', 'targetElementId'], properties: { sourceElementId: { type: 'string', pattern: 'elementId' }, targetElementId: { type: 'string', pattern: 'elementId' } } } }, operationReference: { type: 'integer' } } }],
  ['post', '/v2/process-instances/{key}/modification', { type: 'object', properties: { activateInstructions: { type: 'array', items: { type: 'object', required: ['elementId'], properties: { elementId: { type: 'string', pattern: 'elementId' }, ancestorElementInstanceKey: { type: 'string', pattern: 'engineKey' }, variableInstructions: { type: 'array', items: { type: 'object', properties: { variables: { type: 'object' }, scopeId: { type: 'string', pattern: 'elementId' } } } } } } }, terminateInstructions: { type: 'array', items: { type: 'object', required: ['elementInstanceKey'], properties: { elementInstanceKey: { type: 'string', pattern: 'engineKey' } } } }, operationReference: { type: 'integer' } } }],
  ['post', '/v2/resources/{key}/deletion', { type: 'object', properties: { operationReference: { type: 'integer' } } }],
  ['get', '/v2/process-instances/{key}/sequence-flows', undefined],
  ['get', '/v2/process-instances/{key}/statistics/element-instances', undefined],
  ['post', '/v2/process-definitions/{key}/statistics/element-instances', { type: 'object', properties: { filter: { type: 'object', properties: { processInstanceKey: { type: 'string', pattern: 'engineKey' }, state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'active', 'TERMINATED'] } } } } }],
  ['post', '/v2/decision-definitions/evaluation', { type: 'object', properties: { decisionDefinitionId: { type: 'string', enum: ['fuzz_decision', 'fuzz_loop', 'nope'] }, decisionDefinitionKey: { type: 'string', pattern: 'engineKey' }, variables: { type: 'object', properties: { age: { type: 'integer' } } } } }],
  ['post', '/v2/decision-definitions/search', { type: 'object', properties: { filter: { type: 'object', properties: { decisionDefinitionId: { type: 'string' }, version: { type: 'integer' } } }, sort: { type: 'array', items: { type: 'object', properties: { field: { type: 'string', enum: ['version', 'name', 'x'] }, order: { type: 'string', enum: ['asc', 'DESC', 'up'] } } } }, page: { type: 'object', properties: { limit: { type: 'integer' } } } } }],
  ['get', '/v2/decision-definitions/{key}', undefined],
  ['get', '/v2/decision-definitions/{key}/xml', undefined],
  ['post', '/v2/decision-requirements/search', { type: 'object', properties: { filter: { type: 'object' }, page: { type: 'object' } } }],
  ['get', '/v2/decision-requirements/{key}', undefined],
  ['get', '/v2/decision-requirements/{key}/xml', undefined],
  ['post', '/v2/decision-instances/search', { type: 'object', properties: { filter: { type: 'object', properties: { decisionDefinitionKey: { type: 'string', pattern: 'engineKey' }, state: { type: 'string', enum: ['EVALUATED', 'FAILED', 'failed'] } } } } }],
  ['get', '/v2/decision-instances/{key}', undefined],
].map(([method, path, body]) => ({
  api: 'engine' as const,
  method: method as string,
  path: path as string,
  params: (path as string).includes('{key}') ? [{ name: 'key', in: 'path' }] : [],
  ...(body ? { body: body as JsonSchema } : {}),
}));

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'spe-fuzz-'));
  const engineCredentials = { username: 'fuzz', password: randomBytes(12).toString('hex') };
  const schemaSuffix = randomBytes(4).toString('hex');
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', PORT: '0', PUBLIC_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' }),
    databaseUrl: options.databaseUrl,
    permitDataDir: '',
    amqpUrl: undefined,
    // The fuzzer is the only caller: a rate limit would turn most answers into 429s.
    rateLimitPerMinute: 100_000_000,
    notificationOutboxDir: join(scratch, 'outbox'),
    workspaceManifestsDir: join(scratch, 'workspaces'),
  };
  const platform = await startPlatform({
    config,
    logger: pino({ level: process.env.FUZZ_LOG_LEVEL ?? 'silent' }),
    embeddedEngine: { port: 0, dataDir: '', credentials: engineCredentials, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl, schema: `fuzz_engine_${schemaSuffix}` } : {}) },
    ...(options.databaseUrl ? { databaseSchema: `fuzz_pm_${schemaSuffix}` } : {}),
    defaultHdabTeam: ['rita', 'victor'],
    relayPollMs: 50,
    startWorkers: false,
    persistDevKey: false,
  });
  const devIssuer = platform.identity.devIssuer!;
  const knex = platform.database.knex;
  const report: FuzzReport = { seed: options.seed, requests: 0, byStatus: {}, byRoute: {}, refusedBatchesChecked: 0, refusedRequestsChecked: 0, durationMs: 0, violations: [] };
  try {
    const tokens: Record<string, string> = {};
    for (const user of USERS) tokens[user] = await devIssuer.mintDevToken(user);
    const now = Math.floor(Date.now() / 1000);
    tokens.expired = await devIssuer.mintDevToken('adam', { issuedAt: now - 7200, expiresAt: now - 3600 });
    tokens.century = await devIssuer.mintDevToken('adam', { issuedAt: now, expiresAt: now + 100 * 365 * 86_400 });
    tokens.garbage = 'not.a.token';

    // Fixtures: one permit through the API (a real process waits for it), and permits in later statuses.
    const created = await fetch(`${platform.apiUrl}/api/permits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Fuzz fixture', purpose: 'A permit the fuzzer aims at', validUntil: '2030-01-01T00:00:00Z' }),
    });
    if (created.status !== 201) throw new Error(`could not create the fixture permit: HTTP ${created.status} ${await created.text()}`);
    const permitIds = [((await created.json()) as { id: string }).id];
    const statuses: PermitStatus[] = ['ANALYSIS_ACTIVE', 'EGRESS_REVIEW_PENDING', 'SUSPENDED', 'DATA_INGRESS_PENDING', 'WORKSPACE_SETUP_PENDING', 'CLOSED'];
    for (const status of statuses) {
      const permit = await insertPermit(knex, { status, processInstanceKey: String(9_000_000 + permitIds.length) });
      await knex(TABLES.permitMembers).insert([
        { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'fuzz' },
        { permit_id: permit.id, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'fuzz' },
        { permit_id: permit.id, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'fuzz' },
      ]);
      permitIds.push(permit.id);
    }

    const engineAuth = `Basic ${Buffer.from(`${engineCredentials.username}:${engineCredentials.password}`).toString('base64')}`;
    const engine = await engineFixtures(platform.engineUrl, engineAuth);

    const document = (await (await fetch(`${platform.apiUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
      components?: { schemas?: Record<string, JsonSchema> };
    };
    const restOperations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        // The event stream stays open by design and the dev token minting is a development aid: both left out.
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .filter(([, _op]) => !path.endsWith('/events/stream'))
        .map(([method, op]) => ({
          api: 'rest' as const,
          method,
          path,
          params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
          ...(op.requestBody?.content['application/json'] ? { body: op.requestBody.content['application/json'].schema } : {}),
        })),
    );
    const operations = [...restOperations, ...ENGINE_OPERATIONS];
    log(`fuzzing ${restOperations.length} REST operations and ${ENGINE_OPERATIONS.length} engine /v2 operations, seed ${options.seed}`);
    const ctx: SchemaContext = {
      components: document.components?.schemas ?? {},
      ids: { permitIds, userIds: USERS, other: ['00000000-0000-4000-8000-000000000000'], engineKeys: engine.keys, elementIds: engine.elementIds },
    };

    // Every draw is fast-check's, seeded from the run's seed and a counter: one seed gives one run.
    let draws = 0;
    const draw = <T>(arb: fc.Arbitrary<T>): T => fc.sample(fc.noBias(arb), { seed: options.seed + draws++, numRuns: 1 })[0]!;
    const next = mulberry32(options.seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;

    const buildRequest = (op: Operation): { url: string; init: RequestInit; route: string } => {
      let path = op.path;
      const query = new URLSearchParams();
      for (const param of op.params) {
        const plain =
          op.api === 'engine' && param.in === 'path'
            ? pick([...engine.keys, '-1', '0', '9999999999999999999999', '18446744073709551616', 'abc'])
            : param.in === 'path' && /id$/i.test(param.name) && !/user/i.test(param.name)
              ? pick(permitIds)
              : String(plausible(param.schema ?? { type: 'string' }, ctx, pick));
        const value = pick([plain, plain, hostile(draw)]);
        if (param.in === 'path') path = path.replace(`{${param.name}}`, encodePathSegment(value));
        else if (pick([true, false])) query.append(param.name, value);
      }
      if (pick([false, false, false, true])) query.append(pick(['q', 'limit', 'x\u0000', 'status']), hostile(draw));
      const headers: Record<string, string> = {};
      if (op.api === 'engine') headers.authorization = pick([engineAuth, engineAuth, engineAuth, 'Basic Zm9vOmJhcg==']);
      else {
        const who = pick([...USERS, ...USERS, 'expired', 'century', 'garbage', 'none']);
        if (who !== 'none') headers.authorization = `Bearer ${tokens[who]}`;
        if (pick([false, false, false, true])) headers['if-match'] = pick(['"1"', '"999"', '*', 'W/"x"', '"a\u0001"'.replace('\u0001', '')]);
      }
      let body: string | undefined;
      const bodyAllowed = !['get', 'head'].includes(op.method);
      if (bodyAllowed && (op.body || pick([false, false, false, true]))) {
        const shape = pick(['json', 'json', 'json', 'json', 'json', 'malformed', 'wrong-type']);
        headers['content-type'] = shape === 'wrong-type' ? pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) : 'application/json';
        body = shape === 'malformed' ? pick(['{"a":', '{"a": "\\u00"}', '\u0000', '[', 'nul', '{"a": "\\ud800"']) : JSON.stringify(mutate(plausible(op.body ?? { type: 'object' }, ctx, pick), draw)) ?? 'null';
      }
      const base = op.api === 'engine' ? platform.engineUrl : platform.apiUrl;
      return { url: `${base}${path}${query.size ? `?${query.toString()}` : ''}`, init: { method: op.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) }, route: `${op.method.toUpperCase()} ${op.path}` };
    };

    const send = async (request: { url: string; init: RequestInit; route: string }): Promise<number> => {
      let status = 0;
      try {
        const response = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(30_000) });
        status = response.status;
        const type = response.headers.get('content-type') ?? '';
        const text = await response.text();
        if (status >= 500) report.violations.push(`${status} from ${request.init.method} ${request.url.slice(0, 200)}: ${text.slice(0, 300)}`);
        // 431: Node's HTTP parser refuses oversized headers (a 60 kB query) before the app sees the request.
        if (status >= 400 && status !== 431 && !type.startsWith('application/problem+json')) report.violations.push(`${status} without problem+json (${type}) from ${request.route}`);
        if (status >= 400 && type.startsWith('application/problem+json')) {
          const problem = JSON.parse(text) as { type?: unknown; title?: unknown; status?: unknown };
          if (typeof problem.title !== 'string' || problem.status !== status) report.violations.push(`malformed problem from ${request.route}: ${text.slice(0, 200)}`);
        }
      } catch (error) {
        report.violations.push(`no answer from ${request.route}: ${(error as Error).message}`);
      }
      report.requests += 1;
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      report.byRoute[request.route] = (report.byRoute[request.route] ?? 0) + 1;
      return status;
    };

    // Every fuzzing user makes one request first, so their sign-in is recorded before the first snapshot.
    for (const user of USERS) await fetch(`${platform.apiUrl}/api/permits?limit=1`, { headers: { authorization: `Bearer ${tokens[user]}` } });
    const tables = await listTables(knex);
    const bothSnapshots = async (): Promise<Snapshot> => ({ ...(await snapshot(knex, tables)), ...(await engineSnapshot(platform.engineUrl, engineAuth)) });
    const settle = async (): Promise<Snapshot> => {
      // Wait until the relay has caught up (two equal snapshots in a row).
      let previous = await bothSnapshots();
      for (let i = 0; i < 50; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 60));
        const next = await bothSnapshots();
        if (differences(previous, next).length === 0) return next;
        previous = next;
      }
      return previous;
    };

    const batchSize = options.batch ?? 10;
    let before = await settle();
    let lastProgress = Date.now();
    while (report.requests < options.requests) {
      // Per request: may it have changed the database? (a success of anything but GET)
      const statuses: boolean[] = [];
      const batch = Math.min(batchSize, options.requests - report.requests);
      let sent = 0;
      while (sent < batch) {
        const op = pick(operations);
        const request = buildRequest(op);
        if (pick([false, false, false, false, false, false, false, true]) && batch - sent >= 5) {
          // Concurrent duplicates: the same request five times at once.
          statuses.push(...(await Promise.all(Array.from({ length: 5 }, () => send(request)))).map((status) => mayChange(request.init.method, status)));
          sent += 5;
        } else {
          statuses.push(mayChange(request.init.method, await send(request)));
          sent += 1;
        }
      }
      const after = await bothSnapshots();
      if (!statuses.some(Boolean)) {
        report.refusedBatchesChecked += 1;
        report.refusedRequestsChecked += statuses.length;
        const changed = differences(before, after);
        if (changed.length > 0) {
          // The relay may still be publishing an earlier success's events: settle and compare again.
          const settled = await settle();
          const still = differences(before, settled);
          if (still.length > 0) report.violations.push(`a batch of refused requests changed the database: ${still.join('; ')}`);
          before = settled;
          continue;
        }
        before = after;
      } else {
        before = await settle();
      }
      if (Date.now() - lastProgress > 10_000) {
        log(`  ${report.requests} requests, ${report.violations.length} violations`);
        lastProgress = Date.now();
      }
    }
  } finally {
    await platform.stop();
    await rm(scratch, { recursive: true, force: true });
    if (options.databaseUrl) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "fuzz_pm_${schemaSuffix}" CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS "fuzz_engine_${schemaSuffix}" CASCADE`);
      await client.end();
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Decisions the fuzzer deploys: a table to evaluate, and one whose output entry loops (FEEL's iteration bound). */
const FUZZ_DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fuzz_drg" name="Fuzz" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="fuzz_decision" name="Fuzz"><decisionTable id="t1" hitPolicy="FIRST">
    <input id="i1"><inputExpression id="ie1" typeRef="number"><text>age</text></inputExpression></input>
    <output id="o1" name="ad" typeRef="string"/>
    <rule id="r1"><inputEntry id="r1i"><text>&gt;= 18</text></inputEntry><outputEntry id="r1o"><text>"Cars"</text></outputEntry></rule>
    <rule id="r2"><inputEntry id="r2i"><text>-</text></inputEntry><outputEntry id="r2o"><text>"Toys"</text></outputEntry></rule>
  </decisionTable></decision>
  <decision id="fuzz_loop" name="Fuzz loop"><literalExpression id="l1"><text>count(for i in 1..100000000 return i)</text></literalExpression></decision>
</definitions>`;

/** Real engine keys and element ids for the fuzzer's engine requests: the fixture permit's process, a deployed DMN. */
async function engineFixtures(engineUrl: string, authorization: string): Promise<{ keys: string[]; elementIds: string[] }> {
  const post = async (path: string, body: unknown): Promise<{ items: Record<string, unknown>[] }> => {
    const response = await fetch(`${engineUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as { items: Record<string, unknown>[] };
  };
  const form = new FormData();
  form.append('resources', new Blob([FUZZ_DMN], { type: 'application/xml' }), 'fuzz.dmn');
  const deployed = await fetch(`${engineUrl}/v2/deployments`, { method: 'POST', headers: { authorization }, body: form });
  if (deployed.status !== 200) throw new Error(`could not deploy the fuzzer's DMN: HTTP ${deployed.status} ${await deployed.text()}`);
  const deployment = (await deployed.json()) as { deployments: Record<string, Record<string, string>>[] };
  const keys = new Set<string>();
  for (const entry of deployment.deployments) {
    for (const value of Object.values(entry)) {
      if (value.decisionDefinitionKey) keys.add(value.decisionDefinitionKey);
      if (value.decisionRequirementsKey) keys.add(value.decisionRequirementsKey);
    }
  }
  const elementIds = new Set<string>(['nope']);
  for (const instance of (await post('/v2/process-instances/search', { filter: { state: 'ACTIVE' } })).items.slice(0, 3)) {
    keys.add(String(instance.processInstanceKey));
    keys.add(String(instance.processDefinitionKey));
    for (const element of (await post('/v2/element-instances/search', { filter: { processInstanceKey: instance.processInstanceKey } })).items) {
      keys.add(String(element.elementInstanceKey));
      elementIds.add(String(element.elementId));
    }
  }
  return { keys: [...keys], elementIds: [...elementIds] };
}

/** The engine's state as its searches show it, as one entry per search (compared like a table's hash). */
async function engineSnapshot(engineUrl: string, authorization: string): Promise<Snapshot> {
  const searches = ['process-definitions', 'process-instances', 'element-instances', 'variables', 'decision-definitions', 'decision-requirements', 'user-tasks', 'incidents'];
  const out: Snapshot = {};
  for (const search of searches) {
    const response = await fetch(`${engineUrl}/v2/${search}/search`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{}' });
    const text = await response.text();
    const page = (JSON.parse(text) as { page?: { totalItems?: number } }).page;
    out[`engine:${search}`] = { rows: page?.totalItems ?? -1, hash: createHash('md5').update(text).digest('hex') };
  }
  return out;
}

/** A refusal (4xx) or a read must leave the database as it was. */
function mayChange(method: string | undefined, status: number): boolean {
  return !(status >= 400 && status < 500) && method !== 'GET';
}

/** A small seeded PRNG for choosing among options (fast-check draws the values). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percent-encodes a path segment; a lone surrogate becomes the bytes of an invalid UTF-8 sequence (as an attacker would send). */
function encodePathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value].map((char) => (/[\uD800-\uDFFF]/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
  }
}

/** The report as people read it. */
export function formatReport(report: FuzzReport): string {
  const lines = [
    `fuzz: ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s (seed ${report.seed}), ${report.refusedBatchesChecked} batches of only refusals and reads compared with the database before them (${report.refusedRequestsChecked} requests)`,
    `  by status: ${Object.entries(report.byStatus).sort().map(([status, n]) => `${status}: ${n}`).join(', ')}`,
    '  by route:',
    ...Object.entries(report.byRoute).sort((a, b) => a[0].localeCompare(b[0])).map(([route, n]) => `    ${String(n).padStart(6)}  ${route}`),
    `  5xx: ${Object.entries(report.byStatus).filter(([s]) => Number(s) >= 500).reduce((sum, [, n]) => sum + n, 0)}, violations: ${report.violations.length}`,
    ...report.violations.slice(0, 30).map((v) => `    ✗ ${v}`),
  ];
  return lines.join('\n');
}
