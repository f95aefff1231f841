/**
 * DMN resources in a deployment, versioned as Zeebe versions them: a decision requirements graph (DRG) whose
 * resource is unchanged (same checksum and resource name) keeps its version and keys, and so do its decisions;
 * a changed one gets the DRG's next version and each of its decisions the next version of that decision id.
 * A decision id belongs to one DRG id: deploying it in another DRG is refused, as Zeebe refuses it.
 */
import { invalidArgument } from '../../errors.js';
import type { CompiledDecisionRequirements } from '../../dmn/types.js';
import type { DecisionDefinitionRecord, DecisionRequirementsRecord } from '../records.js';
import { TENANT } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';

export interface DeployedDecisions {
  decisionRequirements: DecisionRequirementsRecord;
  decisions: DecisionDefinitionRecord[];
}

/** Refuses DRG and decision ids that clash within the deployment or with a decision of another deployed DRG. */
export function checkDecisionIds(drgs: readonly CompiledDecisionRequirements[], ctx: InterpreterContext): void {
  const drgIds = new Set<string>();
  const decisionDrg = new Map<string, string>();
  for (const drg of drgs) {
    if (drgIds.has(drg.id)) throw invalidArgument(`Duplicated decision requirements id '${drg.id}' in resources of one deployment`);
    drgIds.add(drg.id);
    for (const decision of drg.decisions) {
      if (decisionDrg.has(decision.id)) throw invalidArgument(`Duplicated decision id '${decision.id}' in resources of one deployment`);
      decisionDrg.set(decision.id, drg.id);
      const deployed = ctx.state.latestDecision.get(decision.id);
      if (deployed && deployed.decisionRequirementsId !== drg.id) {
        throw invalidArgument(
          `Expected the decision ids to be unique within the deployed decision requirements, but decision '${decision.id}' of '${drg.id}' is already deployed in decision requirements '${deployed.decisionRequirementsId}'`,
        );
      }
    }
  }
}

/** Deploys one DMN resource (its DRG already compiled), or finds its identical deployed version. */
export function deployDecisionRequirements(
  ctx: InterpreterContext,
  resource: { resourceName: string; content: string; drg: CompiledDecisionRequirements },
  checksum: string,
  deploymentKey: string,
): DeployedDecisions {
  const s = ctx.state;
  const { drg } = resource;
  const latest = s.latestDecisionRequirements.get(drg.id);
  if (latest && latest.record.checksum === checksum && latest.record.resourceName === resource.resourceName) {
    const decisions = [...s.decisions.values()].filter((d) => d.decisionRequirementsKey === latest.record.decisionRequirementsKey);
    for (const d of decisions) {
      if (d.deploymentKeys.includes(deploymentKey)) continue;
      d.deploymentKeys.push(deploymentKey);
      s.touch(d);
    }
    return { decisionRequirements: latest.record, decisions };
  }
  const record: DecisionRequirementsRecord = {
    kind: 'decisionRequirements',
    decisionRequirementsKey: ctx.keys.next(),
    decisionRequirementsId: drg.id,
    decisionRequirementsName: drg.name,
    version: s.nextVersion('decisionRequirements', drg.id),
    resourceName: resource.resourceName,
    tenantId: TENANT,
    deploymentKey,
    checksum,
    xml: resource.content,
  };
  s.addDecisionRequirements({ record, drg });
  s.touch(record);
  const decisions = drg.decisions.map((decision) => {
    const d: DecisionDefinitionRecord = {
      kind: 'decisionDefinition',
      decisionDefinitionKey: ctx.keys.next(),
      decisionDefinitionId: decision.id,
      name: decision.name,
      version: s.nextVersion('decision', decision.id),
      ...(decision.versionTag ? { versionTag: decision.versionTag } : {}),
      decisionRequirementsId: drg.id,
      decisionRequirementsKey: record.decisionRequirementsKey,
      tenantId: TENANT,
      deploymentKey,
      decisionDefinitionType: decision.type,
      deploymentKeys: [deploymentKey],
    };
    s.addDecision(d);
    s.touch(d);
    return d;
  });
  return { decisionRequirements: record, decisions };
}
