/**
 * Issue 12: the decision listener records a review when it accepts the completion of a decision user task, with
 * the task's assignee as reviewer; `audit.record`, which follows the task in the diagram, finds that record by
 * its process instance and element. Both columns stay NULL on rows written before.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const reviewDecisionTaskMigration: PermitMigration = {
  name: '0008-review-decision-task',
  async up(knex) {
    await runStatements(knex, [
      `ALTER TABLE review_decisions ADD COLUMN process_instance_key text NULL`,
      `ALTER TABLE review_decisions ADD COLUMN element_id text NULL`,
      `CREATE INDEX review_decisions_process_instance_idx ON review_decisions (process_instance_key, decided_at) WHERE process_instance_key IS NOT NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [
      `DROP INDEX review_decisions_process_instance_idx`,
      `ALTER TABLE review_decisions DROP COLUMN element_id`,
      `ALTER TABLE review_decisions DROP COLUMN process_instance_key`,
    ]);
  },
};
