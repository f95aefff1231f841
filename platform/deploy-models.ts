/**
 * Deploys the product's process models — every `bpmn/*.bpmn`, the HDAB's decision tables `bpmn/*.dmn` (issue 19)
 * and `forms/*.form`, unchanged — in one deployment through the official client. Deploying identical files again keeps their versions (Camunda compares checksums),
 * so this runs on every start.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../shared/repo-root.js';

export { REPO_ROOT };
export const MODEL_FOLDERS = ['bpmn', 'forms'] as const;
/** What is deployed from those folders: diagrams, decision tables (DMN) and forms. */
export const MODEL_EXTENSIONS = ['.bpmn', '.dmn', '.form'] as const;

export interface DeployClient {
  createDeployment(request: { resources: File[] }): Promise<unknown>;
}

export interface DeployedModels {
  processes: Array<{ processDefinitionId: string; processDefinitionVersion: number }>;
  decisions: Array<{ decisionDefinitionId: string; version: number }>;
  forms: Array<{ formId: string; version: number }>;
}

/** The files to deploy, sorted, as `File`s named after their file names. */
export async function readModelFiles(root: string = REPO_ROOT): Promise<File[]> {
  const files: File[] = [];
  for (const folder of MODEL_FOLDERS) {
    const names = (await readdir(join(root, folder))).filter((name) => MODEL_EXTENSIONS.some((extension) => name.endsWith(extension))).sort();
    for (const name of names) files.push(new File([await readFile(join(root, folder, name))], name, { type: 'application/octet-stream' }));
  }
  if (files.length === 0) throw new Error(`Nothing to deploy: ${MODEL_FOLDERS.join('/ and ')}/ under ${root} hold no .bpmn, .dmn or .form files.`);
  return files;
}

export async function deployModels(client: DeployClient, root: string = REPO_ROOT): Promise<DeployedModels> {
  const result = (await client.createDeployment({ resources: await readModelFiles(root) })) as {
    processes?: Array<{ processDefinitionId: unknown; processDefinitionVersion: unknown }>;
    decisions?: Array<{ decisionDefinitionId: unknown; version: unknown }>;
    forms?: Array<{ formId: unknown; version: unknown }>;
  };
  return {
    processes: (result.processes ?? []).map((p) => ({ processDefinitionId: String(p.processDefinitionId), processDefinitionVersion: Number(p.processDefinitionVersion) })),
    decisions: (result.decisions ?? []).map((d) => ({ decisionDefinitionId: String(d.decisionDefinitionId), version: Number(d.version) })),
    forms: (result.forms ?? []).map((f) => ({ formId: String(f.formId), version: Number(f.version) })),
  };
}
