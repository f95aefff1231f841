/**
 * `DecisionStore` on the Permit Manager's database: `permits` and `permit_members` (author and teams), the audit
 * log (who submitted what, as the REST API recorded it), `egress_requests`, `review_decisions` and the user
 * directory. `record` writes the review row (once per `user_task_key`) and its audit entry (once per idempotency
 * key, the same key the REST API's review store uses) in one transaction.
 */
import type { Knex } from 'knex';
import { TEAM_ROLES, type TeamRole } from '../../shared/index.js';
import { TABLES, appendAudit, canonicalJson, toDirectoryRoles } from '../../db/index.js';
import type { AuthorSource, DecisionStore } from './decision-store.js';

/** The audit action of a recorded review, and of another decision task's completion. */
export const DECISION_AUDIT_ACTIONS = { review: 'review.decided', task: 'task.decided' } as const;

interface AuditActorRow {
  actor: string;
  details: unknown;
}

function detailsOf(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}

export function createKnexDecisionStore(knex: Knex): DecisionStore {
  async function auditActors(permitId: string, actions: readonly string[]): Promise<AuditActorRow[]> {
    return (await knex(TABLES.auditLog).where({ permit_id: permitId }).whereIn('action', [...actions]).orderBy('seq').select('actor', 'details')) as AuditActorRow[];
  }

  async function authors(permitId: string, source: AuthorSource, subject: { egressRequestId?: string; amendment?: unknown }): Promise<string[]> {
    switch (source.kind) {
      case 'audit-actions':
        return (await auditActors(permitId, source.actions)).map((row) => row.actor);
      case 'egress-request': {
        if (!subject.egressRequestId) return [];
        const row = (await knex(TABLES.egressRequests).where({ id: subject.egressRequestId, permit_id: permitId }).first('created_by', 'submitted_by')) as
          | { created_by: string; submitted_by: string | null }
          | undefined;
        return row ? [row.created_by, ...(row.submitted_by ? [row.submitted_by] : [])] : [];
      }
      case 'amendment-request': {
        const rows = await auditActors(permitId, [source.action]);
        const wanted = subject.amendment === undefined ? undefined : canonicalJson(subject.amendment);
        const matching = rows.filter((row) => {
          const variables = detailsOf(row.details).variables as { amendment?: unknown } | undefined;
          return wanted !== undefined && variables?.amendment !== undefined && canonicalJson(variables.amendment) === wanted;
        });
        // The amendment under review cannot be told apart: every requester counts, which is stricter, never looser.
        return (matching.length > 0 ? matching : rows).map((row) => row.actor);
      }
    }
  }

  return {
    async parties(permitId, auditActions = []) {
      // One query: the permit's author and the audit actors asked for (a lateral join, read once) on every member
      // row (one row with null member fields when it has none).
      const actions = [...auditActions];
      const asked = actions.length > 0 ? `l.action IN (${actions.map(() => '?').join(', ')})` : 'false';
      const rows = (await knex
        .select('p.created_by', 'm.user_id', 'm.team_role', 'a.actors')
        .from(`${TABLES.permits} as p`)
        .joinRaw(
          `CROSS JOIN LATERAL (SELECT coalesce(json_agg(l.actor ORDER BY l.seq), '[]'::json) AS actors FROM ?? AS l WHERE l.permit_id = p.id AND ${asked}) AS a`,
          [TABLES.auditLog, ...actions],
        )
        .leftJoin(`${TABLES.permitMembers} as m`, 'm.permit_id', 'p.id')
        .where('p.id', permitId)) as { created_by: string; user_id: string | null; team_role: string | null; actors: unknown }[];
      const [first] = rows;
      if (!first) return undefined;
      const actors = (typeof first.actors === 'string' ? JSON.parse(first.actors) : first.actors) as unknown;
      return {
        createdBy: first.created_by,
        members: rows
          .filter((m): m is typeof m & { user_id: string; team_role: string } => m.user_id !== null && m.team_role !== null && (TEAM_ROLES as readonly string[]).includes(m.team_role))
          .map((m) => ({ userId: m.user_id, teamRole: m.team_role as TeamRole })),
        auditActors: Array.isArray(actors) ? actors.map(String) : [],
      };
    },

    authors,

    async egressReviews(egressRequestId) {
      const rows = (await knex(TABLES.reviewDecisions)
        .where({ egress_request_id: egressRequestId })
        .orderBy([{ column: 'decided_at' }, { column: 'id' }])
        .select('user_task_key', 'reviewer', 'decision')) as { user_task_key: string | null; reviewer: string; decision: string }[];
      return rows.map((row) => ({ userTaskKey: row.user_task_key, reviewer: row.reviewer, decision: row.decision }));
    },

    async directoryRoles(userId) {
      const row = (await knex(TABLES.userDirectory).where({ user_id: userId }).first('roles')) as { roles: unknown } | undefined;
      return row ? toDirectoryRoles(row.roles) : [];
    },

    async record(decision) {
      return knex.transaction(async (trx) => {
        const { review } = decision;
        if (review) {
          await trx(TABLES.reviewDecisions)
            .insert({
              id: review.id,
              permit_id: decision.permitId,
              stage: review.stage,
              decision: review.decision,
              comment: review.comment,
              checklist: review.checklist === null || review.checklist === undefined ? null : JSON.stringify(review.checklist),
              reviewer: decision.decider,
              submitted_by: review.submittedBy,
              egress_request_id: review.egressRequestId,
              user_task_key: decision.userTaskKey,
              process_instance_key: decision.processInstanceKey,
              element_id: decision.elementId,
            })
            .onConflict('user_task_key')
            .ignore();
          const { created } = await appendAudit(trx, {
            actor: decision.decider,
            action: DECISION_AUDIT_ACTIONS.review,
            permitId: decision.permitId,
            idempotencyKey: `review-decision:${decision.userTaskKey}`,
            details: {
              reviewDecisionId: review.id,
              stage: review.stage,
              decision: review.decision,
              comment: review.comment,
              submittedBy: review.submittedBy,
              egressRequestId: review.egressRequestId,
              userTaskKey: decision.userTaskKey,
              elementId: decision.elementId,
            },
          });
          return { recorded: created };
        }
        const { created } = await appendAudit(trx, {
          actor: decision.decider,
          action: DECISION_AUDIT_ACTIONS.task,
          permitId: decision.permitId,
          idempotencyKey: `task-decision:${decision.userTaskKey}`,
          details: { userTaskKey: decision.userTaskKey, elementId: decision.elementId, processInstanceKey: decision.processInstanceKey, formId: decision.formId, values: decision.values ?? {} },
        });
        return { recorded: created };
      });
    },
  };
}
