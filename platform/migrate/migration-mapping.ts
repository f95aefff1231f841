/**
 * The mapping file of `npm run migrate` (YAML or JSON): which process, from which version to which, and where each
 * element of the old version goes in the new one, in Camunda's own words (`mappingInstructions` of
 * `POST /v2/process-instances/{key}/migration`):
 *
 *   processDefinitionId: spe-environment-setup
 *   sourceVersion: 1
 *   targetVersion: 2
 *   mappingInstructions:
 *     - sourceElementId: Task_ReviewSetup
 *       targetElementId: Task_ReviewSetup
 *
 * Every problem of a file is reported at once, each naming the field, so one edit fixes them all.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export interface MappingInstruction {
  sourceElementId: string;
  targetElementId: string;
}

export interface MigrationMapping {
  processDefinitionId: string;
  sourceVersion: number;
  targetVersion: number;
  mappingInstructions: MappingInstruction[];
}

/** A mapping file that cannot be used: the file and every problem in it. */
export class MappingFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`The mapping file ${file} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MappingFileError';
  }
}

const ElementId = z.string().trim().min(1, 'must name an element id (not empty)');
const Version = z.number().int('must be a whole number').positive('must be 1 or more');

const MappingSchema = z
  .strictObject({
    processDefinitionId: z.string().trim().min(1, 'must name the process id (the BPMN process element\'s id, e.g. spe-environment-setup)'),
    sourceVersion: Version,
    targetVersion: Version,
    mappingInstructions: z
      .array(z.strictObject({ sourceElementId: ElementId, targetElementId: ElementId }))
      .min(1, 'list at least one mapping from a source element to a target element'),
  })
  .superRefine((mapping, ctx) => {
    if (mapping.sourceVersion === mapping.targetVersion) {
      ctx.addIssue({ code: 'custom', path: ['targetVersion'], message: `is the same as sourceVersion (${mapping.sourceVersion}): nothing to migrate` });
    }
    const seen = new Set<string>();
    for (const [index, instruction] of mapping.mappingInstructions.entries()) {
      if (seen.has(instruction.sourceElementId)) {
        ctx.addIssue({ code: 'custom', path: ['mappingInstructions', index, 'sourceElementId'], message: `maps ${instruction.sourceElementId} a second time: each source element goes to one target element` });
      }
      seen.add(instruction.sourceElementId);
    }
  });

/** Parses and checks a mapping file's text; `file` names it in errors and decides the format (.json, else YAML). */
export function parseMapping(text: string, file: string): MigrationMapping {
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new MappingFileError(file, [`it is not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`]);
  }
  const parsed = MappingSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new MappingFileError(
    file,
    parsed.error.issues.map((issue) => {
      const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
      if (issue.code === 'unrecognized_keys') return `${path ? `${path}: ` : ''}unknown field(s) ${issue.keys.join(', ')} (allowed: processDefinitionId, sourceVersion, targetVersion, mappingInstructions[].sourceElementId / targetElementId)`;
      if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `${path} is missing`;
      return `${path || 'the file'}: ${issue.message}`;
    }),
  );
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

export async function readMappingFile(path: string): Promise<MigrationMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MappingFileError(basename(path), [`it cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
  }
  return parseMapping(text, path);
}
