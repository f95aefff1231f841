/**
 * Decisions at run time: finding the decision a caller means (by key, by id for the latest version, or as a
 * business rule task binds it) and evaluating it, writing one decision instance record per evaluated decision
 * (the required ones first, the called one last), as Zeebe's decision evaluation event lists them.
 * The evaluation itself is engine/dmn's (`evaluateDecision`), handed in as `evaluate`.
 */
import { invalidArgument, notFound } from '../../errors.js';
import type { CompiledDecisionRequirements, DecisionEvaluation } from '../../dmn/types.js';
import type { CalledDecisionDefinition } from '../../model/types.js';
import type { DecisionDefinitionRecord, DecisionInstanceRecord, DecisionRequirementsRecord, ProcessDefinitionRecord } from '../records.js';
import type { DeployedDecisionRequirements } from '../runtime-state.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Variables } from './variable-scopes.js';

/** engine/dmn's `evaluateDecision`: evaluates `decisionId` of `drg` (with its required decisions) on `variables`. */
export type EvaluateDecisionFn = (drg: CompiledDecisionRequirements, decisionId: string, variables: Variables) => DecisionEvaluation;

/** One evaluation of a called decision, as recorded. */
export interface DecisionEvaluationOutcome {
  decisionEvaluationKey: string;
  decision: DecisionDefinitionRecord;
  decisionRequirements: DecisionRequirementsRecord;
  evaluation: DecisionEvaluation;
  /** One per evaluated decision, in evaluation order. */
  instances: DecisionInstanceRecord[];
}

/** Where an evaluation came from, when a business rule task ran it. */
export interface EvaluationOrigin {
  processDefinitionKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
}

export class DecisionCommands {
  constructor(
    private readonly ctx: InterpreterContext,
    private readonly evaluate: EvaluateDecisionFn,
  ) {}

  /** `POST /decision-definitions/evaluation`: by key, or by id (its latest version). */
  evaluateStandalone(input: { decisionDefinitionKey?: string; decisionDefinitionId?: string; variables?: Variables }): DecisionEvaluationOutcome {
    let decision: DecisionDefinitionRecord | undefined;
    if (input.decisionDefinitionKey !== undefined) {
      decision = this.ctx.state.decisions.get(input.decisionDefinitionKey);
      if (!decision) throw notFound(`Expected to evaluate decision '${input.decisionDefinitionKey}', but no decision found for key '${input.decisionDefinitionKey}'`);
    } else if (input.decisionDefinitionId !== undefined) {
      decision = this.ctx.state.latestDecision.get(input.decisionDefinitionId);
      if (!decision) throw notFound(`Expected to evaluate decision '${input.decisionDefinitionId}', but no decision found for id '${input.decisionDefinitionId}'`);
    } else {
      throw invalidArgument('Expected either a decision id or a valid decision key, but none provided');
    }
    return this.run(decision, input.variables ?? {});
  }

  /**
   * The decision a business rule task calls, by its binding type: the latest version, the version deployed
   * together with the task's process, or the version with the task's version tag. A string says why none is found.
   */
  findCalled(decisionId: string, called: CalledDecisionDefinition, process: ProcessDefinitionRecord): DecisionDefinitionRecord | string {
    const s = this.ctx.state;
    switch (called.bindingType) {
      case 'latest':
        return s.latestDecision.get(decisionId) ?? `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`;
      case 'deployment': {
        const found = [...s.decisions.values()].find((d) => d.decisionDefinitionId === decisionId && d.deploymentKeys.includes(process.deploymentKey));
        return (
          found ??
          `Expected to evaluate decision '${decisionId}' with binding type 'deployment', but no such decision found in the deployment with key ${process.deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`
        );
      }
      case 'versionTag': {
        const tagged = [...s.decisions.values()].filter((d) => d.decisionDefinitionId === decisionId && d.versionTag === called.versionTag);
        const found = tagged.sort((a, b) => b.version - a.version)[0];
        return (
          found ??
          `Expected to evaluate decision with id '${decisionId}' and version tag '${called.versionTag ?? ''}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`
        );
      }
    }
  }

  /** Evaluates `decision` on `variables` and records its decision instances. */
  run(decision: DecisionDefinitionRecord, variables: Variables, origin?: EvaluationOrigin): DecisionEvaluationOutcome {
    const deployed = this.deployedDrgOf(decision);
    const evaluation = this.evaluate(deployed.drg, decision.decisionDefinitionId, variables);
    const decisionEvaluationKey = this.ctx.keys.next();
    const inDrg = new Map<string, DecisionDefinitionRecord>();
    for (const d of this.ctx.state.decisions.values()) {
      if (d.decisionRequirementsKey === decision.decisionRequirementsKey) inDrg.set(d.decisionDefinitionId, d);
    }
    const evaluationDate = this.ctx.iso();
    const instances = evaluation.evaluatedDecisions.map((evaluated, i): DecisionInstanceRecord => {
      const definition = inDrg.get(evaluated.decisionId);
      const failed = evaluation.failure !== undefined && evaluation.failure.decisionId === evaluated.decisionId;
      const instance: DecisionInstanceRecord = {
        kind: 'decisionInstance',
        instanceKey: this.ctx.keys.next(),
        decisionEvaluationInstanceKey: `${decisionEvaluationKey}-${i + 1}`,
        decisionEvaluationKey,
        state: failed ? 'FAILED' : 'EVALUATED',
        evaluationDate,
        ...(failed ? { evaluationFailure: evaluation.failure!.message } : {}),
        decisionDefinitionId: evaluated.decisionId,
        decisionDefinitionName: evaluated.decisionName,
        decisionDefinitionVersion: definition?.version ?? -1,
        decisionDefinitionType: evaluated.decisionType,
        decisionDefinitionKey: definition?.decisionDefinitionKey ?? '-1',
        decisionRequirementsKey: decision.decisionRequirementsKey,
        result: toJsonText(evaluated.output),
        tenantId: decision.tenantId,
        ...(origin ?? {}),
        evaluatedInputs: evaluated.evaluatedInputs.map((input) => ({
          inputId: input.inputId,
          inputName: input.inputName,
          inputValue: toJsonText(input.inputValue),
        })),
        matchedRules: evaluated.matchedRules.map((rule) => ({
          ruleId: rule.ruleId,
          ruleIndex: rule.ruleIndex,
          evaluatedOutputs: rule.evaluatedOutputs.map((output) => ({
            outputId: output.outputId,
            outputName: output.outputName,
            outputValue: toJsonText(output.outputValue),
          })),
        })),
      };
      this.ctx.state.touch(instance);
      return instance;
    });
    return { decisionEvaluationKey, decision, decisionRequirements: deployed.record, evaluation, instances };
  }

  private deployedDrgOf(decision: DecisionDefinitionRecord): DeployedDecisionRequirements {
    const deployed = this.ctx.state.decisionRequirements.get(decision.decisionRequirementsKey);
    if (!deployed) throw new Error(`decision requirements ${decision.decisionRequirementsKey} of decision ${decision.decisionDefinitionKey} are not loaded`);
    return deployed;
  }
}

/** A value as the JSON text Camunda reports outputs and inputs in (`null` for undefined). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}
