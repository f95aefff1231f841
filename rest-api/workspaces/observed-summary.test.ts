import { describe, expect, it } from 'vitest';
import { parseObjectRef, summariseObserved } from './observed-summary.js';

describe('observed state summary', () => {
  it('reads kind and name from every describeRef form the workers write', () => {
    expect(parseObjectRef('v1/Namespace/spe-permit-p1')).toEqual({ kind: 'Namespace', name: 'spe-permit-p1' });
    expect(parseObjectRef('v1/Pod/spe-permit-p1/workspace')).toEqual({ kind: 'Pod', name: 'workspace' });
    expect(parseObjectRef('networking.k8s.io/v1/NetworkPolicy/spe-permit-p1/default-deny')).toEqual({ kind: 'NetworkPolicy', name: 'default-deny' });
    expect(parseObjectRef('snapshot.storage.k8s.io/v1/VolumeSnapshot/spe-permit-p1/outputs-archive')).toEqual({ kind: 'VolumeSnapshot', name: 'outputs-archive' });
    for (const odd of ['', 'Pod', 'v1/pod/ns/name', 'Pod/ns/name', 'v1/Pod', 'a/b/c/Pod/name', 'v1/Pod/ns/extra/name']) expect(parseObjectRef(odd), odd).toBeUndefined();
  });

  it('summarises what a successful reconcile saved: time, driver and each object with whether it exists', () => {
    const summary = summariseObserved({
      driver: 'manifests',
      observedAt: '2026-03-01T10:00:00.000Z',
      job: 'workspace.provision/p1/42',
      objects: [
        { ref: 'v1/Namespace/spe-permit-p1', exists: true },
        { ref: 'v1/Pod/spe-permit-p1/workspace', exists: false },
        { ref: 'not a ref', exists: true },
      ],
      failure: null,
      lastScan: { at: '2026-03-01T09:00:00.000Z', files: 2, findings: [] },
    });
    expect(summary).toEqual({
      observedAt: '2026-03-01T10:00:00.000Z',
      driver: 'manifests',
      objects: [
        { kind: 'Namespace', name: 'spe-permit-p1', exists: true },
        { kind: 'Pod', name: 'workspace', exists: false },
      ],
      failure: null,
      dataDeletedAt: null,
    });
  });

  it('says why the last change stopped midway and when the data was deleted', () => {
    expect(
      summariseObserved({
        failure: { message: 'applying v1/Pod/ns/workspace failed (HTTP 409): conflict; already done: v1/Namespace/ns', completed: ['v1/Namespace/ns'], failed: 'v1/Pod/ns/workspace' },
        deletionCertificate: { deletedAt: '2026-04-01T00:00:00.000Z', hash: 'sha256:00' },
      }),
    ).toEqual({
      observedAt: null,
      driver: null,
      objects: [],
      failure: 'applying v1/Pod/ns/workspace failed (HTTP 409): conflict; already done: v1/Namespace/ns',
      dataDeletedAt: '2026-04-01T00:00:00.000Z',
    });
  });

  it('is null when nothing was observed, and tolerates fields of an unexpected shape', () => {
    expect(summariseObserved(null)).toBeNull();
    expect(summariseObserved(undefined)).toBeNull();
    expect(summariseObserved([])).toBeNull();
    expect(summariseObserved({ observedAt: 5, driver: null, objects: 'none', failure: 'boom', deletionCertificate: [] })).toEqual({
      observedAt: null,
      driver: null,
      objects: [],
      failure: null,
      dataDeletedAt: null,
    });
  });
});
