import { describe, expect, it } from 'vitest';
import { WorkspaceConflictError, WorkspaceDriverError, WorkspaceUnavailableError, type KubeObjectRef } from '../workspace-driver.js';
import { classifyKubeError } from './classify-kube-error.js';
import { apiError } from './fake-kube-object-client.js';

const pod: KubeObjectRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'spe-permit-1', name: 'workspace' };
const namespace: KubeObjectRef = { apiVersion: 'v1', kind: 'Namespace', name: 'spe-permit-1' };

describe('classifyKubeError', () => {
  it('turns a field-manager conflict (409) into a conflict error naming the other manager and field', () => {
    const error = apiError(409, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.hard.cpu', {
      reason: 'Conflict',
      details: { causes: [{ type: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.hard.cpu' }] },
    });
    const result = classifyKubeError(error, { action: 'apply', failed: pod, completed: [namespace] });
    expect(result).toBeInstanceOf(WorkspaceConflictError);
    expect(result.statusCode).toBe(409);
    expect(result.message).toContain('v1/Pod/spe-permit-1/workspace');
    expect(result.message).toContain('conflict with "kubectl"');
    expect(result.failed).toEqual(pod);
    expect(result.completed).toEqual([namespace]);
  });

  it('turns an invalid object (422) into a conflict error with the server message', () => {
    const result = classifyKubeError(apiError(422, 'Pod "workspace" is invalid: spec.containers: Required value', { reason: 'Invalid' }), { action: 'apply', failed: pod });
    expect(result).toBeInstanceOf(WorkspaceConflictError);
    expect(result.message).toContain('spec.containers: Required value');
  });

  it.each([408, 429, 500, 502, 503, 504])('treats HTTP %i as unavailable (retry)', (code) => {
    const result = classifyKubeError(apiError(code, 'try later'), { action: 'apply', failed: pod });
    expect(result).toBeInstanceOf(WorkspaceUnavailableError);
    expect(result.statusCode).toBe(code);
  });

  it('treats a namespace that is still being deleted as unavailable (retry), other 403s as incidents', () => {
    const terminating = apiError(403, 'pods "workspace" is forbidden: unable to create new content in namespace spe-permit-1 because it is being terminated');
    expect(classifyKubeError(terminating, { action: 'apply', failed: pod })).toBeInstanceOf(WorkspaceUnavailableError);
    const rbac = classifyKubeError(apiError(403, 'pods is forbidden: User "x" cannot patch resource "pods"'), { action: 'apply', failed: pod });
    expect(rbac).not.toBeInstanceOf(WorkspaceUnavailableError);
    expect(rbac).not.toBeInstanceOf(WorkspaceConflictError);
    expect(rbac).toBeInstanceOf(WorkspaceDriverError);
    expect(rbac.message).toContain('RBAC');
  });

  it('treats a timeout and a refused connection as unavailable', () => {
    const abort = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError', type: 'aborted' });
    expect(classifyKubeError(abort, { action: 'read', failed: pod })).toBeInstanceOf(WorkspaceUnavailableError);
    const refused = Object.assign(new Error('request to https://127.0.0.1:1/ failed'), { name: 'FetchError', type: 'system', code: 'ECONNREFUSED' });
    const result = classifyKubeError(refused, { action: 'apply', failed: pod });
    expect(result).toBeInstanceOf(WorkspaceUnavailableError);
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('makes anything else a plain driver error (incident) that keeps the cause', () => {
    const cause = new Error('self-signed certificate');
    const result = classifyKubeError(cause, { action: 'apply', failed: pod });
    expect(result.constructor).toBe(WorkspaceDriverError);
    expect(result.cause).toBe(cause);
    expect(classifyKubeError(apiError(404, 'the server could not find the requested resource'), { action: 'apply' }).constructor).toBe(WorkspaceDriverError);
  });

  it('passes driver errors through unchanged', () => {
    const original = new WorkspaceConflictError('already classified');
    expect(classifyKubeError(original, { action: 'apply' })).toBe(original);
  });
});
