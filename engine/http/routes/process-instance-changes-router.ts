/**
 * Changes to a running process instance, as Camunda 8.8 serves them: migration to another process definition
 * (`POST /process-instances/{key}/migration`) and modification (`POST /process-instances/{key}/modification`).
 * Both answer 204 once the change is committed; a refused one changed nothing (400 naming every reason, 404 for
 * an unknown instance or target definition).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { int64, keyParam, keyString, parseBody, variablesObject } from '../validation.js';

const elementId = z.string().min(1);

const migrationSchema = z.strictObject({
  targetProcessDefinitionKey: keyString,
  mappingInstructions: z.array(z.strictObject({ sourceElementId: elementId, targetElementId: elementId })),
  operationReference: int64.optional(),
});

/** `ancestorElementInstanceKey` is a key, or -1 for "an existing instance of the flow scope". */
const ancestorKey = z
  .union([z.string().regex(/^(-1|\d{1,25})$/, "expected a key (a string of digits) or '-1'"), z.number().int().min(-1)])
  .transform((v) => String(v));

const modificationSchema = z.strictObject({
  activateInstructions: z
    .array(
      z.strictObject({
        elementId,
        ancestorElementInstanceKey: ancestorKey.optional(),
        variableInstructions: z.array(z.strictObject({ variables: variablesObject, scopeId: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  terminateInstructions: z.array(z.strictObject({ elementInstanceKey: keyString })).optional(),
  operationReference: int64.optional(),
});

export function processInstanceChangesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/process-instances/:processInstanceKey/migration', async (req, res) => {
    const key = keyParam(req, 'processInstanceKey');
    const body = parseBody(migrationSchema, req);
    await api.migrateProcessInstance(key, {
      targetProcessDefinitionKey: body.targetProcessDefinitionKey,
      mappingInstructions: body.mappingInstructions,
    });
    res.status(204).end();
  });

  router.post('/process-instances/:processInstanceKey/modification', async (req, res) => {
    const key = keyParam(req, 'processInstanceKey');
    const body = parseBody(modificationSchema, req);
    await api.modifyProcessInstance(key, {
      activateInstructions: (body.activateInstructions ?? []).map((a) => ({
        elementId: a.elementId,
        ...(a.ancestorElementInstanceKey !== undefined ? { ancestorElementInstanceKey: a.ancestorElementInstanceKey } : {}),
        variableInstructions: (a.variableInstructions ?? []).map((v) => ({ variables: v.variables, ...(v.scopeId !== undefined ? { scopeId: v.scopeId } : {}) })),
      })),
      terminateInstructions: body.terminateInstructions ?? [],
    });
    res.status(204).end();
  });

  return router;
}
