/**
 * Reads the multipart body of POST /deployments: one or more files in the field `resources` and an optional
 * `tenantId` text field, as the 8.8 client sends them. Anything else is a 400 naming the field. The whole
 * deployment is held in memory, so its files together may hold at most MAX_DEPLOYMENT_BYTES (413 above that, the
 * rest not kept) and there may be at most MAX_DEPLOYMENT_FILES of them: before, any number of 16 MB files was
 * buffered (a Zeebe gateway refuses a deployment above its 4 MB message size).
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { invalidArgument } from '../errors.js';
import type { DeployResource } from '../runtime/engine-api.js';
import { HttpProblemError } from './problem.js';
import { xmlCharacterProblem } from './xml-characters.js';

export interface DeploymentForm {
  resources: DeployResource[];
  tenantId?: string;
}

const MAX_RESOURCE_BYTES = 16 * 1024 * 1024;
export const MAX_DEPLOYMENT_BYTES = 16 * 1024 * 1024;
export const MAX_DEPLOYMENT_FILES = 200;

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
    let total = 0;
    const fail = (err: Error): void => {
      failure ??= err;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_RESOURCE_BYTES, files: MAX_DEPLOYMENT_FILES, fields: 20 } });
    } catch (err) {
      reject(invalidArgument(`Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_DEPLOYMENT_BYTES) {
          fail(new HttpProblemError(413, 'PAYLOAD_TOO_LARGE', `The deployment's files are larger than ${MAX_DEPLOYMENT_BYTES} bytes together; deploy them in several smaller deployments.`));
          return;
        }
        if (!failure) chunks.push(chunk);
      });
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
        const content = Buffer.concat(chunks);
        if (/\.(bpmn|dmn|xml)$/i.test(info.filename)) {
          const problem = xmlCharacterProblem(content.toString('utf8'));
          if (problem) {
            fail(invalidArgument(`Expected to deploy new resources, but encountered the following errors:\n'${info.filename}': ${problem}`));
            return;
          }
        }
        resources.push({ name: info.filename, content });
      });
    });
    parser.on('field', (field, value) => {
      if (field === 'tenantId') tenantId = value;
      else fail(invalidArgument(`Unknown multipart field '${field}'; allowed: resources, tenantId`));
    });
    parser.on('filesLimit', () => fail(invalidArgument(`A deployment holds at most ${MAX_DEPLOYMENT_FILES} files; deploy the rest in another deployment.`)));
    parser.on('fieldsLimit', () => fail(invalidArgument("Too many multipart fields; send files in 'resources' and at most one 'tenantId'.")));
    parser.on('error', (err: Error) => reject(invalidArgument(`Malformed multipart request: ${err.message}`)));
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (resources.length === 0) reject(invalidArgument("No resources: send at least one file in the multipart field 'resources'"));
      else resolve({ resources, ...(tenantId !== undefined ? { tenantId } : {}) });
    });
    req.pipe(parser);
  });
}
