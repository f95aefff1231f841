/** POST /deployments: multipart `.bpmn`, `.dmn` and `.form` resources, several per request. */
import { Router } from 'express';
import type { DeployResult, EngineApi } from '../../runtime/engine-api.js';
import { TENANT } from '../../runtime/records.js';
import { readDeploymentForm } from '../read-deployment-form.js';
import { parseWith, tenantId } from '../validation.js';

/**
 * DeploymentResult: one entry per deployed process / decision / decision requirements / form, in the order of
 * the uploaded resources (a DMN resource: its decisions, then its decision requirements, as Zeebe lists them).
 */
export function mapDeployResult(result: DeployResult, resourceOrder: string[]): Record<string, unknown> {
  const rank = (name: string): number => {
    const i = resourceOrder.indexOf(name);
    return i === -1 ? resourceOrder.length : i;
  };
  const entries = [
    ...result.processes.map((p) => ({
      rank: rank(p.resourceName),
      entry: {
        processDefinition: {
          processDefinitionId: p.processDefinitionId,
          processDefinitionVersion: p.version,
          resourceName: p.resourceName,
          tenantId: p.tenantId,
          processDefinitionKey: p.processDefinitionKey,
        },
      },
    })),
    ...(result.decisions ?? []).map((d) => ({
      rank: rank(result.decisionRequirements?.find((r) => r.decisionRequirementsKey === d.decisionRequirementsKey)?.resourceName ?? ''),
      entry: {
        decisionDefinition: {
          decisionDefinitionId: d.decisionDefinitionId,
          version: d.version,
          name: d.name,
          tenantId: d.tenantId,
          decisionRequirementsId: d.decisionRequirementsId,
          decisionDefinitionKey: d.decisionDefinitionKey,
          decisionRequirementsKey: d.decisionRequirementsKey,
        },
      },
    })),
    ...(result.decisionRequirements ?? []).map((r) => ({
      rank: rank(r.resourceName),
      entry: {
        decisionRequirements: {
          decisionRequirementsId: r.decisionRequirementsId,
          version: r.version,
          decisionRequirementsName: r.decisionRequirementsName,
          tenantId: r.tenantId,
          resourceName: r.resourceName,
          decisionRequirementsKey: r.decisionRequirementsKey,
        },
      },
    })),
    ...result.forms.map((f) => ({
      rank: rank(f.resourceName),
      entry: { form: { formId: f.formId, version: f.version, resourceName: f.resourceName, tenantId: f.tenantId, formKey: f.formKey } },
    })),
  ];
  entries.sort((a, b) => a.rank - b.rank);
  return {
    deploymentKey: result.deployment.deploymentKey,
    tenantId: result.deployment.tenantId || TENANT,
    deployments: entries.map((e) => e.entry),
  };
}

export function deploymentsRouter(api: EngineApi): Router {
  const router = Router();
  router.post('/deployments', async (req, res) => {
    const form = await readDeploymentForm(req);
    if (form.tenantId !== undefined) parseWith(tenantId, form.tenantId, 'tenantId');
    const result = await api.deploy(form.resources);
    res.json(mapDeployResult(result, form.resources.map((r) => r.name)));
  });
  return router;
}
