/**
 * Issue 19: the number of independent reviews an output request needs is the HDAB's output release policy's
 * (the decision table bpmn/output-release-policy.dmn, called by BPMN 5 at each review round), no longer the research
 * team's choice. `required_reviews` is null until the policy decides (a DRAFT), and `required_reviews_reason` keeps
 * the reason the policy gave. Requests created before keep the number the team chose, with a reason saying so; a
 * DRAFT's number was never decided by anyone but the team, so it is cleared for the policy to decide at submission.
 */
import type { PermitMigration } from './permit-migration.js';
import { runStatements } from './permit-migration.js';

export const TEAM_CHOSEN_REASON = 'Chosen by the research team when the request was created, before the HDAB\'s output release policy decided it.';

export const egressReleasePolicyMigration: PermitMigration = {
  name: '0016-egress-release-policy',
  async up(knex) {
    await runStatements(knex, [
      'ALTER TABLE egress_requests ALTER COLUMN required_reviews DROP NOT NULL',
      'ALTER TABLE egress_requests ALTER COLUMN required_reviews DROP DEFAULT',
      'ALTER TABLE egress_requests ADD COLUMN required_reviews_reason text NULL',
      `UPDATE egress_requests SET required_reviews = NULL WHERE status = 'DRAFT'`,
      `UPDATE egress_requests SET required_reviews_reason = '${TEAM_CHOSEN_REASON.replaceAll("'", "''")}' WHERE required_reviews IS NOT NULL`,
    ]);
  },
  async down(knex) {
    await runStatements(knex, [
      'UPDATE egress_requests SET required_reviews = 1 WHERE required_reviews IS NULL',
      'ALTER TABLE egress_requests DROP COLUMN required_reviews_reason',
      'ALTER TABLE egress_requests ALTER COLUMN required_reviews SET DEFAULT 1',
      'ALTER TABLE egress_requests ALTER COLUMN required_reviews SET NOT NULL',
    ]);
  },
};
