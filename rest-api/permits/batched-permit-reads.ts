/**
 * `findWithTeamRoles` for the knex permit store, batched (platform/read-batcher.ts): the permit reads with the
 * reader's team roles that arrive together are one query, `unnest` of the (permit, user) pairs joined to the
 * permits. Every permit page, action and check starts with this read (`permit-access.ts`), so under load it was
 * one pool round trip per request; now it is one per batch. A batch is sent only after each of its reads was
 * asked, so each sees every write committed before it (docs/rest-api.md, "Reading a permit").
 *
 * On PostgreSQL the query is a named prepared statement on the pooled connection (node-postgres parses it once per
 * connection): planning it took about 0.6 ms against 0.07 ms to run it, PostgreSQL CPU on the same cores as the
 * API. PGlite (one connection in this process) takes it through knex as every other query.
 */
import type { Knex } from 'knex';
import type { TeamRole } from '../../shared/index.js';
import { TABLES, toPermit, type Permit, type PermitRow } from '../../db/index.js';
import { createReadBatcher } from '../platform/read-batcher.js';

export interface PermitWithTeamRoles {
  permit: Permit;
  teamRoles: TeamRole[];
}

interface Read {
  permitId: string;
  userId: string;
}

type Row = PermitRow & { reader_id: string; my_team_roles: TeamRole[] };

/** What this file uses of knex's pg client: its pool and node-postgres's connections. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}
interface PgPool {
  config: { client?: unknown };
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

const STATEMENT_NAME = 'spe_permits_with_team_roles';

// NUL cannot occur in a stored id (the API refuses it), so it separates the two parts unambiguously.
const keyOf = (permitId: string, userId: string): string => `${permitId}\u0000${userId}`;

export function createBatchedPermitReads(knex: Knex, options: { maxInFlight?: number } = {}): (permitId: string, userId: string) => Promise<PermitWithTeamRoles | undefined> {
  const sql = (permitIds: string, userIds: string): string =>
    `SELECT p.*, k.user_id AS reader_id, ` +
    `coalesce((SELECT json_agg(m.team_role) FROM ${TABLES.permitMembers} m WHERE m.permit_id = p.id AND m.user_id = k.user_id), '[]'::json) AS my_team_roles ` +
    `FROM unnest(${permitIds}::text[], ${userIds}::text[]) AS k(permit_id, user_id) JOIN ${TABLES.permits} p ON p.id = k.permit_id`;
  const knexSql = sql('?', '?');
  const preparedSql = sql('$1', '$2');
  const pool = knex.client as unknown as PgPool;
  const prepared = pool.config.client === 'pg';

  async function query(permitIds: string[], userIds: string[]): Promise<Row[]> {
    if (!prepared) return ((await knex.raw(knexSql, [permitIds, userIds])) as { rows: Row[] }).rows;
    const connection = await pool.acquireConnection();
    try {
      return (await connection.query({ name: STATEMENT_NAME, text: preparedSql, values: [permitIds, userIds] })).rows;
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  const read = createReadBatcher<Read, Row, PermitWithTeamRoles>({
    keyOf: (key) => keyOf(key.permitId, key.userId),
    async load(keys) {
      const rows = await query(
        keys.map((key) => key.permitId),
        keys.map((key) => key.userId),
      );
      return new Map(rows.map((row) => [keyOf(row.id, row.reader_id), row]));
    },
    answer: ({ reader_id: _reader, my_team_roles: teamRoles, ...permit }) => ({ permit: toPermit(permit), teamRoles: [...teamRoles] }),
    ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
  });
  return (permitId, userId) => {
    // PostgreSQL refuses NUL in text, which would fail the whole batch: everyone else's reads with it. No stored
    // permit or user has one (the API refuses NUL), so there is nothing to find.
    if (permitId.includes('\u0000') || userId.includes('\u0000')) return Promise.resolve(undefined);
    return read({ permitId, userId });
  };
}
