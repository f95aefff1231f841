/**
 * The platform's rules per decision task, keyed like `DECISION_TASKS` (`"<process id>/<element id>"`): who may
 * decide, where the authors of what is decided are recorded, and which process variables name what is decided (a
 * completion must not change them). `satisfies Record<DecisionTaskId, …>` makes a decision task without rules a
 * compile error. Rules every task shares (assigned, not on the research team, not a data holder, not the permit's
 * creator, valid form values) are in `check-decision-handler.ts`.
 *
 * The audit actions are those the REST API records for the permit actions (`permit.<action>`, see
 * `rest-api/permits/permit-action-runner.ts`): the audit log is append-only and hash-chained, so it is where a
 * submission's author is kept for good.
 */
import { PROCESS_VARIABLES, type DecisionTaskId } from '../../shared/index.js';
import type { AuthorSource } from './decision-store.js';

export interface TaskRules {
  /**
   * `hdab-team`: the assignee is on the permit's HDAB team. `admin`: the assignee has the `admin` role in the user
   * directory (operator tasks, candidate group `spe-operators`: operators are the platform's administrators and
   * belong to no permit's team).
   */
  decider: 'hdab-team' | 'admin';
  /** Who wrote or submitted what is decided; none of them may decide. */
  authors: readonly AuthorSource[];
  /** Variables naming what is decided, besides `permitId`: they must equal what the process instance holds. */
  subjectVariables: readonly string[];
}

const APPLICATION_AUTHORS: AuthorSource = { kind: 'audit-actions', actions: ['permit.submit', 'permit.provide-info'] };

export const DECISION_RULES = {
  'spe-permit-application/Task_AssessApplication': { decider: 'hdab-team', authors: [APPLICATION_AUTHORS], subjectVariables: [] },
  'spe-data-ingress/Task_HandleBlockedDelivery': { decider: 'hdab-team', authors: [{ kind: 'audit-actions', actions: ['permit.confirm-upload'] }], subjectVariables: [] },
  'spe-data-ingress/Task_PrepareData': { decider: 'hdab-team', authors: [], subjectVariables: [] },
  'spe-environment-setup/Task_ResolveProvisioning': { decider: 'admin', authors: [], subjectVariables: [] },
  'spe-environment-setup/Task_ReviewSetup': { decider: 'hdab-team', authors: [{ kind: 'audit-actions', actions: ['permit.submit-setup-for-review'] }], subjectVariables: [] },
  'spe-output-review/Task_ReviewOutput': { decider: 'hdab-team', authors: [{ kind: 'egress-request' }], subjectVariables: [PROCESS_VARIABLES.egressRequestId] },
  'spe-output-review/Task_SecondOutputReview': { decider: 'hdab-team', authors: [{ kind: 'egress-request' }], subjectVariables: [PROCESS_VARIABLES.egressRequestId] },
  'spe-permit-amendment/Task_AssessAmendment': {
    decider: 'hdab-team',
    authors: [{ kind: 'amendment-request', action: 'permit.request-amendment' }],
    subjectVariables: [PROCESS_VARIABLES.amendment],
  },
} as const satisfies Record<DecisionTaskId, TaskRules>;
