/**
 * Reads the multipart body of POST /deployments: one or more files in the field `resources` and an optional
 * `tenantId` text field, as the 8.8 client sends them. Anything else is a 400 naming the field.
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { invalidArgument } from '../errors.js';
import type { DeployResource } from '../runtime/engine-api.js';
import { HttpProblemError } from './problem.js';

export interface DeploymentForm {
  resources: DeployResource[];
  tenantId?: string;
}

const MAX_RESOURCE_BYTES = 16 * 1024 * 1024;

export function readDeploymentForm(req: Request): Promise<DeploymentForm> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new HttpProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', "Deployments are multipart/form-data with one or more files in the field 'resources'."),
    );
  }
  return new Promise((resolve, reject) => {
    const resources: DeployResource[] = [];
    let tenantId: string | undefined;
    let failure: Error | undefined;
    const fail = (err: Error): void => {
      failure ??= err;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_RESOURCE_BYTES } });
    } catch (err) {
      reject(invalidArgument(`Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(invalidArgument(`Resource '${info.filename}' is larger than ${MAX_RESOURCE_BYTES} bytes`)));
      stream.on('end', () => {
        if (field !== 'resources') {
          fail(invalidArgument(`Unknown multipart field '${field}'; send files in the field 'resources'`));
          return;
        }
        if (!info.filename) {
          fail(invalidArgument("Every file in 'resources' needs a file name (e.g. order.bpmn, form.form)"));
          return;
        }
        resources.push({ name: info.filename, content: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (field, value) => {
      if (field === 'tenantId') tenantId = value;
      else fail(invalidArgument(`Unknown multipart field '${field}'; allowed: resources, tenantId`));
    });
    parser.on('error', (err: Error) => reject(invalidArgument(`Malformed multipart request: ${err.message}`)));
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (resources.length === 0) reject(invalidArgument("No resources: send at least one file in the multipart field 'resources'"));
      else resolve({ resources, ...(tenantId !== undefined ? { tenantId } : {}) });
    });
    req.pipe(parser);
  });
}
