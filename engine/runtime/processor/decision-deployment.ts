/**
 * DMN resources in a deployment, versioned as Zeebe versions them (DmnResourceTransformer): a decision
 * requirements graph (DRG) whose resource is unchanged (same checksum and resource name, and still the DRG of the
 * latest version of each of its decisions) keeps its version and keys, and so do its decisions; otherwise it gets
 * the DRG's next version and each of its decisions the next version of that decision id, whichever DRG held it
 * before. DRG ids and decision ids must be unique within one deployment.
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

/** Refuses DRG ids and decision ids that occur twice among the deployment's DMN resources, with Zeebe's wording. */
export function checkDecisionIds(resources: ReadonlyArray<{ resourceName: string; drg: CompiledDecisionRequirements }>): void {
  const drgResource = new Map<string, string>();
  const decisionResource = new Map<string, string>();
  for (const { resourceName, drg } of resources) {
    const sameDrg = drgResource.get(drg.id);
    if (sameDrg !== undefined) {
      throw invalidArgument(`Expected the decision requirements ids to be unique within a deployment but found a duplicated id '${drg.id}' in the resources '${sameDrg}' and '${resourceName}'.`);
    }
    drgResource.set(drg.id, resourceName);
    for (const decision of drg.decisions) {
      const sameDecision = decisionResource.get(decision.id);
      if (sameDecision !== undefined) {
        throw invalidArgument(`Expected the decision ids to be unique within a deployment but found a duplicated id '${decision.id}' in the resources '${sameDecision}' and '${resourceName}'.`);
      }
      decisionResource.set(decision.id, resourceName);
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
  const unchanged =
    latest !== undefined &&
    latest.record.checksum === checksum &&
    latest.record.resourceName === resource.resourceName &&
    drg.decisions.every((d) => s.latestDecision.get(d.id)?.decisionRequirementsKey === latest.record.decisionRequirementsKey);
  if (unchanged) {
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
