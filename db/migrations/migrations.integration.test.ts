import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../audit/audit-hash.js';
import { migratorConfig, type Database } from '../create-database.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { PERMIT_MIGRATIONS } from './permit-migrations.js';

/** table → "column type null|not null", exactly as context.md specifies them (knex's bookkeeping tables left out). */
const EXPECTED_COLUMNS: Record<string, string[]> = {
  permits: [
    'id text not null', 'title text not null', 'purpose text not null', 'status text not null',
    'valid_from timestamp with time zone null', 'valid_until timestamp with time zone null', 'deletion_grace_period text null',
    'process_instance_key text null', 'created_by text not null', 'created_at timestamp with time zone not null',
    'updated_at timestamp with time zone not null', 'version integer not null',
  ],
  permit_members: ['permit_id text not null', 'user_id text not null', 'team_role text not null', 'added_by text not null', 'added_at timestamp with time zone not null'],
  permit_status_history: [
    'id bigint not null', 'permit_id text not null', 'previous_status text null', 'new_status text not null', 'actor text not null',
    'reason text null', 'version integer not null', 'process_instance_key text null', 'occurred_at timestamp with time zone not null',
  ],
  review_decisions: [
    'id text not null', 'permit_id text not null', 'stage text not null', 'decision text not null', 'comment text null', 'checklist jsonb null',
    'reviewer text not null', 'submitted_by text null', 'egress_request_id text null', 'user_task_key text null', 'decided_at timestamp with time zone not null',
    'process_instance_key text null', 'element_id text null',
  ],
  egress_requests: [
    'id text not null', 'permit_id text not null', 'status text not null', 'title text not null', 'files jsonb not null', 'disclosure_checks jsonb null',
    'required_reviews integer null', 'created_by text not null', 'submitted_by text null', 'created_at timestamp with time zone not null',
    'updated_at timestamp with time zone not null', 'version integer not null', 'required_reviews_reason text null',
  ],
  workspaces: ['permit_id text not null', 'phase text not null', 'desired_state jsonb not null', 'observed_state jsonb null', 'updated_at timestamp with time zone not null'],
  outbox_events: [
    'seq bigint not null', 'id text not null', 'name text not null', 'permit_id text null', 'payload jsonb not null', 'occurred_at timestamp with time zone not null',
    'published_at timestamp with time zone null', 'attempts integer not null', 'last_error text null',
  ],
  audit_log: [
    'seq bigint not null', 'occurred_at timestamp with time zone not null', 'actor text not null', 'action text not null', 'permit_id text null',
    'details jsonb not null', 'idempotency_key text null', 'prev_hash text not null', 'hash text not null',
  ],
  audit_chain_head: ['id boolean not null', 'last_seq bigint not null', 'last_hash text not null'],
  notifications: [
    'id text not null', 'user_id text not null', 'permit_id text null', 'template text not null', 'title text not null', 'body text not null', 'link text null',
    'critical boolean not null', 'idempotency_key text not null', 'created_at timestamp with time zone not null', 'read_at timestamp with time zone null',
  ],
  notification_deliveries: [
    'idempotency_key text not null', 'channel text not null', 'recipient text not null', 'permit_id text null', 'template text not null', 'status text not null',
    'claimed_at timestamp with time zone not null', 'delivered_at timestamp with time zone null', 'attempts integer not null', 'last_error text null', 'detail jsonb not null',
  ],
  notification_preferences: ['user_id text not null', 'channel text not null', 'enabled boolean not null', 'updated_at timestamp with time zone not null'],
  user_directory: [
    'user_id text not null', 'display_name text not null', 'email text null', 'slack_user_id text null', 'roles jsonb not null', 'updated_at timestamp with time zone not null',
  ],
  rate_limit_counters: ['key text not null', 'hits integer not null', 'reset_at timestamp with time zone not null'],
  idempotency_keys: [
    'caller text not null', 'key text not null', 'method text not null', 'path text not null', 'fingerprint text not null', 'status text not null',
    'response_status integer null', 'response_headers jsonb null', 'response_body text null', 'created_at timestamp with time zone not null',
    'expires_at timestamp with time zone not null', 'resource_id text null',
  ],
  engine_commands: [
    'message_id text not null', 'permit_id text not null', 'message_name text not null', 'correlation_key text not null', 'variables jsonb not null',
    'status text not null', 'attempts integer not null', 'last_error text null', 'created_at timestamp with time zone not null',
    'delivered_at timestamp with time zone null', 'kind text not null', 'leased_until timestamp with time zone null',
  ],
  event_stream_leases: [
    'stream_id text not null', 'user_id text not null', 'instance_id text not null', 'opened_at timestamp with time zone not null',
    'expires_at timestamp with time zone not null',
  ],
  airlock_objects: [
    'permit_id text not null', 'zone text not null', 'path text not null', 'sha256 text not null', 'size_bytes bigint not null', 'put_by text not null',
    'put_at timestamp with time zone not null', 'delivery_id text null', 'output_request_id text null',
  ],
  airlock_uploads: [
    'id text not null', 'permit_id text not null', 'delivery_id text not null', 'path text not null', 'length bigint not null', 'offset bigint not null',
    'created_by text not null', 'created_at timestamp with time zone not null', 'expires_at timestamp with time zone not null',
    'completed_at timestamp with time zone null', 'sha256 text null',
  ],
  egress_file_checks: [
    'egress_request_id text not null', 'permit_id text not null', 'path text not null', 'sha256 text not null', 'size_bytes bigint not null',
    'media_type text not null', 'status text not null', 'result jsonb not null', 'checked_at timestamp with time zone not null',
  ],
  permit_disclosure_thresholds: ['permit_id text not null', 'thresholds jsonb not null', 'set_by text not null', 'set_at timestamp with time zone not null'],
  egress_releases: [
    'egress_request_id text not null', 'permit_id text not null', 'released_at timestamp with time zone not null', 'files jsonb not null',
    'crate text not null', 'manifest text not null', 'checks text not null',
  ],
  outputs_sync_tokens: [
    'id text not null', 'permit_id text not null', 'secret_sha256 text not null', 'issued_by text not null', 'issued_at timestamp with time zone not null',
    'expires_at timestamp with time zone not null', 'revoked_at timestamp with time zone null', 'revoked_reason text null',
  ],
};

