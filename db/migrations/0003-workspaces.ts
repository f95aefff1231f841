/** Workspaces: per permit and phase, the state the workers want and the state they last saw. */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const workspacesMigration: PermitMigration = {
  name: '0003-workspaces',
  async up(knex) {
    await runStatements(knex, [
      `CREATE TABLE workspaces (
        permit_id text NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
        phase text NOT NULL,
        desired_state jsonb NOT NULL DEFAULT '{}'::jsonb,
        observed_state jsonb NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (permit_id, phase)
      )`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, ['DROP TABLE workspaces']);
  },
};
