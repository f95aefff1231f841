/** Rows for tests: a permit or an egress request inserted directly, in the status the test needs. */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EgressStatus, PermitStatus } from '../../shared/index.js';
import type { EgressRequestRow } from '../egress/egress-request-rows.js';
import type { PermitRow } from '../permits/permit-rows.js';
import { TABLES } from '../types.js';

export async function insertPermit(knex: Knex, over: { id?: string; status?: PermitStatus; version?: number; processInstanceKey?: string | null } = {}): Promise<PermitRow> {
  const [row] = (await knex(TABLES.permits)
    .insert({
      id: over.id ?? randomUUID(),
      title: 'Cardiovascular outcomes after COVID-19',
      purpose: 'Scientific research on cardiovascular outcomes',
      status: over.status ?? 'DRAFT',
      created_by: 'alice',
      version: over.version ?? 1,
      process_instance_key: over.processInstanceKey ?? null,
    })
    .returning('*')) as PermitRow[];
  return row!;
}

export async function insertEgressRequest(knex: Knex, permitId: string, over: { id?: string; status?: EgressStatus } = {}): Promise<EgressRequestRow> {
  const [row] = (await knex(TABLES.egressRequests)
    .insert({
      id: over.id ?? randomUUID(),
      permit_id: permitId,
      status: over.status ?? 'DRAFT',
      title: 'Aggregate tables for the paper',
      files: JSON.stringify([{ path: 'outputs/table-1.csv', description: 'Counts by region, n >= 10' }]),
      created_by: 'alice',
    })
    .returning('*')) as EgressRequestRow[];
  return row!;
}
