/**
 * What the HTTP layer may ask of the engine about decisions (DMN): evaluate one (a command, through the
 * command queue), and read deployed decision requirements, decisions and decision instances (queries, from
 * the store). Part of `EngineApi` (engine-api.ts).
 */
import type { SearchQuery, SearchResult } from '../store/store.js';
import type { DecisionEvaluationOutcome } from './processor/decision-commands.js';
import type { DecisionDefinitionRecord, DecisionInstanceRecord, DecisionRequirementsRecord } from './records.js';

export type { DecisionEvaluationOutcome } from './processor/decision-commands.js';

/** `POST /decision-definitions/evaluation` after validation: exactly one of key and id. */
export interface EvaluateDecisionInput {
  decisionDefinitionKey?: string;
  decisionDefinitionId?: string;
  variables?: Record<string, unknown>;
}

export interface DecisionApi {
  /** Evaluates the decision (latest version for an id); a failed evaluation is an answer too (`evaluation.failure`). */
  evaluateDecision(input: EvaluateDecisionInput): Promise<DecisionEvaluationOutcome>;
  searchDecisionDefinitions(q: SearchQuery): Promise<SearchResult<DecisionDefinitionRecord>>;
  getDecisionDefinition(key: string): Promise<DecisionDefinitionRecord>;
  searchDecisionRequirements(q: SearchQuery): Promise<SearchResult<DecisionRequirementsRecord>>;
  getDecisionRequirements(key: string): Promise<DecisionRequirementsRecord>;
  searchDecisionInstances(q: SearchQuery): Promise<SearchResult<DecisionInstanceRecord>>;
  /** By `decisionEvaluationInstanceKey` (`<decisionEvaluationKey>-<n>`). */
  getDecisionInstance(decisionEvaluationInstanceKey: string): Promise<DecisionInstanceRecord>;
}