const EXPECTED_INDEXES = [
  'permits_status_idx',
  'permit_members_user_id_idx',
  'permit_status_history_permit_id_idx',
  'outbox_events_unpublished_idx',
  'audit_log_permit_id_idx',
  'review_decisions_user_task_key_unique',
  'review_decisions_process_instance_idx',
  'outbox_events_id_unique',
  'audit_log_idempotency_key_unique',
  'notifications_idempotency_key_user_id_unique',
  'notifications_user_id_created_at_idx',
  'notifications_user_id_unread_idx',
  'notification_deliveries_pkey',
  'notification_preferences_pkey',
  'user_directory_pkey',
  'rate_limit_counters_pkey',
  'rate_limit_counters_reset_at_idx',
  'idempotency_keys_pkey',
  'idempotency_keys_expires_at_idx',
  'engine_commands_pkey',
  'engine_commands_pending_idx',
  'engine_commands_permit_id_idx',
  'event_stream_leases_pkey',
  'event_stream_leases_user_id_idx',
  'airlock_objects_pkey',
  'airlock_objects_delivery_idx',
  'airlock_uploads_permit_idx',
  'egress_file_checks_pkey',
  'permit_disclosure_thresholds_pkey',
  'egress_releases_pkey',
  'egress_releases_permit_idx',
  'outputs_sync_tokens_pkey',
  'outputs_sync_tokens_live_idx',
];

