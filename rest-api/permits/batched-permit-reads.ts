/**
 * `findWithTeamRoles` for the knex permit store, batched (platform/read-batcher.ts): the permit reads with the
 * reader's team roles that arrive together are one query, `unnest` of the (permit, user) pairs joined to the
 * permits. Every permit page, action and check starts with this read (`permit-access.ts`), so under load it was
 * one pool round trip per request; now it is one per batch. A batch is sent only after each of its reads was
 * asked, so each sees every write committed before it (docs/rest-api.md, "Reading a permit").
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

// NUL cannot occur in a stored id (the API refuses it), so it separates the two parts unambiguously.
const keyOf = (permitId: string, userId: string): string => `${permitId}\u0000${userId}`;

export function createBatchedPermitReads(knex: Knex, options: { maxInFlight?: number } = {}): (permitId: string, userId: string) => Promise<PermitWithTeamRoles | undefined> {
  const sql =
    `SELECT p.*, k.user_id AS reader_id, ` +
    `coalesce((SELECT json_agg(m.team_role) FROM ${TABLES.permitMembers} m WHERE m.permit_id = p.id AND m.user_id = k.user_id), '[]'::json) AS my_team_roles ` +
    `FROM unnest(?::text[], ?::text[]) AS k(permit_id, user_id) JOIN ${TABLES.permits} p ON p.id = k.permit_id`;
  const read = createReadBatcher<Read, Row, PermitWithTeamRoles>({
    keyOf: (key) => keyOf(key.permitId, key.userId),
    async load(keys) {
      const result = (await knex.raw(sql, [keys.map((key) => key.permitId), keys.map((key) => key.userId)])) as { rows: Row[] };
      return new Map(result.rows.map((row) => [keyOf(row.id, row.reader_id), row]));
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