async function columnsOf(db: Database): Promise<Record<string, string[]>> {
  const { rows } = (await db.knex.raw(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position`,
    [db.schema],
  )) as { rows: Array<{ table_name: string; column_name: string; data_type: string; is_nullable: string }> };
  const tables: Record<string, string[]> = {};
  for (const r of rows.filter((r) => !r.table_name.startsWith('permit_knex_migrations'))) (tables[r.table_name] ??= []).push(`${r.column_name} ${r.data_type} ${r.is_nullable === 'YES' ? 'null' : 'not null'}`);
  return tables;
}

async function indexesOf(db: Database): Promise<string[]> {
  const { rows } = (await db.knex.raw('SELECT indexname FROM pg_indexes WHERE schemaname = ?', [db.schema])) as { rows: Array<{ indexname: string }> };
  return rows.map((r) => r.indexname);
}

const targets = testDatabaseTargets();

describe.each(targets)('Permit Manager migrations on $name', (target) => {
  let db: Database;
  beforeEach(async () => {
    db = await target.open({ migrate: false });
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('creates exactly the tables and columns of the contract, with the indexes', async () => {
    expect(await db.migrateLatest()).toEqual(PERMIT_MIGRATIONS.map((m) => m.name));
    expect(await columnsOf(db)).toEqual(EXPECTED_COLUMNS);
    expect(await indexesOf(db)).toEqual(expect.arrayContaining(EXPECTED_INDEXES));
  });

  it('is idempotent: a second migrateLatest applies nothing', async () => {
    await db.migrateLatest();
    expect(await db.migrateLatest()).toEqual([]);
  });

  it('starts the audit chain at the genesis hash', async () => {
    await db.migrateLatest();
    expect(await db.knex('audit_chain_head').select('last_seq', 'last_hash')).toEqual([{ last_seq: expect.anything(), last_hash: GENESIS_HASH }]);
    expect(Number((await db.knex('audit_chain_head').first('last_seq'))!.last_seq)).toBe(0);
  });

  it('reverts every migration, leaving no table or function behind, and applies them again', async () => {
    await db.migrateLatest();
    expect(await db.migrateDown(true)).toEqual(PERMIT_MIGRATIONS.map((m) => m.name).reverse());
    expect(await columnsOf(db)).toEqual({});
    const { rows } = (await db.knex.raw(`SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?`, [db.schema])) as {
      rows: Array<{ n: number }>;
    };
    expect(rows[0]!.n).toBe(0);
    await db.migrateLatest();
    expect(await columnsOf(db)).toEqual(EXPECTED_COLUMNS);
  });

  it('reverts each migration on its own, in the middle of the stack, and applies it again', async () => {
    const config = migratorConfig(db.schema);
    for (const migration of PERMIT_MIGRATIONS) {
      const before = await columnsOf(db);
      const [, up] = (await db.knex.migrate.up(config)) as [number, string[]];
      expect(up).toEqual([migration.name]);
      const after = await columnsOf(db);
      const [, down] = (await db.knex.migrate.down(config)) as [number, string[]];
      expect(down).toEqual([migration.name]);
      expect(await columnsOf(db), `${migration.name} down`).toEqual(before);
      await db.knex.migrate.up(config);
      expect(await columnsOf(db), `${migration.name} up again`).toEqual(after);
    }
  });

  it('keeps one in-app notification per recipient per idempotency key and a consistent delivery ledger', async () => {
    await db.migrateLatest();
    const notification = { user_id: 'alice', template: 'workspace-ready', title: 't', body: 'b', idempotency_key: 'k1' };
    await db.knex('notifications').insert({ id: 'n1', ...notification });
    await expect(db.knex('notifications').insert({ id: 'n2', ...notification })).rejects.toThrow(/notifications_idempotency_key_user_id_unique/);
    await db.knex('notifications').insert({ id: 'n3', ...notification, user_id: 'rita' });
    const delivery = { idempotency_key: 'k1', channel: 'email', recipient: 'alice', template: 'workspace-ready' };
    await expect(db.knex('notification_deliveries').insert({ ...delivery, status: 'sent' })).rejects.toThrow(/notification_deliveries_sent_has_time/);
    await expect(db.knex('notification_deliveries').insert({ ...delivery, status: 'lost' })).rejects.toThrow(/notification_deliveries_status/);
    await db.knex('notification_deliveries').insert({ ...delivery, status: 'claimed' });
    await expect(db.knex('notification_deliveries').insert({ ...delivery, status: 'claimed' })).rejects.toThrow(/notification_deliveries_pkey/);
  });

  it('refuses to change or delete audit entries while the append-only trigger is on', async () => {
    await db.migrateLatest();
    await db.knex('audit_log').insert({ seq: 1, occurred_at: new Date(), actor: 'a', action: 'x', details: '{}', prev_hash: GENESIS_HASH, hash: 'h' });
    await expect(db.knex('audit_log').update({ actor: 'mallory' })).rejects.toThrow(/append-only: UPDATE of entry 1 refused/);
    await expect(db.knex('audit_log').delete()).rejects.toThrow(/append-only: DELETE of entry 1 refused/);
  });
});
